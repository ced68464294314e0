from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .identity import identity_hash
from .importing.textutil import web_url
from .querysets import ArticleQuerySet


def web_link(url: str) -> str:
    """`url` if it is a web address, else "": a javascript: or data: URL stored by any route never becomes a link.
    The rule is the import's (importing.textutil.web_url), which also says why it dropped a URL."""
    return web_url(url)[0]


def unicode_slug(value: str, fallback: str = "item") -> str:
    return slugify(value, allow_unicode=True)[:100] or fallback


class _WebLinked:
    """A row whose `url` pages show as a link: `safe_url`, its web address or ""."""

    @property
    def safe_url(self) -> str:
        return web_link(self.url)


class Source(_WebLinked, models.Model):
    """A publication: a newspaper, a site or an agency."""

    key = models.CharField(
        "المفتاح", max_length=100, unique=True, help_text="معرّف ثابت يستعمله الاستيراد، مثل alriyadh"
    )
    name = models.CharField("الاسم", max_length=200)
    slug = models.SlugField("المعرّف في الروابط", max_length=100, unique=True, allow_unicode=True)
    url = models.URLField("الموقع", blank=True)
    created_at = models.DateTimeField("أنشئ في", auto_now_add=True)

    class Meta:
        verbose_name = "مصدر"
        verbose_name_plural = "المصادر"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"slug": self.slug})


class Tag(models.Model):
    """A label editors attach to articles. Topics are the tags readers browse by."""

    class Kind(models.TextChoices):
        TOPIC = "topic", "موضوع"
        KEYWORD = "keyword", "كلمة مفتاحية"

    name = models.CharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الروابط", max_length=100, unique=True, allow_unicode=True)
    kind = models.CharField("النوع", max_length=10, choices=Kind.choices, default=Kind.KEYWORD)
    key = models.CharField(
        "مفتاح الاستيراد", max_length=100, blank=True, help_text="التصنيف كما يرد في ملفات الاستيراد، مثل sport"
    )
    created_at = models.DateTimeField("أنشئ في", auto_now_add=True)

    class Meta:
        verbose_name = "وسم"
        verbose_name_plural = "الوسوم"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="tag_unique_key"),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="tag_kind_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})


class ImportBatch(models.Model):
    """One run of `import_articles`: what it was asked, what it did, and every file it could not read."""

    class Status(models.TextChoices):
        RUNNING = "running", "جارٍ"
        FINISHED = "finished", "انتهى"
        INTERRUPTED = "interrupted", "انقطع"
        FAILED = "failed", "فشل"

    started_at = models.DateTimeField("بدأ في", auto_now_add=True)
    finished_at = models.DateTimeField("انتهى في", null=True, blank=True)
    status = models.CharField("الحالة", max_length=12, choices=Status.choices, default=Status.RUNNING)
    arguments = models.JSONField("المعطيات", default=dict, blank=True)
    user = models.CharField("المستخدم", max_length=150, blank=True)
    host = models.CharField("الجهاز", max_length=255, blank=True)
    pid = models.PositiveIntegerField("رقم العملية", null=True, blank=True)
    dry_run = models.BooleanField("تجربة دون حفظ", default=False)
    files_read = models.PositiveIntegerField("ملفات مقروءة", default=0)
    records_read = models.PositiveIntegerField("مقالات مقروءة", default=0)
    created = models.PositiveIntegerField("أُنشئ", default=0)
    updated = models.PositiveIntegerField("حُدّث", default=0)
    duplicates = models.PositiveIntegerField("مكرر", default=0)
    failed = models.PositiveIntegerField("فشل", default=0)
    errors = models.JSONField("الأخطاء", default=list, blank=True)
    # What was imported, but not whole: a date dropped, a URL refused, a tag left unclosed (the first NOTES_KEPT).
    notes = models.JSONField("ملاحظات", default=list, blank=True)
    notes_total = models.PositiveIntegerField("عدد الملاحظات", default=0)

    class Meta:
        verbose_name = "دفعة استيراد"
        verbose_name_plural = "دفعات الاستيراد"
        ordering = ["-started_at"]

    def __str__(self):
        return f"دفعة {self.pk} ({self.get_status_display()})"

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


