"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium they skip with the reason, except in CI (the CI environment variable set), where a
missing browser is a failure: .ci/run installs it.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture
def ant_archive(transactional_db):
    """The 300 ANT fixture articles, imported as `make run` does."""
    from django.core.management import call_command

    call_command("import_articles", str(ROOT / "fixtures" / "ant"), verbosity=0)


@pytest.fixture
def page(browser, live_server, ant_archive):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar-TN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> Path:
        """The whole page as NAME.png, and what fits in the window (what a reader sees first) as NAME-top.png."""
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{name}-top.png"))
        return path

    return take
