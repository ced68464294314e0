"""Screenshots of the archive as a reader and an editor see it, at 1366 px and at 375 px, into docs/screenshots/.

    .venv/bin/pip install -r bench/requirements.txt   # Pillow
    EMBEDDED_PG_DATABASE=newsarchive_shots .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Nothing of the developer's data is used or touched: the script makes a throwaway database (the test database of
the configured one), imports the ANT fixtures into it, serves it on a free loopback port with Django's live server,
photographs the pages with Debian's Chromium through Playwright, and drops the database. Each PNG is reduced to a
palette of colours with Pillow so that it stays small enough to keep in git.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1366, 900), "phone": (375, 812)}
PASSWORD = "Lakta-shasha-2026-sirr"


def _environment(index_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # plain static files, cookies over plain HTTP; the CSP stays
    os.environ.setdefault("DJANGO_SECRET_KEY", "screenshots-only-key")
    os.environ["SEARCH_INDEX_DIR"] = index_dir
    os.environ["SEARCH_INDEX_SYNC"] = "1"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API keeps an event loop in this thread


def _archive():
    """The throwaway database with the ANT fixtures and an editor; returns the pages to photograph."""
    from urllib.parse import quote

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count

    from articles.importing.pipeline import import_paths
    from articles.models import Article, Tag

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    import_paths([ROOT / "fixtures" / "ant"])
    get_user_model().objects.create_superuser("mohrer", "mohrer@example.org", PASSWORD)
    topic = Tag.objects.filter(kind=Tag.Kind.TOPIC).annotate(n=Count("articles")).order_by("-n", "name").first()
    article = (
        Article.objects.published()
        .filter(tags__isnull=False, published_at__isnull=False)
        .order_by("-published_at", "pk")
        .first()
    )
    return {
        "home": "/",
        "results": f"/search/?q={quote('تونس')}&date_from=2016-01-01",
        "topic": topic.get_absolute_url(),
        "article": article.get_absolute_url(),
        "admin-articles": "/admin/articles/article/",
    }


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def _photograph(base_url: str, pages: dict[str, str], out: Path, full_page: bool) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for device, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="ar-TN", base_url=base_url, device_scale_factor=1
            )
            tab = context.new_page()
            tab.goto("/admin/login/?next=/admin/")
            tab.locator("#id_username").fill("mohrer")
            tab.locator("#id_password").fill(PASSWORD)
            tab.locator("#login-form [type=submit]").click()
            tab.wait_for_url("**/admin/")
            for name, path in pages.items():
                tab.goto(path)
                target = out / f"{name}-{device}.png"
                tab.screenshot(path=str(target), full_page=full_page)
                _shrink(target)
                taken.append(target)
            context.close()
        browser.close()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not what the first screen shows")
    args = parser.parse_args()
    try:
        import PIL  # noqa: F401  before minutes of importing and photographing, not after
    except ImportError:
        parser.exit(2, "screenshots.py needs Pillow: .venv/bin/pip install -r bench/requirements.txt\n")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-index-") as index_dir:
        _environment(index_dir)
        import django

        django.setup()
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.db import connection
        from django.test.testcases import LiveServerThread
        from django.test.utils import setup_test_environment

        setup_test_environment()
        original_name = connection.settings_dict["NAME"]
        # Its own name, so that it never meets a test run's database (pytest-django's test_<name>).
        connection.settings_dict["TEST"]["NAME"] = f"screenshots_{original_name}"
        pages = _archive()
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=None, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            taken = _photograph(f"http://127.0.0.1:{server.port}", pages, args.out, args.full_page)
        finally:
            server.terminate()
            connection.creation.destroy_test_db(original_name, verbosity=0)
    for path in taken:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
