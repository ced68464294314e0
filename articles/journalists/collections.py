"""Collections («ملفات»): a journalist's named files of articles, each with a note, in their order, shared
read-only with named colleagues.

Plain functions; the views are shells around them. Positions are dense (1…n) and unique within a collection:
every write that changes them locks the collection row first (select_for_update), so two tabs reordering the same
file at once take turns instead of writing the same position twice. Who may see what is decided here, once:
`visible_collection` and `editable_collection` raise Http404 for a collection that is neither the user's nor
shared with them, so a guessed id never reveals that it exists.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404

from .access import is_journalist
from .models import Collection, CollectionItem

NAME_MAX = Collection._meta.get_field("name").max_length
NOTE_MAX = 10_000
DESCRIPTION_MAX = 10_000
SHARE_MAX_NAMES = 50


class CollectionError(ValueError):
    """A change to a collection that cannot be made as asked; the message is for the journalist, in Arabic."""


# --- checks ----------------------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CollectionError("اكتب اسما للملف.")
    if len(name) > NAME_MAX:
        raise CollectionError(f"اسم الملف أطول من {NAME_MAX} حرف: اختصره.")
    return name


def clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise CollectionError(f"الملاحظة أطول من {NOTE_MAX} حرف ({len(note)} حرفا): اختصرها ثم احفظها.")
    return note


def clean_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise CollectionError(f"الوصف أطول من {DESCRIPTION_MAX} حرف: اختصره.")
    return description


def _taken(owner, name: str, *, other_than=None) -> bool:
    qs = Collection.objects.filter(owner=owner, name=name)
    return qs.exclude(pk=other_than.pk).exists() if other_than else qs.exists()


def _duplicate(name: str) -> CollectionError:
    return CollectionError(f"لديك ملف باسم «{name}» من قبل: اختر اسما آخر.")


# --- the collection itself -------------------------------------------------------------------------------------


def create_collection(owner, name: str, description: str = "") -> Collection:
    name, description = clean_name(name), clean_description(description)
    if _taken(owner, name):
        raise _duplicate(name)
    try:
        with transaction.atomic():
            return Collection.objects.create(owner=owner, name=name, description=description)
    except IntegrityError:  # the same name created in another tab between the check and the insert
        raise _duplicate(name) from None


def update_collection(collection: Collection, *, name: str, description: str) -> Collection:
    name, description = clean_name(name), clean_description(description)
    if name != collection.name and _taken(collection.owner_id, name, other_than=collection):
        raise _duplicate(name)
    collection.name, collection.description = name, description
    try:
        with transaction.atomic():
            collection.save(update_fields=["name", "description", "updated_at"])
    except IntegrityError:
        raise _duplicate(name) from None
    return collection


def delete_collection(collection: Collection) -> None:
    collection.delete()  # its items go with it (CASCADE); the articles stay


# --- items -----------------------------------------------------------------------------------------------------


def _locked(collection_id: int) -> Collection:
    return Collection.objects.select_for_update().get(pk=collection_id)


def add_article(collection: Collection, article, note: str = "") -> tuple[CollectionItem, bool]:
    """Put `article` at the end of `collection`, with `note`. Adding it again is safe: the item keeps its place,
    and its note changes only when a new one is given (an empty note never erases a written one).
    Returns (item, created)."""
    note = clean_note(note)
    with transaction.atomic():
        _locked(collection.pk)
        item = CollectionItem.objects.filter(collection=collection, article=article).first()
        if item is not None:
            if note and note != item.note:
                item.note = note
                item.save(update_fields=["note"])
            return item, False
        position = CollectionItem.objects.filter(collection=collection).count() + 1
        item = CollectionItem.objects.create(collection=collection, article=article, note=note, position=position)
        Collection.objects.filter(pk=collection.pk).update(updated_at=item.added_at)
        return item, True


def add_to_collection(
    owner, article, *, collection: Collection | None = None, new_name: str = "", note: str = ""
) -> tuple[CollectionItem, bool]:
    """The article page's «أضف إلى ملف»: into one of the owner's collections, or into the one named `new_name`
    (created if they have none by that name)."""
    if collection is None:
        name = clean_name(new_name)
        clean_note(note)  # refuse a note too long before creating anything
        with transaction.atomic():
            collection = Collection.objects.filter(owner=owner, name=name).first() or create_collection(owner, name)
            return add_article(collection, article, note)
    if collection.owner_id != owner.pk:
        raise Http404("لا ملف بهذا الرقم")
    return add_article(collection, article, note)


def set_note(item: CollectionItem, note: str) -> CollectionItem:
    item.note = clean_note(note)
    item.save(update_fields=["note"])
    return item


def remove_item(item: CollectionItem) -> None:
    with transaction.atomic():
        _locked(item.collection_id)
        position = CollectionItem.objects.filter(pk=item.pk).values_list("position", flat=True).first()
        if position is None:
            return  # already removed, in another tab
        CollectionItem.objects.filter(pk=item.pk).delete()
        CollectionItem.objects.filter(collection_id=item.collection_id, position__gt=position).update(
            position=F("position") - 1
        )


def move_item(item: CollectionItem, to_position: int) -> CollectionItem:
    """Move `item` to `to_position` (1 is first; beyond either end means that end), shifting those between."""
    with transaction.atomic():
        _locked(item.collection_id)
        siblings = CollectionItem.objects.filter(collection_id=item.collection_id)
        current = siblings.filter(pk=item.pk).values_list("position", flat=True).first()
        if current is None:
            raise CollectionError("هذا المقال لم يعد في الملف.")
        target = min(max(int(to_position), 1), siblings.count())
        if target < current:
            siblings.filter(position__gte=target, position__lt=current).update(position=F("position") + 1)
        elif target > current:
            siblings.filter(position__gt=current, position__lte=target).update(position=F("position") - 1)
        siblings.filter(pk=item.pk).update(position=target)
        item.position = target
        return item


def move_up(item: CollectionItem) -> CollectionItem:
    return move_item(item, item.position - 1)


def move_down(item: CollectionItem) -> CollectionItem:
    return move_item(item, item.position + 1)


# --- sharing ---------------------------------------------------------------------------------------------------


def parse_usernames(text: str) -> list[str]:
    """«سارة، ahmed, mona» → ["سارة", "ahmed", "mona"]: names separated by commas (Arabic or Latin) or spaces."""
    names = " ".join((text or "").replace("،", " ").replace(",", " ").split()).split(" ")
    return list(dict.fromkeys(n for n in names if n))


def share_collection(collection: Collection, usernames: list[str]) -> list:
    """Share `collection`, read-only, with the journalists named. Every name must be a colleague's account with
    the journalist role; otherwise nothing is shared and the error lists the names refused."""
    if not usernames:
        raise CollectionError("اكتب اسم مستخدم زميل واحد على الأقل.")
    if len(usernames) > SHARE_MAX_NAMES:
        raise CollectionError(f"يمكن المشاركة مع {SHARE_MAX_NAMES} زميلا على الأكثر في المرة الواحدة.")
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    unknown = [n for n in usernames if n not in users]
    if unknown:
        raise CollectionError("لا حساب بهذه الأسماء: " + "، ".join(unknown) + ". لم تُشارَك مع أحد.")
    if any(u.pk == collection.owner_id for u in users.values()):
        raise CollectionError("لا حاجة إلى مشاركة الملف مع نفسك: أنت مالكه. لم تُشارَك مع أحد.")
    not_journalists = [n for n, u in users.items() if not is_journalist(u)]
    if not_journalists:
        raise CollectionError("هذه الحسابات لا تحمل دور الصحفي: " + "، ".join(not_journalists) + ". لم تُشارَك مع أحد.")
    collection.shared_with.add(*users.values())
    return list(users.values())


def unshare_collection(collection: Collection, username: str) -> None:
    collection.shared_with.remove(*collection.shared_with.filter(username=username))


# --- reads -----------------------------------------------------------------------------------------------------


def _visible_to(user) -> Q:
    return Q(owner=user) | Q(pk__in=Collection.shared_with.through.objects.filter(user=user).values("collection"))


def collections_for(user):
    """The user's own collections and those shared with them, with their owner and `item_count`."""
    return (
        Collection.objects.filter(_visible_to(user))
        .select_related("owner")
        .annotate(item_count=Count("items"))
        .order_by("name", "pk")
    )


