"""A corpus of bad input for the importer, generated on the fly (nothing binary is committed).

`build(root)` writes every kind of bad file under `root/bad/` next to real ANT articles under `root/good/` (copied
byte for byte), and returns what must happen to each: imported (how many articles), reported (by name, with a
reason matching a pattern), or a mix (some records imported, the rest reported). The big kinds (a 50 MB file, 100k
JSON objects, compression bombs) are only written when asked, so the fast tests stay fast.

Each kind is one small builder registered with `@bad_file`: it writes its file through the shared `Corpus` (the bad/
folder, one seeded random generator, the articles handed out in order) and returns its `Kind`. A new kind is a new
builder; the order of registration is the order of the kinds.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import re
import shutil
import struct
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from articles.importing.trec import parse_trec

from .conftest import ant_files


@dataclass
class Kind:
    name: str  # what the test report calls it
    path: str  # relative to the bad/ folder (the origin the importer reports)
    imported: int = 0  # articles expected in the database from it
    records: int | None = None  # articles the reader yields for it, when not `imported` (duplicates)
    reported: str | None = None  # regex the reason of a FileProblem for it must match (None: no problem expected)
    problems: int | None = None  # exact number of problems expected (None: at least one when `reported` is set)
    check: object = None  # optional callable(list[ParsedArticle]) -> None, for extra assertions
    big: bool = False
    notes: str = ""
    extra_paths: list[str] = field(default_factory=list)  # other origins that belong to this kind


@dataclass
class Article:
    title: str
    body: str
    url: str


def sample_articles(n: int) -> list[Article]:
    out = []
    for path in ant_files(n):
        rec = next(iter(parse_trec(path.read_text("utf-8"), path.name)))
        out.append(Article(rec.title, rec.body, rec.url))
    return out


def _png(width: int = 16, height: int = 16) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(random.Random(1).randrange(256) for _ in range(width * 3)) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _pdf() -> bytes:
    stream = zlib.compress(("BT /F1 12 Tf 72 712 Td (" + "x" * 2000 + ") Tj ET").encode())
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"4 0 obj << /Length "
        + str(len(stream)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def _text_file(a: Article) -> str:
    return a.title + "\n\n" + a.body + "\n"


def _zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buf.getvalue()


def _check(holds, shown):
    """A Kind.check: `holds(records)` must be true; the failure shows `shown(records)`."""

    def check(records):
        assert holds(records), shown(records)

    return check


def _title_is(expected: str):
    return _check(lambda rs: [r.title for r in rs] == [expected], lambda rs: [r.title for r in rs])


# --- the registry --------------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """What the builders share: the bad/ folder, one random generator and the articles the kinds are made from,
    handed out in order (so that each kind's bytes stay the same from run to run)."""

    bad: Path
    rng: random.Random
    articles: list[Article]
    taken: dict[str, list[Article]] = field(default_factory=dict)  # by builder
    _next: int = 0
    _builder: str = ""

    def take(self, n: int = 1) -> list[Article]:
        """`n` articles no other kind was made from."""
        out = self.articles[self._next : self._next + n]
        self._next += n
        self.taken.setdefault(self._builder, []).extend(out)
        return out

    def taken_by(self, builder) -> list[Article]:
        """The articles an earlier builder took: a kind that differs from that one only in its form."""
        return self.taken[builder.__name__]

    def write(self, rel: str, data: bytes | str) -> Path:
        p = self.bad / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    def file(self, kind: Kind, data: bytes | str) -> Kind:
        """`kind` with its file written."""
        self.write(kind.path, data)
        return kind

    def run(self, builder) -> Kind:
        self._builder = builder.__name__
        return builder(self)


_BUILDERS: list[tuple[object, bool]] = []  # (builder, big), in the order the kinds are listed and made


def bad_file(builder=None, *, big: bool = False):
    """Register `builder(corpus) -> Kind`, which writes one kind of bad file. `big` kinds only when asked."""

    def register(fn):
        _BUILDERS.append((fn, big))
        return fn

    return register(builder) if builder is not None else register


def build(root: Path, *, big: bool = False) -> tuple[list[Path], list[Kind], list[Article]]:
    """Write good/ and bad/ under root. Returns (good files, kinds, the articles the bad kinds were made from)."""
    good_dir, bad = root / "good", root / "bad"
    good_dir.mkdir(parents=True)
    bad.mkdir(parents=True)
    good = []
    for path in ant_files(12):
        target = good_dir / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, target)
        good.append(target)
    corpus = Corpus(bad, random.Random(20240607), sample_articles(60)[12:])  # other articles than the good ones
    kinds = [corpus.run(builder) for builder, is_big in _BUILDERS if big or not is_big]
    return good, kinds, corpus.articles


