"""Arabic counted nouns: «9 ملفات»، «7 مقالات»، «11 وسما»، «مقالان»، «100 مقال». No Django imports.

Arabic has six plural forms, chosen by the number exactly as gettext's `ar` catalogue chooses them (the formula
in Django's own Arabic translations), so a count agrees whether it comes from here or from `ngettext`:

    0        zero   «0 مقال»        (CLDR: the number with the singular)
    1        one    «مقال واحد»
    2        two    «مقالان» / «مقالين» after a verb or preposition
    3–10     few    «3 مقالات»      (n % 100 in 3..10, so also 103 مقالات)
    11–99    many   «11 مقالا»      (n % 100 in 11..99: the accusative singular)
    100+     other  «100 مقال»      (100, 101, 102, 200…: the genitive singular)
"""

from __future__ import annotations

from dataclasses import dataclass

ZERO, ONE, TWO, FEW, MANY, OTHER = range(6)


def plural_form(n: int) -> int:
    """gettext's Arabic plural index for `n` (Plural-Forms of Django's `ar` catalogues)."""
    n = abs(int(n))
    if n == 0:
        return ZERO
    if n == 1:
        return ONE
    if n == 2:
        return TWO
    if 3 <= n % 100 <= 10:
        return FEW
    if n % 100 >= 11:
        return MANY
    return OTHER


@dataclass(frozen=True)
class Noun:
    """The forms a counted noun takes. `one` defaults to «singular واحد/واحدة» by `feminine`."""

    singular: str  # مقال: also 0 and 100+ (genitive)
    dual: str  # مقالان
    dual_oblique: str  # مقالين
    plural: str  # مقالات: 3–10
    accusative: str  # مقالا: 11–99 (tamyiz)
    feminine: bool = False

    def counted(self, n: int, *, oblique: bool = False) -> str:
        """«n noun» with the number agreeing; `oblique` for a dual after a verb or a preposition (مقالين)."""
        form = plural_form(n)
        if form == ONE:
            return f"{self.singular} {'واحدة' if self.feminine else 'واحد'}"
        if form == TWO:
            return self.dual_oblique if oblique else self.dual
        word = {ZERO: self.singular, FEW: self.plural, MANY: self.accusative, OTHER: self.singular}[form]
        return f"{n} {word}"


ARTICLE = Noun("مقال", "مقالان", "مقالين", "مقالات", "مقالا")
FILE = Noun("ملف", "ملفان", "ملفين", "ملفات", "ملفا")
TAG = Noun("وسم", "وسمان", "وسمين", "وسوم", "وسما")
SOURCE = Noun("مصدر", "مصدران", "مصدرين", "مصادر", "مصدرا")
STORY = Noun("قصة", "قصتان", "قصتين", "قصص", "قصة", feminine=True)
BATCH = Noun("دفعة", "دفعتان", "دفعتين", "دفعات", "دفعة", feminine=True)
ERROR = Noun("خطأ", "خطآن", "خطأين", "أخطاء", "خطأ")
NOTE = Noun("ملاحظة", "ملاحظتان", "ملاحظتين", "ملاحظات", "ملاحظة", feminine=True)
WORD = Noun("كلمة", "كلمتان", "كلمتين", "كلمات", "كلمة", feminine=True)
WEIGHT = Noun("وزن", "وزنان", "وزنين", "أوزان", "وزنا")
ALIAS = Noun("اسم سابق", "اسمان سابقان", "اسمين سابقين", "أسماء سابقة", "اسما سابقا")
ACCOUNT = Noun("حساب", "حسابان", "حسابين", "حسابات", "حسابا")
RESULT = Noun("نتيجة", "نتيجتان", "نتيجتين", "نتائج", "نتيجة", feminine=True)
TOPIC = Noun("موضوع", "موضوعان", "موضوعين", "مواضيع", "موضوعا")
COPY = Noun("نسخة", "نسختان", "نسختين", "نسخ", "نسخة", feminine=True)
ALERT = Noun("تنبيه", "تنبيهان", "تنبيهين", "تنبيهات", "تنبيها")

#: By Django model name, for the admin's counts («89 مقالا», «اختيار 89 مقالا»).
BY_MODEL = {
    "article": ARTICLE,
    "tag": TAG,
    "source": SOURCE,
    "story": STORY,
    "importbatch": BATCH,
    "tagalias": ALIAS,
    "sourcealias": ALIAS,
    "user": ACCOUNT,
}


def counted(n: int, noun: Noun, *, oblique: bool = False) -> str:
    """«n noun», agreeing: counted(9, FILE) == "9 ملفات", counted(11, TAG) == "11 وسما"."""
    return noun.counted(n, oblique=oblique)
