"""Accounts: Django's own views for logging in and out and for passwords, with our templates and the namespace's
URLs; «حسابي» with the reader's feed links, and replacing the feed token. Thin: the work is Django's or access.py's.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST, require_safe

from ..editors import EDITORS_GROUP
from .access import feed_token_for, feed_url_for, is_journalist, replace_feed_token
from .models import SavedSearch
from .roles import JOURNALISTS_GROUP

TEMPLATES = "journalists/accounts/"


class ResetForm(PasswordResetForm):
    """Django's form, except that an account made without a password (`create_journalist --noinput`) may set its
    first one this way: nothing here logs in by anything but a password, so "unusable" only means "not set yet"."""

    def get_users(self, email):
        User = get_user_model()
        field = User.get_email_field_name()
        wanted = _fold(email)
        candidates = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in candidates if _fold(getattr(user, field) or "") == wanted)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = TEMPLATES + "password_reset_form.html"
    subject_template_name = TEMPLATES + "password_reset_subject.txt"
    email_template_name = TEMPLATES + "password_reset_email.txt"
    html_email_template_name = TEMPLATES + "password_reset_email.html"
    success_url = reverse_lazy("articles:password_reset_done")

    @property
    def extra_email_context(self):
        # Links from the configured address, never from the request's Host header: a forged Host would otherwise
        # send the reset link (and its token) to the attacker's site.
        return {"base_url": settings.ARCHIVE_BASE_URL}


login = auth_views.LoginView.as_view(template_name=TEMPLATES + "login.html")
logout = auth_views.LogoutView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name=TEMPLATES + "password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name=TEMPLATES + "password_reset_confirm.html",
    success_url=reverse_lazy("articles:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name=TEMPLATES + "password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name=TEMPLATES + "password_change_form.html", success_url=reverse_lazy("articles:password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name=TEMPLATES + "password_change_done.html")


@require_safe
@login_required
def account(request):
    """«حسابي»: who the reader is, their roles, and their feeds as a feed reader opens them."""
    user = request.user
    groups = set(user.groups.values_list("name", flat=True))
    feeds = []
    if is_journalist(user):
        for saved in SavedSearch.objects.filter(user=user).order_by("name"):
            url = reverse("articles:search_feed") + (f"?{saved.query_string}" if saved.query_string else "")
            feeds.append((saved.name, request.build_absolute_uri(feed_url_for(user, url))))
    return render(
        request,
        TEMPLATES + "account.html",
        {
            "roles": [name for name in (JOURNALISTS_GROUP, EDITORS_GROUP) if name in groups],
            "feeds": feeds,
            "feed_token": feed_token_for(user).key,
            "require_login": settings.ARCHIVE_REQUIRE_LOGIN,
        },
    )


@require_POST
@login_required
def feed_token(request):
    replace_feed_token(request.user)
    messages.success(request, "استُبدل مفتاح الخلاصات: الروابط القديمة لم تعد تفتح، فحدّثها في قارئ الخلاصات.")
    return redirect("articles:account")