# --- empty, whitespace, binary -------------------------------------------------------------------------------------


@bad_file
def empty(c: Corpus) -> Kind:
    return c.file(Kind("empty file", "empty.txt", reported="empty file"), b"")


@bad_file
def blank(c: Corpus) -> Kind:
    return c.file(Kind("whitespace only", "blank.txt", reported="empty file"), " \n\t\r\n\u00a0\u200f  \n")


@bad_file
def pdf(c: Corpus) -> Kind:
    return c.file(Kind("PDF", "report.pdf", reported="PDF"), _pdf())


@bad_file
def pdf_named_txt(c: Corpus) -> Kind:
    return c.file(Kind("PDF named .txt", "report-pdf.txt", reported="PDF"), _pdf())


@bad_file
def png(c: Corpus) -> Kind:
    return c.file(Kind("PNG image", "photo.png", reported="PNG"), _png())


@bad_file
def random_bytes(c: Corpus) -> Kind:
    return c.file(Kind("random bytes", "random.bin", reported="binary"), c.rng.randbytes(65536))


@bad_file
def random_bytes_without_nul(c: Corpus) -> Kind:
    noise = bytes(b for b in c.rng.randbytes(65536) if b)
    return c.file(Kind("random bytes without NUL", "noise.txt", reported="binary|not valid"), noise)


@bad_file
def nul_inside(c: Corpus) -> Kind:
    (a,) = c.take()
    raw = _text_file(a).encode()
    return c.file(
        Kind("NUL bytes inside text", "nul-inside.txt", reported="NUL|binary"),
        raw[:200] + b"\x00" + raw[200:400] + b"\x00\x00" + raw[400:],
    )


@bad_file
def stray_controls(c: Corpus) -> Kind:
    (a,) = c.take()
    body = a.body.replace(" ", " \x01", 3).replace(" ", "\x07 ", 2)
    return c.file(
        Kind("stray control characters in text (BEL, SOH, ESC)", "controls.txt", imported=1, check=_storable),
        a.title + "\x1b[31m\n\n" + body,
    )


@bad_file
def utf16_with_nul(c: Corpus) -> Kind:
    (a,) = c.take()
    return c.file(
        Kind("UTF-16 text with U+0000 characters inside", "utf16-nul.txt", imported=1, check=_storable),
        b"\xff\xfe" + (a.title + "\x00\n\n" + a.body[:300] + "\x00" + a.body[300:]).encode("utf-16-le"),
    )


@bad_file
def only_controls(c: Corpus) -> Kind:
    return c.file(
        Kind("only control characters", "only-controls.txt", reported="control characters|binary|empty"),
        "\x01\x02\x03\x04\x05 \x06\x07\x08",
    )


# --- encodings -----------------------------------------------------------------------------------------------------


