"""Why a file was not imported, in Arabic for the person importing (the terminal summary, the admin's batch page).

The reader and the parsers say why in English, with the technical detail (a byte offset, an errno, a JSON
column): that text is the log's and stays in each error as its `detail`. `arabic(reason)` gives the sentence a
user reads. It names the cause without the run-specific detail, so the admin's summary by reason counts one
cause once (not one line per byte offset). Pure: no Django imports.
"""

from __future__ import annotations

import re

_ARABIC = re.compile("[\u0600-\u06ff]")

_BINARY_KINDS = {
    "PDF document": "مستند PDF",
    "PNG image": "صورة PNG",
    "JPEG image": "صورة JPEG",
    "GIF image": "صورة GIF",
    "TIFF image": "صورة TIFF",
    "WebP image": "صورة WebP",
    "ZIP archive": "أرشيف ZIP",
    "gzip compressed data": "ملف مضغوط gzip",
    "xz compressed data": "ملف مضغوط xz",
    "bzip2 compressed data": "ملف مضغوط bzip2",
    "zstd compressed data": "ملف مضغوط zstd",
    "7-Zip archive": "أرشيف 7-Zip",
    "RAR archive": "أرشيف RAR",
    "Microsoft Office (OLE) document": "مستند Microsoft Office",
    "SQLite database": "قاعدة بيانات SQLite",
    "ELF executable": "برنامج تنفيذي",
    "Mach-O executable": "برنامج تنفيذي",
    "Windows executable": "برنامج تنفيذي",
    "Java class or Mach-O file": "برنامج تنفيذي",
    "WebAssembly module": "برنامج تنفيذي",
    "MP3 audio": "ملف صوتي",
    "Ogg media": "ملف صوتي أو مرئي",
    "FLAC audio": "ملف صوتي",
    "WAV audio": "ملف صوتي",
    "AVI video": "ملف مرئي",
    "Matroska/WebM video": "ملف مرئي",
    "WOFF font": "ملف خط",
    "WOFF2 font": "ملف خط",
}


def _binary(match: re.Match) -> str:
    kind = _BINARY_KINDS.get(match["kind"])
    return f"ملف ثنائي ({kind})، لا نص فيه" if kind else "ملف ثنائي، لا نص فيه"


def _json_prefix(match: re.Match) -> str:
    rest = " وما بعده من سجلات" if "records from" in match.string else ""
    return f"JSON غير صالح{rest}: صحّح الملف أو صدّره من جديد"


