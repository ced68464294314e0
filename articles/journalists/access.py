"""Who may open what: the journalists' role on their own pages, and ARCHIVE_REQUIRE_LOGIN.

With ARCHIVE_REQUIRE_LOGIN, settings put ArchiveLoginRequiredMiddleware in MIDDLEWARE: every page needs an account
except the views marked `login_not_required` (login, password reset, an alert's unsubscribe link) and the admin,
which sends a visitor to its own login. A feed also opens with its reader's secret token (`?token=KEY`, one per
user, FeedToken), since a feed reader cannot log in; the token opens feeds and nothing else.
"""

from __future__ import annotations

import secrets
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from .models import FeedToken

# Held by the «صحفيون» group (articles.journalists.roles) and by superusers.
JOURNALIST_PERMISSION = "articles.add_savedsearch"
LOGIN_MIDDLEWARE = "articles.journalists.access.ArchiveLoginRequiredMiddleware"
FEED_VIEWS = frozenset({"articles:search_feed", "articles:topic_feed"})
TOKEN_PARAM = "token"
ACCOUNT_PAGES = frozenset(
    {"login", "logout", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}
)
NEEDS_ACCOUNT = "هذا الأرشيف للحسابات المسجلة: ادخل بحسابك أولا."


def is_journalist(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(JOURNALIST_PERMISSION)


def journalist_required(view):
    """A journalist's page: the login page for a visitor, 403 for an account without the role (an editor only)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_journalist(request.user):
            raise PermissionDenied("هذه الصفحة للصحفيين: حسابك لا يحمل هذا الدور.")
        return view(request, *args, **kwargs)

    return wrapped


def journalist_context(request) -> dict:
    """For every template: `is_journalist` (the header shows «بحوثي» and «ملفاتي» only to journalists) and, for a
    visitor, `login_link`, the login page that brings them back to this one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_journalist": False, "login_link": _login_link(request)}
    return {"is_journalist": is_journalist(user)}


def _login_link(request) -> str:
    login = reverse(settings.LOGIN_URL)
    match = getattr(request, "resolver_match", None)
    # Not back to an account page (a password reset link is single use) nor to what answered a POST.
    if match is None or match.url_name in ACCOUNT_PAGES or request.method not in ("GET", "HEAD"):
        return login
    return f"{login}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"


# --- feed tokens ------------------------------------------------------------------------------------------------


def feed_token_for(user) -> FeedToken:
    """The user's feed token, made on first use."""
    token, _ = FeedToken.objects.get_or_create(user=user, defaults={"key": secrets.token_urlsafe(32)})
    return token


def replace_feed_token(user) -> FeedToken:
    """A new key for the user: every feed URL that carried the old one stops opening."""
    token, _ = FeedToken.objects.update_or_create(user=user, defaults={"key": secrets.token_urlsafe(32)})
    return token


def feed_token_user(key: str | None):
    """The active user whose feed token `key` is, or None."""
    if not key or len(key) > FeedToken._meta.get_field("key").max_length:
        return None
    token = FeedToken.objects.select_related("user").filter(key=key, user__is_active=True).first()
    return token.user if token else None


def feed_url_for(user, url: str) -> str:
    """A feed's URL as `user` can open it in a feed reader: with their token while the archive requires an
    account, unchanged otherwise (a token in a URL is a secret worth not spreading when it is not needed)."""
    if not settings.ARCHIVE_REQUIRE_LOGIN or user is None or not user.is_authenticated:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({TOKEN_PARAM: feed_token_for(user).key})}"


# --- ARCHIVE_REQUIRE_LOGIN --------------------------------------------------------------------------------------


class ArchiveLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, with the archive's exceptions: the admin keeps its own login, a feed
    opens with a valid token, and machines (the API, the CSV, feed readers) get 401 instead of a login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.view_name in FEED_VIEWS:
            key = _take_token(request)
            if not request.user.is_authenticated and feed_token_user(key) is not None:
                return None
        if "admin" in match.namespaces:
            return None  # every admin view checks staff itself and redirects to the admin's login
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        match = request.resolver_match
        if match.route.startswith("api/"):
            return JsonResponse({"error": NEEDS_ACCOUNT}, status=401, json_dumps_params={"ensure_ascii": False})
        if match.view_name in FEED_VIEWS:
            return _unauthorized(f"{NEEDS_ACCOUNT} أو افتح الخلاصة برابطها الذي يحمل مفتاحك (صفحة «حسابي»).")
        if match.view_name == "articles:search_csv":
            return _unauthorized(NEEDS_ACCOUNT)
        return super().handle_no_permission(request, view_func)


def _take_token(request) -> str | None:
    """The feed token, removed from request.GET: the feed builds its links from the query, and the key must not
    ride along into a link to the search page (and from there into history, Referer headers, shared URLs)."""
    if TOKEN_PARAM not in request.GET:
        return None
    params = request.GET.copy()
    key = params.pop(TOKEN_PARAM)[-1]
    params._mutable = False
    request.GET = params
    return key


def _unauthorized(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=401, content_type="text/plain; charset=utf-8")