@bad_file
def truncated_utf8(c: Corpus) -> Kind:
    (a,) = c.take()
    cut = _text_file(a).encode()
    cut = cut[: len(cut) - 1] if cut[-2] >= 0x80 else cut + "ب".encode()[:1]  # end in half a character
    noted = _check(
        lambda rs: rs[0].title == a.title and any("truncated" in n for n in rs[0].notes), lambda rs: rs[0].notes
    )
    return c.file(
        Kind("truncated UTF-8 (half a character at the end)", "truncated-utf8.txt", imported=1, check=noted), cut
    )


@bad_file
def corrupt_utf8(c: Corpus) -> Kind:
    (a,) = c.take()
    raw = _text_file(a).encode()
    return c.file(
        Kind("corrupt UTF-8 in the middle", "corrupt-utf8.txt", reported="not valid UTF-8"),
        raw[:300] + b"\xff\xfe\xc3" + raw[300:],
    )


def _encoded(label: str, codec: str, bom: bytes):
    def builder(c: Corpus) -> Kind:
        (a,) = c.take()
        text = _text_file(a)
        if codec == "cp1256":  # what the code page cannot write is left out, of the title too
            text = text.encode("cp1256", errors="ignore").decode("cp1256")
            a = Article(text.split("\n", 1)[0], "", "")
        data = bom + text.encode(codec, errors="ignore" if codec == "cp1256" else "strict")
        return c.file(
            Kind(label, f"enc-{label.replace(' ', '-').lower()}.txt", imported=1, check=_title_is(a.title)), data
        )

    builder.__name__ = f"encoded_{label}"
    return builder


for _label, _codec, _bom in (
    ("Windows-1256", "cp1256", b""),
    ("UTF-16 LE with BOM", "utf-16-le", b"\xff\xfe"),
    ("UTF-16 BE with BOM", "utf-16-be", b"\xfe\xff"),
    ("UTF-16 LE without BOM", "utf-16-le", b""),
    ("UTF-16 BE without BOM", "utf-16-be", b""),
    ("UTF-8 with BOM", "utf-8", b"\xef\xbb\xbf"),
):
    bad_file(_encoded(_label, _codec, _bom))


@bad_file
def latin1(c: Corpus) -> Kind:
    return c.file(
        Kind("Latin-1 French text (unknown 8-bit encoding)", "latin1.txt", reported="not valid UTF-8"),
        ("Le ministre a déclaré à la presse : « réformes économiques » et après. " * 20).encode("latin-1"),
    )


@bad_file
def mixed_line_endings(c: Corpus) -> Kind:
    (a,) = c.take()
    paragraphs = a.body.split("\n\n")
    mixed = a.title + "\r\n\r\n" + "\r".join(paragraphs[:2]) + "\n" + "\r\n".join(paragraphs[2:])
    normalised = _check(
        lambda rs: rs[0].title == a.title and "\r" not in rs[0].body and "\n\n" in rs[0].body,
        lambda rs: repr(rs[0].body[:200]),
    )
    return c.file(Kind("mixed line endings (CRLF, CR, LF)", "mixed-eol.txt", imported=1, check=normalised), mixed)


# --- shapes of text ------------------------------------------------------------------------------------------------


@bad_file
def headline_only(c: Corpus) -> Kind:
    (a,) = c.take()
    no_body = _check(lambda rs: rs[0].title == a.title and rs[0].body == "", lambda rs: (rs[0].title, rs[0].body[:80]))
    return c.file(Kind("headline only", "headline-only.txt", imported=1, check=no_body), a.title + "\n")


@bad_file
def body_only(c: Corpus) -> Kind:
    (a,) = c.take()
    untitled = _check(lambda rs: rs[0].title == "" and len(rs[0].body) > 100, lambda rs: rs[0].title)
    return c.file(
        Kind("body only (JSON with no title)", "body-only.json", imported=1, check=untitled),
        json.dumps({"content": a.body, "url": a.url}, ensure_ascii=False),
    )


@bad_file
def html_page(c: Corpus) -> Kind:
    (a,) = c.taken_by(body_only)
    return c.file(
        Kind("HTML page instead of text", "page.html", reported="HTML"),
        f"<!DOCTYPE html><html><head><title>{a.title}</title></head><body><p>{a.body}</p>"
        "<script>alert(1)</script></body></html>",
    )


