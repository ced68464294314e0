"""The collections' pages: thin shells over articles.journalists.collections (a form, one call, then a page or a
redirect). Every page needs the journalist role; every change is a POST (CSRF-checked), and GET changes nothing.
A collection that is neither the journalist's nor shared with them answers 404, whatever the page."""

import csv
import io
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..api import csv_cell
from ..models import web_link
from . import collections as col
from .access import journalist_required
from .collection_forms import AddToCollectionForm, CollectionForm, MoveForm, NoteForm, ShareForm, UnshareForm
from .collections import CollectionError

CSV_HEADER = ["position", "title", "source", "date", "url", "archive_url", "note"]


def _run(form, write) -> bool:
    """Validate `form`, then `write(cleaned_data)`; a CollectionError becomes the form's error. The write's result
    is kept on `form.result`."""
    if not form.is_valid():
        return False
    try:
        form.result = write(form.cleaned_data)
    except CollectionError as error:
        form.add_error(None, str(error))
        return False
    return True


def _permalink(article) -> str:
    return settings.ARCHIVE_BASE_URL + article.get_absolute_url()


def _detail(request, collection, *, status=200, **forms):
    """The collection's page; after a refused change, with the form that failed (its text kept) and status 400."""
    owner = collection.owner_id == request.user.pk
    context = {
        "collection": collection,
        "items": list(col.ordered_items(collection)),
        "is_owner": owner,
        "shared_with": list(collection.shared_with.order_by("username")) if owner else [],
        "edit_form": CollectionForm(initial={"name": collection.name, "description": collection.description}),
        "share_form": ShareForm(),
        "note_max": col.NOTE_MAX,
        **forms,
    }
    return render(request, "journalists/collections/detail.html", context, status=status)


def _to_item(item):
    return redirect(f"{item.collection.get_absolute_url()}#item-{item.pk}")


# --- collections -----------------------------------------------------------------------------------------------


@journalist_required
@require_http_methods(["GET", "HEAD", "POST"])
def collection_list(request):
    form = CollectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _run(
        form, lambda d: col.create_collection(request.user, d["name"], d["description"])
    ):
        messages.success(request, f"أُنشئ الملف «{form.result.name}».")
        return redirect(form.result)
    return render(
        request,
        "journalists/collections/list.html",
        {
            "collections": col.collections_for(request.user),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@journalist_required
@require_safe
def collection_detail(request, pk):
    return _detail(request, col.visible_collection(request.user, pk))


@journalist_required
@require_POST
def collection_edit(request, pk):
    collection = col.editable_collection(request.user, pk)
    form = CollectionForm(request.POST)
    if _run(form, lambda d: col.update_collection(collection, name=d["name"], description=d["description"])):
        messages.success(request, "حُفظ اسم الملف ووصفه.")
        return redirect(collection)
    collection.refresh_from_db()  # the page shows what is stored; the form keeps what was typed
    return _detail(request, collection, status=400, edit_form=form)


@journalist_required
@require_POST
def collection_delete(request, pk):
    collection = col.editable_collection(request.user, pk)
    col.delete_collection(collection)
    messages.success(request, f"حُذف الملف «{collection.name}». بقيت مقالاته في الأرشيف.")
    return redirect("articles:collections")


@journalist_required
@require_POST
def collection_share(request, pk):
    collection = col.editable_collection(request.user, pk)
    form = ShareForm(request.POST)
    if _run(form, lambda d: col.share_collection(collection, d["usernames"])):
        names = "، ".join(u.get_username() for u in form.result)
        messages.success(request, f"صار الملف مشاركا للقراءة مع: {names}.")
        return redirect(collection)
    return _detail(request, collection, status=400, share_form=form)


@journalist_required
@require_POST
def collection_unshare(request, pk):
    collection = col.editable_collection(request.user, pk)
    form = UnshareForm(request.POST)
    if form.is_valid():
        col.unshare_collection(collection, form.cleaned_data["username"])
        messages.success(request, f"أُوقفت مشاركة الملف مع {form.cleaned_data['username']}.")
    return redirect(collection)


@journalist_required
@require_safe
def collection_csv(request, pk):
    collection = col.visible_collection(request.user, pk)
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so spreadsheet programs read the Arabic as UTF-8
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for item in col.ordered_items(collection):
        a = item.article
        writer.writerow(
            [
                item.position,
                csv_cell(a.display_title),
                csv_cell(a.source.name if a.source else ""),
                timezone.localdate(a.published_at).isoformat() if a.published_at else "",
                csv_cell(web_link(a.url)),
                csv_cell(_permalink(a)),
                csv_cell(item.note),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f"attachment; filename=\"collection-{collection.pk}.csv\"; filename*=UTF-8''{quote(collection.name)}.csv"
    )
    return response


@journalist_required
@require_safe
def collection_print(request, pk):
    collection = col.visible_collection(request.user, pk)
    items = [(item, _permalink(item.article)) for item in col.ordered_items(collection)]
    return render(request, "journalists/collections/print.html", {"collection": collection, "items": items})


@journalist_required
@require_POST
def collection_add(request):
    """From an article page: into one of the journalist's collections or a new one, with a note."""
    own = [c for c in col.collections_for(request.user) if c.owner_id == request.user.pk]
    form = AddToCollectionForm(request.POST, collections=own)
    if _run(
        form,
        lambda d: col.add_to_collection(
            request.user, d["article"], collection=d["collection"], new_name=d["new_name"], note=d["note"]
        ),
    ):
        item, created = form.result
        name = item.collection.name
        messages.success(
            request,
            f"أضيف المقال إلى الملف «{name}»."
            if created
            else f"المقال في الملف «{name}» من قبل: لم يتكرر، وحُفظت ملاحظتك إن كتبت واحدة.",
        )
        return redirect(form.cleaned_data["article"])
    article = getattr(form, "cleaned_data", {}).get("article")
    return render(request, "journalists/collections/add.html", {"form": form, "article": article}, status=400)


# --- items -----------------------------------------------------------------------------------------------------


@journalist_required
@require_POST
def item_note(request, pk):
    item = col.editable_item(request.user, pk)
    form = NoteForm(request.POST)
    if _run(form, lambda d: col.set_note(item, d["note"])):
        messages.success(request, "حُفظت الملاحظة.")
        return _to_item(item)
    return _detail(request, item.collection, status=400, failed_note={"item": item.pk, "form": form})


@journalist_required
@require_POST
def item_move(request, pk):
    item = col.editable_item(request.user, pk)
    form = MoveForm(request.POST)
    moves = {"up": col.move_up, "down": col.move_down}
    if _run(form, lambda d: moves[d["direction"]](item) if d.get("direction") else col.move_item(item, d["position"])):
        return _to_item(item)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _to_item(item)


@journalist_required
@require_POST
def item_remove(request, pk):
    item = col.editable_item(request.user, pk)
    col.remove_item(item)
    messages.success(request, "أُزيل المقال من الملف. بقي في الأرشيف.")
    return redirect(item.collection)
