"""Forms of the admin's intermediate pages: bulk tagging and merging."""

from __future__ import annotations

import re

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple

from .arabic_numbers import ARTICLE, counted
from .models import Article, Tag

# Editors type Arabic commas as often as Latin ones.
_NAME_SEPARATORS = re.compile(r"[,،؛;\n]+")


class BulkTagForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        Tag.objects.all(),
        label="الوسوم",
        required=False,
        help_text="اكتب حرفين أو أكثر للبحث في الوسوم الموجودة.",
    )
    new_tags = forms.CharField(
        label="وسوم جديدة",
        required=False,
        max_length=1000,
        help_text="أسماء وسوم غير موجودة بعد، مفصولة بفواصل؛ تُنشأ عند التطبيق.",
    )
    new_kind = forms.TypedChoiceField(
        label="نوع الوسوم الجديدة",
        choices=Tag.Kind.choices,
        initial=Tag.Kind.TOPIC,
        required=False,
        empty_value=Tag.Kind.TOPIC,
    )

    def __init__(self, *args, admin_site, allow_create: bool, **kwargs):
        super().__init__(*args, **kwargs)
        tags = self.fields["tags"]
        tags.widget = AutocompleteSelectMultiple(
            Article._meta.get_field("tags"), admin_site, attrs={"data-width": "32em"}
        )
        tags.widget.choices = tags.choices  # the field hands its choices to the widget it was built with
        if not allow_create:
            del self.fields["new_tags"], self.fields["new_kind"]

    def clean_new_tags(self) -> list[str]:
        names = [" ".join(n.split()) for n in _NAME_SEPARATORS.split(self.cleaned_data.get("new_tags", ""))]
        names = [n for n in names if n]
        if too_long := [n for n in names if len(n) > 100]:
            raise forms.ValidationError(f"اسم الوسم أطول من 100 حرف: {too_long[0][:30]}…")
        return names

    def clean(self):
        data = super().clean()
        if not data.get("tags") and not data.get("new_tags"):
            raise forms.ValidationError("اختر وسما واحدا على الأقل.")
        return data


class MergeForm(forms.Form):
    """Pick, among the selected tags (or sources), the one the others merge into."""

    target = forms.ModelChoiceField(queryset=None, label="الدمج في", widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = queryset
        self.fields["target"].label_from_instance = _with_count


def _with_count(obj) -> str:
    count = getattr(obj, "article_count", None)
    return str(obj) if count is None else f"{obj} ({counted(count, ARTICLE)})"


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            # Titles are TextFields (some wires send long ones) but read as one line.
            "title": forms.TextInput(attrs={"class": "vLargeTextField article-title-input"}),
            "lead": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = self.fields.get("published_at")
        # The field's <label> names the date box only: each box of the pair says what it holds.
        boxes = getattr(published.widget, "widgets", ()) if published else ()
        for box, name in zip(boxes, ("تاريخ النشر", "وقت النشر")):
            box.attrs["aria-label"] = name
        for field in self.fields.values():
            _label_empty_choice(getattr(field.widget, "widget", field.widget))


def _label_empty_choice(widget) -> None:
    """An autocomplete's empty choice (select2's «clear») is an empty <option>, which HTML forbids without a label
    attribute: it gets one. Its text stays empty, which select2 reads."""
    if not hasattr(widget, "create_option"):
        return
    create_option = widget.create_option

    def labelled(name, value, label, selected, index, subindex=None, attrs=None):
        option = create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if option["value"] in ("", None) and not str(option["label"]):
            option["attrs"]["label"] = "—"
        return option

    widget.create_option = labelled


class TagListForm(forms.ModelForm):
    """A row of the tag list: its «kind» menu, edited in place, names the tag it belongs to (it has no label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].widget.attrs["aria-label"] = f"نوع «{self.instance.name}»"