class Article(_WebLinked, models.Model):
    title = models.TextField("العنوان", blank=True)
    lead = models.TextField("الملخص", blank=True)
    body = models.TextField("النص", blank=True)
    credit = models.CharField("الوكالة / المصدر المذكور", max_length=200, blank=True)
    author = models.CharField("الكاتب", max_length=300, blank=True)
    url = models.URLField("الرابط الأصلي", max_length=2000, blank=True)
    doc_id = models.CharField("معرّف الوثيقة", max_length=200, blank=True)
    published_at = models.DateTimeField("تاريخ النشر", null=True, blank=True)
    # No index of its own: article_source_date_idx (source, -published_at) serves every lookup by source.
    source = models.ForeignKey(
        Source,
        verbose_name="المصدر",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        db_index=False,
    )
    tags = models.ManyToManyField(Tag, verbose_name="الوسوم", blank=True, related_name="articles")

    raw_text = models.TextField("النص الأصلي للملف", blank=True, help_text="كما قُرئ من الملف، دون أي تعديل")
    origin_path = models.CharField("الملف الأصلي", max_length=1000, blank=True)
    origin_format = models.CharField("صيغة الملف", max_length=10, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name="دفعة الاستيراد",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    # Unique through Meta.constraints rather than unique=True, which would add a second (LIKE) index that every
    # insert pays for and no query uses.
    content_hash = models.CharField("بصمة المحتوى", max_length=64, editable=False)

    created_at = models.DateTimeField("أُضيف في", auto_now_add=True)
    updated_at = models.DateTimeField("عُدّل في", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "مقال"
        verbose_name_plural = "المقالات"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="article_unique_content_hash"),
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="article_unique_url"),
            models.CheckConstraint(condition=~Q(title="") | ~Q(body=""), name="article_has_text"),
        ]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["source", "-published_at"], name="article_source_date_idx"),
            models.Index(fields=["doc_id"], name="article_doc_id_idx", condition=~Q(doc_id="")),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        words = self.body.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "") if words else "(بلا عنوان)"

    def save(self, *args, **kwargs):
        # Editors change the title and body in the admin: the identity follows the text. (The search index
        # follows too, through the outbox triggers of migration 0011.)
        self.content_hash = content_hash(self.title, self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"content_hash"}
        super().save(*args, **kwargs)


def content_hash(title: str, body: str) -> str:
    """Identity of an article's content: the same headline and text, however spaced or spelled invisibly
    (tashkeel, tatweel, alef forms, presentation forms, bidi marks…), are the same article (articles.identity)."""
    return identity_hash(title, body)


