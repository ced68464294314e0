"""The search form: every filter of the HTML page, the JSON API and the CSV export.

Bad values never raise: an invalid date or an unknown topic is dropped with a message for the page, so a pasted
or hand-edited URL still gives results.
"""

import datetime as dt

from django import forms

from .search.query import CONTROL_CHARACTERS, MAX_QUERY_CHARS

SORT_CHOICES = [("relevance", "الأهمية"), ("newest", "الأحدث"), ("oldest", "الأقدم")]
UNDATED = "undated"
ALL_COPIES = "all"  # ?copies=all: every copy of a story listed, not the story once
FIRST_COPIES = "first"  # ?copies=first: each story once, as its earliest matching copy (the page's default)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="ابحث في الأرشيف", strip=True)
    source = forms.CharField(required=False)
    tag = forms.CharField(required=False)
    year = forms.CharField(required=False)
    date_from = forms.DateField(required=False, label="من تاريخ", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="إلى تاريخ", widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label="الترتيب")
    copies = forms.ChoiceField(
        required=False, choices=[("", "كل قصة مرة"), (FIRST_COPIES, "كل قصة مرة"), (ALL_COPIES, "كل النسخ")]
    )
    # Articles added to the archive after article `after` (and up to article `through`): a saved search's «new
    # since you last looked», and its alerts. Ids only grow, so the index answers it with a range.
    after = forms.IntegerField(required=False, min_value=0, max_value=(1 << 62))
    through = forms.IntegerField(required=False, min_value=0, max_value=(1 << 62))

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def clean_q(self):
        q = self.cleaned_data.get("q", "") or ""
        return CONTROL_CHARACTERS.sub(" ", q)[: MAX_QUERY_CHARS * 4]

    def clean_year(self):
        year = (self.cleaned_data.get("year") or "").strip()
        if year == UNDATED:
            return year
        # isdecimal, not isdigit: "²" is a digit int() refuses. 9998 at most: the year's end must be representable.
        return int(year) if year.isdecimal() and 1000 <= int(year) <= 9998 else None

    def clean_date_to(self):
        value = self.cleaned_data.get("date_to")
        return min(value, dt.date(9998, 12, 31)) if value else value  # the filter adds a day to it

    def clean_sort(self):
        return self.cleaned_data.get("sort") or "relevance"

    def clean_source(self):
        return (self.cleaned_data.get("source") or "").strip()[:100]

    def clean_tag(self):
        return (self.cleaned_data.get("tag") or "").strip()[:100]

    def filters(self) -> dict:
        """The valid filters, whatever was wrong with the others (errors become notes for the page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        out = {
            name: data.get(name)
            for name in ("q", "source", "tag", "year", "date_from", "date_to", "sort", "copies", "after", "through")
        }
        out["q"] = out["q"] or ""
        out["sort"] = out["sort"] or "relevance"
        out["copies"] = out["copies"] or ""
        return out

    @property
    def notes(self) -> list[str]:
        notes = []
        if "date_from" in self.errors or "date_to" in self.errors:
            notes.append("تجاهلنا تاريخا غير صالح (الصيغة: YYYY-MM-DD).")
        if "sort" in self.errors:
            notes.append("ترتيب غير معروف: عرضنا النتائج حسب الأهمية.")
        if "after" in self.errors or "through" in self.errors:
            notes.append("تجاهلنا رقم مقال غير صالح في after أو through: عرضنا كل المقالات.")
        if "copies" in self.errors:
            notes.append("قيمة غير معروفة لـ copies (المعروفة: all و first): عرضنا كل قصة مرة واحدة.")
        return notes


def refined_params(params):
    """«ابحث في هذه النتائج»: the parameters with ?within=… ANDed onto the query (bracketed, so an OR in it keeps
    its meaning) and every filter kept; None when the request is not such a refinement."""
    if "within" not in params:
        return None
    out = params.copy()
    within = " ".join(out.pop("within")).strip()
    out.pop("page", None)
    if within:
        q = (params.get("q") or "").strip()
        out["q"] = f"({q}) {within}" if q else within
    return out