def visible_collection(user, pk) -> Collection:
    """A collection the user may read (theirs or shared with them); 404 for any other, as for one that is not."""
    collection = Collection.objects.filter(_visible_to(user), pk=pk).select_related("owner").first()
    if collection is None:
        raise Http404("لا ملف بهذا الرقم")
    return collection


def editable_collection(user, pk) -> Collection:
    """A collection the user owns; 403 for one only shared with them, 404 for any other."""
    collection = visible_collection(user, pk)
    if collection.owner_id != user.pk:
        raise PermissionDenied("هذا الملف مشارك معك للقراءة فقط: لا يعدّله إلا مالكه.")
    return collection


def editable_item(user, pk) -> CollectionItem:
    item = (
        CollectionItem.objects.select_related("collection")
        .filter(pk=pk, collection__in=Collection.objects.filter(_visible_to(user)))
        .first()
    )
    if item is None:
        raise Http404("لا مقال بهذا الرقم في ملفاتك")
    if item.collection.owner_id != user.pk:
        raise PermissionDenied("هذا الملف مشارك معك للقراءة فقط: لا يعدّله إلا مالكه.")
    return item


def ordered_items(collection: Collection):
    return collection.items.select_related("article__source").defer("article__raw_text").order_by("position", "pk")


def collections_around(user, article) -> list[Collection]:
    """For the article page, in one query: the user's collections and those shared with them, each with `holds`
    (this article is in it)."""
    holds = Exists(CollectionItem.objects.filter(collection=OuterRef("pk"), article=article))
    return list(
        Collection.objects.filter(_visible_to(user))
        .select_related("owner")
        .annotate(holds=holds)
        .order_by("name", "pk")
    )