class Alias(models.Model):
    """A former name, slug and import key of a tag or source (merged into another, or renamed): old links and
    imports still land on the row it now stands for, `owner`. One rule for both kinds, here."""

    owner_field = ""  # the foreign key to the live row: "tag" or "source"

    name = models.CharField("الاسم القديم", max_length=100)
    slug = models.SlugField("المعرّف القديم", max_length=100, unique=True, allow_unicode=True)
    key = models.CharField("مفتاح الاستيراد القديم", max_length=100, blank=True)
    created_at = models.DateTimeField("أنشئ في", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ← {getattr(self, self.owner_field + '_id')}"

    @property
    def owner(self):
        return getattr(self, self.owner_field)

    @classmethod
    def owner_of(cls, **lookup):
        """The live row an old slug or key (`slug=…`, `key=…`) now stands for, or None."""
        alias = cls.objects.select_related(cls.owner_field).filter(**lookup).first()
        return alias.owner if alias else None

    @classmethod
    def take_over(cls, target, merged: list) -> None:
        """After `merged` rows were folded into `target`: their aliases and their own names, slugs and keys now
        stand for `target`. Call before deleting them (their aliases would go with them)."""
        cls.objects.filter(**{f"{cls.owner_field}__in": merged}).update(**{cls.owner_field: target})
        cls.objects.bulk_create(
            [cls(**{cls.owner_field: target}, name=m.name, slug=m.slug, key=m.key) for m in merged],
            update_conflicts=True,
            unique_fields=["slug"],
            update_fields=[cls.owner_field, "name", "key"],
        )

    @classmethod
    def remember(cls, obj, old_name: str, old_slug: str) -> None:
        """After `obj` was saved: a changed slug becomes an alias of it, and an alias its live slug shadows is
        dropped (a live slug always wins)."""
        if old_slug and old_slug != obj.slug:
            cls.objects.update_or_create(slug=old_slug, defaults={cls.owner_field: obj, "name": old_name, "key": ""})
        cls.objects.filter(slug=obj.slug).delete()


class TagAlias(Alias):
    owner_field = "tag"

    tag = models.ForeignKey(Tag, verbose_name="الوسم الحالي", on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name = "اسم سابق لوسم"
        verbose_name_plural = "الأسماء السابقة للوسوم"


class SourceAlias(Alias):
    owner_field = "source"

    source = models.ForeignKey(Source, verbose_name="المصدر الحالي", on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField("الاسم القديم", max_length=200)  # a source's name is longer than a tag's
    key = models.CharField("المفتاح القديم", max_length=100, blank=True)

    class Meta(Alias.Meta):
        verbose_name = "اسم سابق لمصدر"
        verbose_name_plural = "الأسماء السابقة للمصادر"


def live_or_moved(model, slug: str):
    """(row, moved) for a Tag or Source slug: the live row with it (moved False), else the one an old slug of a
    merged or renamed row now stands for (moved True: pages redirect there); (None, False) for an unknown slug."""
    found = model.objects.filter(slug=slug).first() if slug else None
    if found is not None or not slug:
        return found, False
    found = model._meta.get_field("aliases").related_model.owner_of(slug=slug)
    return found, found is not None


class TagSuggestionProfile(models.Model):
    """Per-tag constants of the tag-suggestion classifier (articles.suggest), rebuilt by `train_tag_suggestions`."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, primary_key=True, related_name="suggestion_profile")
    bias = models.FloatField()
    per_term = models.FloatField()
    articles = models.PositiveIntegerField()
    trained_at = models.DateTimeField()

    class Meta:
        verbose_name = "نموذج اقتراح وسم"
        verbose_name_plural = "نماذج اقتراح الوسوم"


class TagTermWeight(models.Model):
    """How much one index term speaks for one tag; only terms seen with the tag are stored (sparse)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)
    term = models.CharField(max_length=200)
    weight = models.FloatField()

    class Meta:
        verbose_name = "وزن كلمة لوسم"
        verbose_name_plural = "أوزان الكلمات للوسوم"
        constraints = [
            # Suggesting looks rows up by term: the unique index answers it without touching the table.
            models.UniqueConstraint(fields=["term", "tag"], include=["weight"], name="tagtermweight_term_tag"),
        ]
        indexes = [models.Index(fields=["tag"], name="tagtermweight_tag_idx")]


class SearchOutbox(models.Model):
    """Articles whose search-index document is out of date: written in the same transaction as the change, by
    PostgreSQL triggers on the articles and their tag links (migration 0011), so no write path can forget it.

    The indexer (articles.search.index) reads, indexes and deletes these rows; a crash replays them."""

    id = models.BigAutoField(primary_key=True)
    article_id = models.BigIntegerField()  # no foreign key: a deleted article's row says «remove it»
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "تغيير بانتظار الفهرسة"
        verbose_name_plural = "تغييرات بانتظار الفهرسة"

    def __str__(self):
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M:%S}"


class SearchIndexState(models.Model):
    """The archive's identity: an index built from another database (a restored backup, the test database) is
    never served for this one."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.CharField(max_length=200)

    class Meta:
        verbose_name = "حالة الفهرس"
        verbose_name_plural = "حالة الفهرس"

    def __str__(self):
        return f"{self.key}={self.value}"


class Story(models.Model):
    """One story as several papers ran it: its articles are copies of one another (articles.stories groups them)."""

    created_at = models.DateTimeField("أُنشئت في", auto_now_add=True)

    class Meta:
        verbose_name = "قصة"
        verbose_name_plural = "القصص"

    def __str__(self):
        return f"قصة {self.pk}"


class ArticleStory(models.Model):
    """Which story an article belongs to, and the fingerprint that decided it (articles.stories.fingerprint).

    A table of its own rather than columns on the article: grouping writes it after each import batch, and an
    update of the article row would rewrite its wide row and wake the search outbox's triggers."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="story_link")
    # Indexed by articlestory_story_idx below, for grouped articles only: most articles have no story.
    story = models.ForeignKey(
        Story,
        verbose_name="القصة",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="links",
        db_index=False,
    )
    # The article's date, here too: candidates are looked up by band and date in one index-backed query.
    published_at = models.DateTimeField(null=True, blank=True)
    bands = ArrayField(models.IntegerField(), default=list)  # MinHash LSH band keys; empty for a too-short text
    # Set by an editor's split or join in the admin: regrouping keeps this article where the editor put it.
    by_editor = models.BooleanField("حدّده محرر", default=False)

    class Meta:
        verbose_name = "انتماء إلى قصة"
        verbose_name_plural = "الانتماء إلى القصص"
        indexes = [
            # No pending list: every batch reads right after writing, and each probe would scan the whole unmerged
            # list (docs/architecture.md, "Why the code is this way").
            GinIndex(fields=["bands"], name="articlestory_bands_gin", fastupdate=False),
            models.Index(fields=["story"], name="articlestory_story_idx", condition=Q(story__isnull=False)),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.story_id}"


class StorySplit(models.Model):
    """Two articles an editor said are different stories: grouping never puts them together again."""

    # No index of its own: storysplit_unique_pair (first, second) serves lookups by the first.
    first = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    second = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "فصل بين قصتين"
        verbose_name_plural = "فصل بين القصص"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="storysplit_unique_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="storysplit_ordered_pair"),
        ]

    def __str__(self):
        return f"{self.first_id} ≠ {self.second_id}"


# The journalists' tables live with the rest of their concern; importing them here registers them with the app.
from .journalists.models import Collection, CollectionItem, FeedToken, SavedSearch  # noqa: E402, F401
