"""The journalists' tables. Defined here, registered under the `articles` app (articles/models.py imports them);
articles are referred to by name, so this module imports nothing of articles.models."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

# The search parameters a saved search keeps: the results page's own (articles.forms.SearchForm).
SEARCH_PARAMS = ("q", "source", "tag", "year", "date_from", "date_to", "sort", "copies")


class SavedSearch(models.Model):
    """A journalist's search kept under a name: what is new in it since they last looked, and its email alert."""

    class Frequency(models.TextChoices):
        NEVER = "never", "دون تنبيه"
        IMMEDIATE = "immediate", "فورا (كل بضع دقائق)"
        DAILY = "daily", "يوميا"
        WEEKLY = "weekly", "أسبوعيا"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="الصحفي",
        on_delete=models.CASCADE,
        related_name="saved_searches",
        db_index=False,
    )
    name = models.CharField("الاسم", max_length=200)
    params = models.JSONField("معايير البحث", default=dict)
    frequency = models.CharField("التنبيه بالبريد", max_length=10, choices=Frequency.choices, default=Frequency.NEVER)
    # Watermarks: article ids only grow, so "new" is "id above the watermark", which the index answers itself.
    seen_through = models.BigIntegerField("آخر مقال رآه", default=0)
    alerted_through = models.BigIntegerField("آخر مقال نُبّه إليه", default=0)
    last_alert_at = models.DateTimeField("آخر تنبيه أُرسل", null=True, blank=True)
    # When the alert was last due and looked at, sent or not: a daily alert with nothing new waits a day again.
    checked_at = models.DateTimeField("آخر فحص للتنبيه", null=True, blank=True)
    alert_failures = models.PositiveIntegerField("محاولات إرسال فاشلة متتالية", default=0)
    last_error = models.CharField("آخر خطأ في الإرسال", max_length=500, blank=True)
    created_at = models.DateTimeField("أنشئ في", auto_now_add=True)
    updated_at = models.DateTimeField("عُدّل في", auto_now=True)

    class Meta:
        verbose_name = "بحث محفوظ"
        verbose_name_plural = "البحوث المحفوظة"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedsearch_unique_user_name"),
            models.CheckConstraint(condition=~Q(name=""), name="savedsearch_has_name"),
            models.CheckConstraint(
                condition=Q(frequency__in=["never", "immediate", "daily", "weekly"]), name="savedsearch_known_frequency"
            ),
        ]
        indexes = [
            models.Index(
                fields=["frequency", "checked_at"], name="savedsearch_alert_due_idx", condition=~Q(frequency="never")
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:saved_search", kwargs={"pk": self.pk})

    @property
    def query_string(self) -> str:
        return urlencode({k: v for k in SEARCH_PARAMS if (v := self.params.get(k))})

    def search_url(self, **extra) -> str:
        """The results page of this search (`after=N`: only articles added after article N)."""
        query = self.query_string
        if extra:
            query = "&".join(filter(None, [query, urlencode(extra)]))
        return reverse("articles:search") + ("?" + query if query else "")


class Collection(models.Model):
    """A journalist's file («ملف») of articles, each with a note, in the order they chose; shared read-only."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="المالك",
        on_delete=models.CASCADE,
        related_name="collections",
        db_index=False,
    )
    name = models.CharField("الاسم", max_length=200)
    description = models.TextField("الوصف", blank=True)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="مشترك مع", blank=True, related_name="shared_collections"
    )
    created_at = models.DateTimeField("أنشئ في", auto_now_add=True)
    updated_at = models.DateTimeField("عُدّل في", auto_now=True)

    class Meta:
        verbose_name = "ملف"
        verbose_name_plural = "الملفات"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="collection_unique_owner_name"),
            models.CheckConstraint(condition=~Q(name=""), name="collection_has_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:collection", kwargs={"pk": self.pk})


class CollectionItem(models.Model):
    """One article in a collection, with the journalist's note and its place in their order."""

    collection = models.ForeignKey(
        Collection, verbose_name="الملف", on_delete=models.CASCADE, related_name="items", db_index=False
    )
    article = models.ForeignKey(
        "articles.Article", verbose_name="المقال", on_delete=models.CASCADE, related_name="collection_items"
    )
    note = models.TextField("ملاحظة", blank=True)
    position = models.PositiveIntegerField("الترتيب", default=0)
    added_at = models.DateTimeField("أضيف في", auto_now_add=True)

    class Meta:
        verbose_name = "مقال في ملف"
        verbose_name_plural = "مقالات في الملفات"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "article"], name="collectionitem_unique_article"),
        ]
        indexes = [models.Index(fields=["collection", "position"], name="collectionitem_order_idx")]

    def __str__(self):
        return f"{self.collection_id}: {self.article_id}"

    def get_absolute_url(self):
        return self.collection.get_absolute_url()


class FeedToken(models.Model):
    """A journalist's secret for reading feeds without a session (a feed reader cannot log in), when the archive
    requires an account. Replacing it revokes every feed URL that carried the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="feed_token"
    )
    key = models.CharField("المفتاح", max_length=64, unique=True)
    created_at = models.DateTimeField("أنشئ في", auto_now_add=True)

    class Meta:
        verbose_name = "مفتاح الخلاصات"
        verbose_name_plural = "مفاتيح الخلاصات"

    def __str__(self):
        return f"{self.user_id}"
