"""The saved searches' pages: «احفظ هذا البحث», «بحوثي», editing, «what is new», and the alerts' unsubscribe link.
Thin shells: a form, one call to articles.journalists.searches (or .alerts), then a redirect or a render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..search.query import MAX_QUERY_CHARS
from . import alerts, searches
from .access import journalist_required
from .models import SEARCH_PARAMS, SavedSearch


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label="اسم البحث",
        max_length=searches.NAME_MAX,
        required=False,
        error_messages={"max_length": f"الاسم أطول من {searches.NAME_MAX} حرف."},
    )
    frequency = forms.ChoiceField(
        label="تنبيه بالبريد",
        choices=SavedSearch.Frequency.choices,
        initial=SavedSearch.Frequency.NEVER,
        error_messages={"invalid_choice": "تواتر تنبيه غير معروف."},
    )


def _own(request, pk: int) -> SavedSearch:
    # Another journalist's saved search is «not found», never «forbidden»: its existence is not theirs to know.
    return get_object_or_404(SavedSearch, pk=pk, user=request.user)


def _search_page(params) -> str:
    """Back to the results the journalist tried to save (a 10 kB query cut as the page cuts it)."""
    query = QueryDict(mutable=True)
    for key in SEARCH_PARAMS:
        if value := params.get(key, "").strip():
            query[key] = value[:MAX_QUERY_CHARS]
    return reverse("articles:search") + ("?" + query.urlencode() if query else "")


@require_POST
@journalist_required
def save_search(request):
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(_search_page(request.POST))
    try:
        name = form.cleaned_data["name"] or searches.default_name(searches.search_params(request.POST))
        saved = searches.save_search(request.user, request.POST, name=name, frequency=form.cleaned_data["frequency"])
    except searches.SavedSearchError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(_search_page(request.POST))
    messages.success(request, f"حُفظ البحث «{saved.name}».")
    return redirect("articles:saved_searches")


@require_safe
@journalist_required
def saved_searches(request):
    kept = list(SavedSearch.objects.filter(user=request.user).order_by("name"))
    for saved in kept:
        saved.new_count = searches.new_since_seen(saved)
    return render(request, "journalists/searches/list.html", {"saved_searches": kept})


@require_http_methods(["GET", "HEAD", "POST"])
@journalist_required
def saved_search(request, pk):
    saved = _own(request, pk)
    form = SavedSearchForm(request.POST or None, initial={"name": saved.name, "frequency": saved.frequency})
    if request.method == "POST" and form.is_valid():
        try:
            searches.update_search(saved, name=form.cleaned_data["name"], frequency=form.cleaned_data["frequency"])
        except searches.SavedSearchError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"حُفظ «{saved.name}».")
            return redirect("articles:saved_searches")
    return render(request, "journalists/searches/edit.html", {"saved": saved, "form": form})


@require_POST
@journalist_required
def delete_saved_search(request, pk):
    saved = _own(request, pk)
    searches.delete_search(saved)
    messages.success(request, f"حُذف البحث «{saved.name}». المقالات نفسها باقية في الأرشيف.")
    return redirect("articles:saved_searches")


@require_POST
@journalist_required
def saved_search_new(request, pk):
    """«اعرض الجديد»: the results added since the journalist last looked, which are then seen."""
    saved = _own(request, pk)
    after, through = searches.mark_seen(saved)
    return HttpResponseRedirect(saved.search_url(after=after, through=through))


@login_not_required  # even where ARCHIVE_REQUIRE_LOGIN closes the archive: the link in the mail is enough
@csrf_exempt  # a mail client's one-click POST (RFC 8058) has no CSRF token: the signed link is the credential
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    saved = alerts.saved_search_for_token(token)
    if saved is None:
        return render(request, "journalists/searches/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        alerts.unsubscribe(saved)
    return render(
        request,
        "journalists/searches/unsubscribe.html",
        {"saved": saved, "token": token, "done": request.method == "POST"},
    )