# (pattern, Arabic): first match wins. A pattern matches the start of the English reason.
_RULES: list[tuple[re.Pattern, object]] = [
    (re.compile(p), a)
    for p, a in [
        (r"skipped: a README/licence/manifest", "ليس مقالا (ملف README أو رخصة أو بيان)، تُخطّي"),
        (
            r"skipped: not an article \(a documentation, code or configuration file, by its name (?P<suffix>\S+)\)",
            lambda m: f"ليس مقالا: ملف توثيق أو برمجة أو إعدادات (‎{m['suffix']}‎)، تُخطّي",
        ),
        (
            r"skipped: not an article \(plain text without a single Arabic letter\)",
            "ليس مقالا: نص بلا حرف عربي واحد، تُخطّي",
        ),
        (r"empty file|empty file \(only whitespace\)|empty file \(no visible text\)", "ملف فارغ: لا نص فيه"),
        (r"no text left once control characters", "لا نص في الملف بعد حذف محارف التحكم"),
        (r"binary file \((?P<kind>[^)]*)\)", _binary),
        (r"mixed encodings", "ترميزان مختلفان في ملف واحد (UTF-8 وWindows-1256؟): قسّم الملف حيث يتغير الترميز"),
        (r"not valid UTF-8 text", "نص UTF-8 تالف: فيه بايتات غير صالحة"),
        (r"not valid UTF-(16|32)", "نص UTF-16 تالف: فيه بيانات غير صالحة"),
        (r"not valid UTF-8, UTF-16 or Windows-1256", "ترميز غير معروف: ليس UTF-8 ولا UTF-16 ولا Windows-1256"),
        (r"HTML page", "صفحة HTML وليست ملف مقال: احفظ المقال نصا أو صدّره JSON"),
        (r"XML document", "مستند XML بصيغة غير مدعومة (تُقرأ ملفات ‎<DOC>‎ فقط)"),
        (r"RTF document", "مستند RTF غير مدعوم: احفظه نصا"),
        (r"CSV/TSV table", "جدول CSV/TSV، ليس من صيغ المقالات المدعومة"),
        (r"text too long for one article", "نص أطول من أن يكون مقالا واحدا: قسّمه ملفا لكل مقال"),
        (r"file too large|uncompressed size.* exceeds", "ملف أكبر من الحد المسموح، رُفض"),
        (r"compression ratio above", "نسبة ضغط مريبة (قنبلة ضغط؟)، رُفض"),
        (r"rest of the archive skipped", "تُخطّي باقي الأرشيف بعد عضو مريب"),
        (r"7-Zip/RAR archives", "أرشيفات 7-Zip وRAR غير مدعومة: استعمل zip أو tar.gz"),
        (r"nested archive", "أرشيف داخل أرشيف غير مدعوم: استخرجه واستورده وحده"),
        (r"encrypted \(password-protected\)", "عضو أرشيف مشفّر بكلمة مرور، تُخطّي"),
        (r"archive member with unsafe path", "عضو أرشيف بمسار غير آمن (مطلق أو فيه ‎..‎)، رُفض"),
        (r"corrupt gzip", "ملف gzip تالف"),
        (r"corrupt or unreadable ZIP", "أرشيف ZIP تالف أو لا يُقرأ"),
        (r"ZIP archive holds no files|tar archive holds no files", "أرشيف لا ملفات فيه"),
        (r"corrupt or unsupported tar|tar archive is corrupt", "أرشيف tar تالف أو مقطوع"),
        (r"cannot read archive member", "تعذّرت قراءة عضو في الأرشيف"),
        (r"symbolic link inside the archive|link inside the archive", "رابط داخل الأرشيف، لم يُتبع"),
        (r"device or FIFO inside the archive", "جهاز أو أنبوب داخل الأرشيف، لم يُقرأ"),
        (r"symbolic link pointing outside", "رابط رمزي يشير إلى خارج المجلد المعطى، لم يُتبع"),
        (r"symbolic link, not followed", "رابط رمزي، لم يُتبع (--follow-links يتبع ما بقي داخل المجلد)"),
        (r"symbolic link loop", "رابط رمزي يدور على نفسه، تُخطّي"),
        (r"broken symbolic link", "رابط رمزي مكسور: هدفه غير موجود"),
        (r"hard link", "رابط صلب (للملف أسماء أخرى على القرص)، لم يُقرأ"),
        (r"folder already imported through another link", "مجلد استُورد من قبل عبر رابط آخر، تُخطّي"),
        (r"not a regular file", "ليس ملفا عاديا (جهاز أو أنبوب أو مقبس)، لم يُقرأ"),
        (r"file disappeared during the import", "اختفى الملف أثناء الاستيراد"),
        (r"permission denied: cannot list folder", "لا إذن بقراءة المجلد"),
        (r"permission denied", "لا إذن بقراءة الملف"),
        (r"no such file or directory", "الملف غير موجود"),
        (r"cannot read folder", "تعذّرت قراءة المجلد"),
        (r"cannot read file", "تعذّرت قراءة الملف"),
        (r"JSON record is .*, not an object", "سجل JSON ليس كائنا"),
        (r"JSON record: field '(?P<key>[^']*)'", lambda m: f"سجل JSON: الحقل «{m['key']}» ليس نصا"),
        (r"JSON record has no title or body field", "سجل JSON بلا حقل عنوان ولا نص"),
        (r"JSON record has an empty title and an empty body", "سجل JSON عنوانه ونصه فارغان"),
        (r"JSON array is empty", "مصفوفة JSON فارغة"),
        (r"JSON Lines file has no records", "ملف JSON Lines بلا سجلات"),
        (r"JSON: the file does not start", "ملف JSON لا يبدأ بـ ‎[‎ أو ‎{‎"),
        (r"JSON", _json_prefix),
        (r"<DOC> contains none of the expected tags|<DOC> has neither", "عنصر ‎<DOC>‎ بلا عنوان ولا نص"),
        (r"no <DOC> element found", "لا عنصر ‎<DOC>‎ في الملف"),
        (r"internal error", "خطأ داخلي أثناء القراءة: أبلغ عنه مع التفاصيل"),
    ]
]

UNKNOWN = "تعذّر استيراد الملف (انظر التفاصيل)"


def arabic(reason: str) -> str:
    """The Arabic sentence for an importer's English reason; one already in Arabic (a full disk) is kept."""
    if _ARABIC.search(reason):
        return reason
    for pattern, arabic_text in _RULES:
        match = pattern.match(reason)
        if match:
            return arabic_text(match) if callable(arabic_text) else arabic_text
    return UNKNOWN


def error(origin: str, reason: str) -> dict:
    """A batch's error entry: the Arabic reason, grouped by on the admin page, and the English detail."""
    return {"path": origin, "reason": arabic(reason), "detail": reason}