@bad_file
def html_named_txt(c: Corpus) -> Kind:
    (a,) = c.taken_by(body_only)
    return c.file(
        Kind("HTML page named .txt", "page-html.txt", reported="HTML"),
        f"<html><body><h1>{a.title}</h1><p>{a.body}</p></body></html>",
    )


@bad_file
def rtf(c: Corpus) -> Kind:
    return c.file(
        Kind("RTF document", "doc.rtf", reported="RTF"), r"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}}\f0 Hello}"
    )


@bad_file
def trec_unclosed(c: Corpus) -> Kind:
    a, b = c.take(2)
    noted = _check(lambda rs: all(r.notes for r in rs), lambda rs: [r.notes for r in rs])
    return c.file(
        Kind("<DOC> with unclosed tags", "unclosed.trec", imported=2, check=noted),
        f"<DOC>\n<DOCNO>x-1</DOCNO>\n<TITLE>{a.title}\n<TEXT>\n{a.body}\n"
        f"<DOC>\n<DOCNO>x-2</DOCNO>\n<TITLE>{b.title}</TITLE>\n<TEXT>\n{b.body}\n</DOC>\n",
    )


@bad_file
def trec_unknown_tags(c: Corpus) -> Kind:
    return c.file(
        Kind("<DOC> with no known tags", "empty-doc.trec", reported="none of the expected tags"),
        "<DOC>\n<FOO>bar</FOO>\n</DOC>\n",
    )


@bad_file
def trec_entities(c: Corpus) -> Kind:
    (a,) = c.take()
    return c.file(
        Kind("TREC entities for NUL and lone surrogates", "entities.trec", imported=1, check=_storable),
        f"<DOC>\n<DOCNO>ent-1</DOCNO>\n<TITLE>{a.title} &#0;&#xD800;&#55296;&#x1;</TITLE>\n"
        f"<TEXT>\n{a.body}&#0; &#xDFFF; &#x110000; &amp;&lt;script&gt;\n</TEXT>\n</DOC>\n",
    )


# --- JSON ----------------------------------------------------------------------------------------------------------


@bad_file
def json_truncated(c: Corpus) -> Kind:
    recs = c.take(4)  # the fourth is json_wrong_types' good record
    array = json.dumps([{"title": r.title, "content": r.body, "url": r.url} for r in recs], ensure_ascii=False)
    cut_at = array.index(recs[2].title)  # inside the third record
    return c.file(
        Kind("truncated JSON array", "truncated.json", imported=2, reported="truncated|Unterminated|Expecting"),
        array[:cut_at],
    )


@bad_file
def json_wrong_types(c: Corpus) -> Kind:
    good = c.taken_by(json_truncated)[3]
    records = [
        {"title": True, "content": "نص"},
        {"title": "عنوان", "content": {"p": 1}},
        42,
        ["a"],
        {
            "title": good.title,
            "content": good.body,
            "tags": [{"x": 1}, None, 5],
            "date": {"$date": [1]},
            "author": {"name": ["x"]},
            "source": 12,
        },
    ]
    reasons = "boolean|object|expected text|not an object"
    kind = Kind("JSON with the wrong types", "wrong-types.json", imported=1, reported=reasons, problems=4)
    return c.file(kind, json.dumps(records, ensure_ascii=False))


@bad_file
def json_not_articles(c: Corpus) -> Kind:
    return c.file(
        Kind("JSON with no article fields", "not-articles.json", reported="no title or body"),
        json.dumps([{"name": "x", "price": 3}]),
    )


@bad_file
def json_deep(c: Corpus) -> Kind:
    return c.file(
        Kind("JSON nested 100,000 deep", "deep.json", reported="nesting too deep|Expecting|JSON"),
        "[" * 100_000 + "]" * 100_000,
    )


