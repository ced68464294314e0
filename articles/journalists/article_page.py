"""What the article page adds for a journalist: «في ملفاتك» (the collections already holding the article) and the
«أضف إلى ملف» form. One query beyond the role check; nothing at all for a visitor or an account without the role."""

from .access import is_journalist
from .collection_forms import AddToCollectionForm
from .collections import collections_around


def journalist_panel(user, article) -> dict | None:
    if not is_journalist(user):
        return None
    around = collections_around(user, article)
    own = [c for c in around if c.owner_id == user.pk]
    return {
        "holding": [c for c in around if c.holds],
        "form": AddToCollectionForm(initial={"article": article.pk}, collections=own),
    }
