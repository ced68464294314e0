"""A journalist meets a reprinted story in a real browser: it is listed once, as the copy that ran first, with
the papers that ran it; one click opens its copies, one more lists every copy among the results."""

import re

import pytest

from bench import stories_testset

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not stories_testset.SAUDI.exists(), reason="../shared corpus not available"),
]


def test_a_reprinted_story_shows_once_with_its_copies_one_click_away(page, story, screenshot):
    copies, _ = story
    word = max(copies[0].body.split()[:30], key=len)
    page.goto(f"/search/?q={word}")
    titles = page.locator(".result-title a")
    hrefs = [titles.nth(i).get_attribute("href").split("?")[0] for i in range(titles.count())]
    assert hrefs.count(copies[0].get_absolute_url()) == 1
    assert not {c.get_absolute_url() for c in copies[1:]} & set(hrefs)  # the later copies are not listed apart

    result = page.locator(".result", has=page.locator(f'.result-title a[href^="{copies[0].get_absolute_url()}"]'))
    details = result.locator("details.story-copies")
    assert details.locator("summary").inner_text().startswith("نُشر في 3 مصادر")
    assert not details.locator(".copies").is_visible()
    details.locator("summary").click()
    listed = details.locator(".copies li")
    assert listed.count() == 3 and details.locator(".copies").is_visible()
    assert "نُشر أولًا" in listed.first.inner_text()
    screenshot(page, "story-copies")

    page.locator(".copies-switch a", has_text="اعرض كل النسخ").click()
    page.wait_for_url(re.compile(r"copies=all"))
    hrefs = [titles.nth(i).get_attribute("href").split("?")[0] for i in range(titles.count())]
    assert {c.get_absolute_url() for c in copies} <= set(hrefs)

    page.locator(f'.result-title a[href^="{copies[2].get_absolute_url()}"]').click()
    page.wait_for_url(re.compile(re.escape(copies[2].get_absolute_url())))
    assert page.locator("#copies-heading").inner_text() == "نسخ هذا الخبر: 3"