@bad_file
def json_escapes(c: Corpus) -> Kind:
    (e,) = c.take()
    escaped = json.dumps(
        {
            "title": e.title + " @NUL@ @HI@",
            "content": e.body + "@LO@@NUL@",
            "author": "@NUL@",
            "tags": ["@NUL@", "@HI@", "ثقافة"],
            "url": e.url,
        },
        ensure_ascii=False,
    )
    escaped = escaped.replace("@NUL@", "\\u0000").replace("@HI@", "\\ud83d").replace("@LO@", "\\udfff")
    return c.file(
        Kind("JSON string escapes for NUL and lone surrogates", "escapes.json", imported=1, check=_storable), escaped
    )


@bad_file
def json_lines_broken(c: Corpus) -> Kind:
    l1, l2 = c.take(2)
    lines = [
        json.dumps({"title": l1.title, "body": l1.body}, ensure_ascii=False),
        '{"title": "x",',
        "not json at all",
        json.dumps({"headline": l2.title, "text": l2.body}, ensure_ascii=False),
    ]
    kind = Kind("JSON Lines with broken lines", "lines.jsonl", imported=2, reported="JSON \\(line", problems=2)
    return c.file(kind, "\n".join(lines))


@bad_file
def json_script_urls(c: Corpus) -> Kind:
    (a,) = c.take()
    records = [
        {"title": a.title, "content": a.body, "url": "javascript:alert(document.domain)//http://x"},
        {"title": a.title + " 2", "content": a.body, "url": " JaVaScRiPt:alert(1)"},
        {"title": a.title + " 3", "content": a.body, "url": "data:text/html,<script>alert(1)</script>"},
    ]
    dropped = _check(lambda rs: [r.url for r in rs] == ["", "", ""], lambda rs: [r.url for r in rs])
    return c.file(
        Kind("javascript: and data: URLs in JSON", "bad-urls.json", imported=3, check=dropped),
        json.dumps(records, ensure_ascii=False),
    )


