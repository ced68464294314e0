"""axe-core finds no violation on the public pages, in Chromium at 1366 px and at 375 px, the site's CSP in force.

The admin's pages are checked with the same helpers (tests/browser/a11y.py) by their own tests.
"""

import pytest

from tests.browser.a11y import axe_violations, describe_violations, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 375)


def test_public_pages_have_no_axe_violations(page):
    found = {}
    for name, path in public_pages().items():
        response = page.goto(path)
        assert response.status == 200, (name, path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            if violations := axe_violations(page):
                found[f"{name} at {width} px"] = describe_violations(violations)
    assert not found, "\n\n".join(f"{where}:\n{lines}" for where, lines in found.items())


def test_axe_finds_what_the_issue_found(page):
    # The checker itself must see an unlabelled select and a skipped heading level, or a green run means nothing.
    page.goto(public_pages()["help"])
    page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend', '<select><option>أ</option></select><h5>ب</h5>');
    }""")
    assert {"select-name", "heading-order"} <= {v["id"] for v in axe_violations(page)}
