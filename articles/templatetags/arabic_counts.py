"""{{ n|counted:"article" }} → «89 مقالا»: Arabic counted nouns (articles/arabic_numbers.py) in templates, by the
noun's name (article, file, tag, source, story, error, note) or a model's `_meta` (the admin's `cl.opts`)."""

from django import template

from articles import arabic_numbers

register = template.Library()

_NOUNS = {
    "file": arabic_numbers.FILE,
    "error": arabic_numbers.ERROR,
    "note": arabic_numbers.NOTE,
    **arabic_numbers.BY_MODEL,
}


@register.filter
def counted(n, noun) -> str:
    """The count with its noun agreeing. A model with no Arabic forms here keeps Django's «n verbose_name»."""
    model_name = getattr(noun, "model_name", noun)
    found = _NOUNS.get(model_name)
    if found:
        return arabic_numbers.counted(int(n), found)
    if hasattr(noun, "verbose_name"):
        return f"{n} {noun.verbose_name if int(n) == 1 else noun.verbose_name_plural}"
    return str(n)


@register.filter
def counted_oblique(n, noun) -> str:
    """As `counted`, with the dual after a verb or a preposition: «إلى مقالين»."""
    found = _NOUNS.get(getattr(noun, "model_name", noun))
    return arabic_numbers.counted(int(n), found, oblique=True) if found else counted(n, noun)