@bad_file
def one_long_line(c: Corpus) -> Kind:
    c.take()  # made of every article instead; taken so that the kinds after it keep theirs
    line = " ".join(" ".join(x.body.split()) for x in c.articles)
    line = " ".join([line] * (1_000_000 // len(line) + 1))[:1_000_000]
    whole = _check(lambda rs: len(rs[0].title + rs[0].body) >= 999_000, lambda rs: len(rs[0].body))
    return c.file(Kind("a file of one 1 MB line", "one-line.txt", imported=1, check=whole), line)


# --- archives ------------------------------------------------------------------------------------------------------


@bad_file
def zip_slip(c: Corpus) -> Kind:
    a, b = c.take(2)
    members = {
        "../../evil.txt": _text_file(a).encode(),
        "/etc/cron.d/evil.txt": _text_file(a).encode(),
        "..\\win.txt": _text_file(a).encode(),
        "ok/story.txt": _text_file(b).encode(),
    }
    kind = Kind("zip with ../ and absolute member paths", "slip.zip", imported=1, reported="unsafe path", problems=3)
    return c.file(kind, _zip_bytes(members))


@bad_file
def tar_slip(c: Corpus) -> Kind:
    reasons = "unsafe path|link inside"
    kind = Kind(
        "tar with ../ and absolute member paths and links", "slip.tar.gz", imported=1, reported=reasons, problems=3
    )
    return c.file(kind, _tar_slip(*c.take(2)))


@bad_file
def zip_in_zip(c: Corpus) -> Kind:
    a = c.taken_by(zip_slip)[0]
    inner = _zip_bytes({"a.txt": _text_file(a).encode()})
    return c.file(Kind("zip inside a zip", "nested.zip", reported="nested archive"), _zip_bytes({"inner.zip": inner}))


@bad_file
def zip_truncated(c: Corpus) -> Kind:
    a = c.taken_by(zip_slip)[0]
    whole = _zip_bytes({f"{i}.txt": _text_file(a).encode() for i in range(3)})
    return c.file(Kind("truncated zip", "cut.zip", reported="corrupt|unreadable"), whole[:700])


@bad_file
def gzip_corrupt(c: Corpus) -> Kind:
    return c.file(
        Kind("corrupt gzip", "story.txt.gz", reported="corrupt gzip|not a gzip"), b"\x1f\x8b\x08\x00garbage" * 10
    )


@bad_file
def zip_empty(c: Corpus) -> Kind:
    return c.file(Kind("empty zip", "empty.zip", reported="holds no files"), _zip_bytes({}))


@bad_file
def seven_zip(c: Corpus) -> Kind:
    return c.file(Kind("7-Zip archive", "dump.7z", reported="7-Zip"), b"7z\xbc\xaf\x27\x1c" + c.rng.randbytes(100))


# --- the file system -----------------------------------------------------------------------------------------------


@bad_file
def same_article_three_names(c: Corpus) -> Kind:
    (a,) = c.take()
    names = ["dupes/original.txt", "dupes/copy of original.txt", "dupes/again/نسخة.txt"]
    for name in names:
        c.write(name, _text_file(a))
    return Kind(
        "the same article under three names",
        names[0],
        imported=1,
        records=3,
        extra_paths=names[1:],
        notes="three records, one article in the database",
    )


@bad_file
def symlink_loop(c: Corpus) -> Kind:
    (a,) = c.take()
    c.write("loop/inside.txt", _text_file(a))
    os.symlink("..", c.bad / "loop" / "back-to-parent")
    os.symlink(".", c.bad / "loop" / "self")
    return Kind(
        "symlink loop in a folder",
        "loop/back-to-parent",
        reported="symbolic link, not followed",
        extra_paths=["loop/self", "loop/inside.txt"],
        imported=1,
    )


@bad_file
def broken_symlink(c: Corpus) -> Kind:
    os.symlink("does-not-exist.txt", c.bad / "dangling.txt")
    return Kind("broken symlink", "dangling.txt", reported="symbolic link, not followed")


@bad_file
def named_pipe(c: Corpus) -> Kind:
    os.mkfifo(c.bad / "pipe.txt")
    return Kind("named pipe (FIFO)", "pipe.txt", reported="not a regular file")


@bad_file
def readme(c: Corpus) -> Kind:
    return c.file(Kind("README among the articles", "README.md", reported="skipped"), "# not an article\n")


@bad_file
def csv_table(c: Corpus) -> Kind:
    return c.file(Kind("CSV table", "table.csv", reported="CSV"), "a,b\n1,2\n")


def long_names_json(a: Article) -> str:
    """Tag names that slugify alike up to the 100-character column limit, and over-long source, author, id."""
    long_name = "أ" * 50 + " " + "ب" * 49
    return json.dumps(
        [
            {
                "title": a.title,
                "content": a.body,
                "category": [long_name, long_name.replace(" ", "-"), "ت" * 500],
                "source": "م" * 400,
                "author": "ك" * 1000,
                "id": "9" * 500,
            },
            {"title": a.title + " (2)", "content": a.body, "source": "ن" * 150 + ".example.com"},
        ],
        ensure_ascii=False,
    )


def one_word_line(a: Article) -> str:
    """A real article followed by one 1 MB "word" (no space in it): a lexeme far over PostgreSQL's 2046 bytes."""
    return a.title + "\n\n" + a.body + "\n" + ("وزير" * 250_000) + "\n"


def _tar_slip(a: Article, b: Article) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in (
            ("../evil.txt", _text_file(a)),
            ("/tmp/abs.txt", _text_file(a)),
            ("good.txt", _text_file(b)),
        ):
            payload = data.encode()
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        link = tarfile.TarInfo("passwd.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    return buf.getvalue()


_NUL_OR_SURROGATE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _storable(records) -> None:
    """Text PostgreSQL can store and XML can carry: no NUL, no C0 control, no lone surrogate, in any field (raw:
    no NUL)."""
    for r in records:
        assert "\x00" not in r.raw
        for name in ("title", "body", "lead", "credit", "author", "url", "doc_id", "source_key"):
            value = getattr(r, name)
            assert not _NUL_OR_SURROGATE.search(value), (name, value[:80])
        for c in r.categories:
            assert not _NUL_OR_SURROGATE.search(c), c


# --- the big kinds (only when asked) -------------------------------------------------------------------------------


@bad_file(big=True)
def huge_text(c: Corpus) -> Kind:
    # 50 MB of real Arabic news text in one plain-text file: real words, so the search vector is as big as it gets.
    texts = [p.read_text("utf-8") for p in ant_files()]
    with open(c.bad / "huge-50mb.txt", "w", encoding="utf-8") as out:
        out.write("ملف ضخم من خمسين ميغابايت\n\n")
        written = 0
        i = 0
        while written < 50 * 1024 * 1024:
            chunk = re.sub(r"<[^>]+>", "", texts[i % len(texts)]) + f"\n\nفقرة {i}\n\n"
            out.write(chunk)
            written += len(chunk.encode())
            i += 1
    return Kind("a 50 MB file", "huge-50mb.txt", reported="too long for one article", big=True)


@bad_file(big=True)
def many_json_objects(c: Corpus) -> Kind:
    # 100,000 JSON objects in one array: distinct small articles.
    words = " ".join(a.body for a in c.articles).split()
    with open(c.bad / "many-100k.json", "w", encoding="utf-8") as out:
        out.write("[")
        for n in range(100_000):
            picked = " ".join(c.rng.choice(words) for _ in range(12))
            out.write(
                ("," if n else "")
                + json.dumps(
                    {"title": f"خبر رقم {n}", "content": picked, "url": f"https://example.org/news/{n}"},
                    ensure_ascii=False,
                )
            )
        out.write("]")
    return Kind("a JSON array of 100,000 objects", "many-100k.json", imported=100_000, big=True)


# Compression bombs (over 1000:1): 150 MB of zeros in a zip and in a .tar.gz (under the 200 MB size limit, so the
# ratio check is what stops them), 300 MB in a lone .gz.
_ZEROS = b"\x00" * (1024 * 1024)


@bad_file(big=True)
def zip_bomb(c: Corpus) -> Kind:
    with zipfile.ZipFile(c.bad / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.txt", "w") as member:
            for _ in range(150):
                member.write(_ZEROS)
        z.writestr("ok.txt", _text_file(c.articles[-1]))
    return Kind("zip bomb (150 MB of zeros, >1000:1)", "bomb.zip", imported=1, reported="compression ratio", big=True)


@bad_file(big=True)
def tar_bomb(c: Corpus) -> Kind:
    with open(c.bad / "bomb.tar.gz", "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1) as tar:
            info = tarfile.TarInfo("zeros.txt")
            info.size = 150 * 1024 * 1024
            tar.addfile(info, _Zeros(info.size))
            payload = _text_file(c.articles[-2]).encode()
            info = tarfile.TarInfo("after.txt")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    reasons = "compression ratio|exceeds|skipped"
    return Kind("tar.gz bomb (150 MB of zeros)", "bomb.tar.gz", reported=reasons, big=True)


@bad_file(big=True)
def gzip_bomb(c: Corpus) -> Kind:
    with gzip.open(c.bad / "bomb.txt.gz", "wb", compresslevel=1) as gz:
        for _ in range(300):
            gz.write(_ZEROS)
    return Kind("gzip bomb (300 MB of zeros)", "bomb.txt.gz", reported="compression ratio|exceeds", big=True)


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = min(len(b), self.left)
        b[:n] = bytes(n)
        self.left -= n
        return n
