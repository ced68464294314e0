"""Every URL of the site, and every parameter its pages read, given NUL bytes and other junk: never a server error.

The routes are read from the URL conf itself (get_resolver), so a new page is covered without touching this file:
each of its path arguments is replaced by junk in turn (the others real), then the page is asked with real
arguments and junk in each parameter, as a superuser (who reaches every page a visitor does, and the admin's and
the journalists' too). PostgreSQL refuses a NUL byte in text (DataError) and a number past bigint: a lookup with
either must be answered «not found» or «bad request», never 500 (or the 503 a failing database gets).
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from articles.forms import SearchForm
from articles.journalists.collections import add_article, create_collection
from articles.journalists.searches import save_search
from articles.models import SourceAlias, TagAlias
from tests.factories import ArticleFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db

JUNK_TEXT = ["%00", "%D9%88%D8%B2%00", "%EF%BF%BF", "%0A%09", "%27%20OR%201=1--", "x" * 3000, "..%2F.."]
JUNK_INT = ["0", "9" * 25]
JUNK_PARAM = ["وزير\x00", "\ufffe", "-1", "0", "9" * 30, "x" * 5000, "2016-13-45"]
# Parameters the pages read besides the search form's: paging, the API's, «ابحث في هذه النتائج», the admin's.
EXTRA_PARAMS = [
    "page",
    "page_size",
    "within",
    "p",
    "o",
    "e",
    "q",
    "all",
    "_changelist_filters",
    "next",
    "token",
    "key",
    "format",
]
_ROUTE_ARG = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_ARG = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _routes(patterns=None, prefix=()) -> list[tuple]:
    """(route pieces, name) of every URL pattern, however deep in includes."""
    out = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, (*prefix, p.pattern))
        elif isinstance(p, URLPattern):
            out.append(((*prefix, p.pattern), p.name or p.lookup_str))
    return out


ROUTES = _routes()


def _route_id(route) -> str:
    return "".join(str(piece) for piece in route[0]) or "/"


def _arguments(route) -> list[tuple[str, str]]:
    """(name, converter) of the route's arguments (a regex group is a str)."""
    args = []
    for piece in route[0]:
        if isinstance(piece, RoutePattern):
            args += [(m["name"], m["conv"] or "str") for m in _ROUTE_ARG.finditer(str(piece))]
        elif isinstance(piece, RegexPattern):
            args += [(m["name"], "str") for m in _REGEX_ARG.finditer(str(piece))]
    return args


def _url(route, values: dict[str, str]) -> str:
    parts = []
    for piece in route[0]:
        text = str(piece)
        if isinstance(piece, RoutePattern):
            text = _ROUTE_ARG.sub(lambda m: values[m["name"]], text)
        else:
            text = _REGEX_ARG.sub(lambda m: values[m["name"]], text).lstrip("^").rstrip("$").replace("\\", "")
        parts.append(text)
    return "/" + "".join(parts)


def _admin_params() -> list[str]:
    """The query parameters of the admin's own list filters (SimpleListFilter's parameter_name)."""
    names = set()
    for model_admin in admin.site._registry.values():
        for spec in model_admin.list_filter:
            if isinstance(spec, type) and getattr(spec, "parameter_name", None):
                names.add(spec.parameter_name)
    return sorted(names)


PARAMS = sorted(set(SearchForm.base_fields) | set(EXTRA_PARAMS) | set(_admin_params()))


@pytest.fixture
def real(django_user_model):
    """Real values for every kind of path argument: an article, a topic and a source (with old aliases), a
    superuser's collection with an item, a saved search."""
    source = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    tag = TagFactory(name="رياضة", slug="sport")
    article = ArticleFactory(source=source, tags=[tag])
    TagAlias.objects.create(tag=tag, name="كرة", slug="kura")
    SourceAlias.objects.create(source=source, name="جوهرة", slug="jawhara-old")
    user = django_user_model.objects.create_superuser("raees", "raees@example.org", None)  # force_login: no hash
    collection = create_collection(user, "ملف الرياضة")
    item, _ = add_article(collection, article)
    saved = save_search(user, {"q": "وزير"}, name="وزير")
    # By the route's start: the id of what its page shows (an article's by default, the admin's too).
    ids = {
        "collections/items/": item.pk,
        "collections/": collection.pk,
        "me/searches/": saved.pk,
        "admin/auth/user/": user.pk,
        "admin/articles/tag/": tag.pk,
        "admin/articles/source/": source.pk,
    }
    return {"user": user, "article": article.pk, "ids": ids, "slug": tag.slug, "app_label": "articles"}


def _real_values(route, real) -> dict[str, str]:
    values = {}
    path = _route_id(route)
    pk = next((pk for start, pk in real["ids"].items() if path.startswith(start)), real["article"])
    for name, conv in _arguments(route):
        if name == "app_label":
            values[name] = real["app_label"]
        elif conv == "int" or name in ("pk", "object_id", "id"):
            values[name] = str(pk)
        else:
            values[name] = real["slug"]
    return values


def _ask(client, url: str, params: dict | None = None) -> list[str]:
    """What went wrong asking `url` (with `params`): a server error, with its cause."""
    try:
        response = client.get(url, params or {})
    except Exception as exc:  # noqa: BLE001 — every exception is the finding
        return [f"GET {url} {params or ''}: {type(exc).__name__}: {str(exc)[:200]}"]
    return [f"GET {url} {params or ''}: {response.status_code}"] if response.status_code >= 500 else []


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_junk_in_a_path_argument_or_a_parameter_is_never_a_server_error(route, real):
    client = Client()
    client.force_login(real["user"])
    base = _real_values(route, real)
    problems = []
    for name, conv in _arguments(route):
        for junk in JUNK_INT if conv == "int" else JUNK_TEXT:
            problems += _ask(client, _url(route, {**base, name: junk}))
    url = _url(route, base)
    for name in PARAMS:
        problems += _ask(client, url, {name: "\x00"})
    for junk in JUNK_PARAM:
        problems += _ask(client, url, dict.fromkeys(PARAMS, junk))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "url",
    [
        "/topics/%00/",
        "/topics/%00/feed/",
        "/sources/%00/",
        "/topics/a%00b/",
        "/sources/%00/?page=2",
        "/articles/99999999999999999999/",
        "/api/articles/99999999999999999999",
    ],
)
def test_a_nul_or_an_impossible_id_in_a_path_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_every_route_is_covered():
    """The walk reaches the site's pages, the journalists' and the admin's (a broken walk would test nothing)."""
    ids = {_route_id(r) for r in ROUTES}
    assert {"topics/<name:slug>/", "sources/<name:slug>/", "api/search", "admin/"} <= ids
    assert any(i.startswith("alerts/unsubscribe/") for i in ids)
    assert any("<path:object_id>/change/" in i for i in ids)
    assert len(ROUTES) > 60
