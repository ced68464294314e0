"""The collections' forms: what a request may carry, with Arabic labels and messages. The rules of a name, a note
or a share live in articles.journalists.collections; these only refuse what is malformed before it gets there."""

from django import forms

from ..models import Article
from .collections import DESCRIPTION_MAX, NAME_MAX, NOTE_MAX, parse_usernames


def _name_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label="اسم الملف",
        max_length=NAME_MAX,
        error_messages={
            "required": "اكتب اسما للملف.",
            "max_length": f"اسم الملف أطول من {NAME_MAX} حرف: اختصره.",
        },
        **kwargs,
    )


def _note_field() -> forms.CharField:
    return forms.CharField(
        label="ملاحظة",
        required=False,
        max_length=NOTE_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"الملاحظة أطول من {NOTE_MAX} حرف: اختصرها ثم احفظها."},
    )


def _description_field() -> forms.CharField:
    return forms.CharField(
        label="الوصف",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"الوصف أطول من {DESCRIPTION_MAX} حرف: اختصره."},
    )


class CollectionForm(forms.Form):
    """Creating a collection, or renaming and describing it."""

    name = _name_field()
    description = _description_field()


class NoteForm(forms.Form):
    note = _note_field()


class MoveForm(forms.Form):
    direction = forms.ChoiceField(required=False, choices=[("up", "إلى الأعلى"), ("down", "إلى الأسفل")])
    position = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        label="إلى الموضع",
        error_messages={
            "invalid": "اكتب رقم الموضع.",
            "min_value": "الموضع الأول هو 1.",
            "max_value": "رقم الموضع كبير جدا.",
        },
    )

    def clean(self):
        data = super().clean()
        if not data.get("direction") and data.get("position") is None:
            raise forms.ValidationError("اختر اتجاه النقل أو رقم الموضع.")
        return data


class ShareForm(forms.Form):
    usernames = forms.CharField(
        label="أسماء مستخدمي الزملاء",
        max_length=2000,
        error_messages={
            "required": "اكتب اسم مستخدم زميل واحد على الأقل.",
            "max_length": "القائمة أطول مما ينبغي: شارك مع عدد أقل في كل مرة.",
        },
        help_text="افصل بين الأسماء بفاصلة أو مسافة.",
    )

    def clean_usernames(self):
        return parse_usernames(self.cleaned_data["usernames"])


class UnshareForm(forms.Form):
    username = forms.CharField(max_length=150)


class AddToCollectionForm(forms.Form):
    """The article page's «أضف إلى ملف»: one of the journalist's collections, or a new name, and a note."""

    article = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=(1 << 62),
        error_messages={
            "required": "لم يُحدَّد المقال.",
            "invalid": "رقم المقال غير صحيح.",
            "min_value": "رقم المقال غير صحيح.",
            "max_value": "رقم المقال غير صحيح.",
        },
    )
    collection = forms.TypedChoiceField(
        label="الملف",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "هذا الملف ليس من ملفاتك."},
    )
    new_name = forms.CharField(
        label="أو ملف جديد باسم",
        required=False,
        max_length=NAME_MAX,
        error_messages={"max_length": f"اسم الملف أطول من {NAME_MAX} حرف: اختصره."},
    )
    note = _note_field()

    def __init__(self, *args, collections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.collections = {c.pk: c for c in collections}
        self.fields["collection"].choices = [("", "— اختر ملفا —")] + [(c.pk, c.name) for c in collections]

    def clean_article(self):
        article = Article.objects.published().filter(pk=self.cleaned_data["article"]).first()
        if article is None:
            raise forms.ValidationError("لا مقال بهذا الرقم في الأرشيف.")
        return article

    def clean(self):
        data = super().clean()
        if data.get("collection") is None and not (data.get("new_name") or "").strip():
            if "collection" not in self.errors and "new_name" not in self.errors:
                raise forms.ValidationError("اختر ملفا من ملفاتك أو اكتب اسم ملف جديد.")
        data["collection"] = self.collections.get(data.get("collection"))
        return data
