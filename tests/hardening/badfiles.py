"""A corpus of bad input for the importer, generated on the fly (nothing binary is committed).

`build(root)` writes every kind of bad file under `root/bad/` next to real ANT articles under `root/good/` (copied
byte for byte), and returns what must happen to each: imported (how many articles), reported (by name, with a
reason matching a pattern), or a mix (some records imported, the rest reported). The big kinds (a 50 MB file, 100k
JSON objects, compression bombs) are only written when asked, so the fast tests stay fast.
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


def _trec(a: Article, docno: str) -> str:
    return (
        f"<DOC>\n<DOCNO>{docno}</DOCNO>\n<URL>{a.url}</URL>\n<SRC>Jawhara FM</SRC>\n<CAT>culture</CAT>\n"
        f"<TITLE>{a.title}</TITLE>\n<TEXT>\n{a.body}\n</TEXT>\n</DOC>\n"
    )


def _zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buf.getvalue()


def build(root: Path, *, big: bool = False) -> tuple[list[Path], list[Kind], list[Article]]:
    """Write good/ and bad/ under root. Returns (good files, kinds, the articles the bad kinds were made from)."""
    rng = random.Random(20240607)
    good_dir, bad = root / "good", root / "bad"
    good_dir.mkdir(parents=True)
    bad.mkdir(parents=True)
    good = []
    for path in ant_files(12):
        target = good_dir / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, target)
        good.append(target)
    arts = sample_articles(60)[12:]  # different articles from the good ones
    it = iter(arts)
    kinds: list[Kind] = []

    def write(rel: str, data: bytes | str) -> Path:
        p = bad / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    def add(kind: Kind, data: bytes | str | None = None) -> None:
        if data is not None:
            write(kind.path, data)
        kinds.append(kind)

    def title_is(expected: str):
        def check(records):
            assert [r.title for r in records] == [expected], [r.title for r in records]

        return check

    # --- empty, whitespace, binary ---
    add(Kind("empty file", "empty.txt", reported="empty file"), b"")
    add(Kind("whitespace only", "blank.txt", reported="empty file"), " \n\t\r\n\u00a0\u200f  \n")
    add(Kind("PDF", "report.pdf", reported="PDF"), _pdf())
    add(Kind("PDF named .txt", "report-pdf.txt", reported="PDF"), _pdf())
    add(Kind("PNG image", "photo.png", reported="PNG"), _png())
    add(Kind("random bytes", "random.bin", reported="binary"), rng.randbytes(65536))
    add(
        Kind("random bytes without NUL", "noise.txt", reported="binary|not valid"),
        bytes(b for b in rng.randbytes(65536) if b),
    )
    a = next(it)
    raw = _text_file(a).encode()
    add(
        Kind("NUL bytes inside text", "nul-inside.txt", reported="NUL|binary"),
        raw[:200] + b"\x00" + raw[200:400] + b"\x00\x00" + raw[400:],
    )

    a = next(it)
    body = a.body.replace(" ", " \x01", 3).replace(" ", "\x07 ", 2)
    add(
        Kind(
            "stray control characters in text (BEL, SOH, ESC)",
            "controls.txt",
            imported=1,
            check=lambda rs: _storable(rs),
        ),
        a.title + "\x1b[31m\n\n" + body,
    )
    a = next(it)
    add(
        Kind("UTF-16 text with U+0000 characters inside", "utf16-nul.txt", imported=1, check=lambda rs: _storable(rs)),
        b"\xff\xfe" + (a.title + "\x00\n\n" + a.body[:300] + "\x00" + a.body[300:]).encode("utf-16-le"),
    )
    add(
        Kind("only control characters", "only-controls.txt", reported="control characters|binary|empty"),
        "\x01\x02\x03\x04\x05 \x06\x07\x08",
    )

    # --- encodings ---
    a = next(it)
    cut = _text_file(a).encode()
    cut = cut[: len(cut) - 1] if cut[-2] >= 0x80 else cut + "ب".encode()[:1]  # end in half a character
    add(
        Kind(
            "truncated UTF-8 (half a character at the end)",
            "truncated-utf8.txt",
            imported=1,
            check=lambda rs, t=a.title: (
                (rs[0].title == t and any("truncated" in n for n in rs[0].notes))
                or (_ for _ in ()).throw(AssertionError(rs[0].notes))
            ),
        ),
        cut,
    )
    a = next(it)
    add(
        Kind("corrupt UTF-8 in the middle", "corrupt-utf8.txt", reported="not valid UTF-8"),
        _text_file(a).encode()[:300] + b"\xff\xfe\xc3" + _text_file(a).encode()[300:],
    )
    for label, codec, bom in (
        ("Windows-1256", "cp1256", b""),
        ("UTF-16 LE with BOM", "utf-16-le", b"\xff\xfe"),
        ("UTF-16 BE with BOM", "utf-16-be", b"\xfe\xff"),
        ("UTF-16 LE without BOM", "utf-16-le", b""),
        ("UTF-16 BE without BOM", "utf-16-be", b""),
        ("UTF-8 with BOM", "utf-8", b"\xef\xbb\xbf"),
    ):
        a = next(it)
        text = _text_file(a)
        if codec == "cp1256":
            text = text.encode("cp1256", errors="ignore").decode("cp1256")
            a = Article(text.split("\n", 1)[0], "", "")
        add(
            Kind(label, f"enc-{label.replace(' ', '-').lower()}.txt", imported=1, check=title_is(a.title)),
            bom + text.encode(codec, errors="ignore" if codec == "cp1256" else "strict"),
        )
    add(
        Kind("Latin-1 French text (unknown 8-bit encoding)", "latin1.txt", reported="not valid UTF-8"),
        ("Le ministre a déclaré à la presse : « réformes économiques » et après. " * 20).encode("latin-1"),
    )
    a = next(it)
    mixed = a.title + "\r\n\r\n" + "\r".join(a.body.split("\n\n")[:2]) + "\n" + "\r\n".join(a.body.split("\n\n")[2:])
    add(
        Kind(
            "mixed line endings (CRLF, CR, LF)",
            "mixed-eol.txt",
            imported=1,
            check=lambda rs, t=a.title: (
                (rs[0].title == t and "\r" not in rs[0].body and "\n\n" in rs[0].body)
                or (_ for _ in ()).throw(AssertionError(repr(rs[0].body[:200])))
            ),
        ),
        mixed,
    )

    # --- shapes of text ---
    a = next(it)
    add(
        Kind(
            "headline only",
            "headline-only.txt",
            imported=1,
            check=lambda rs, t=a.title: (
                (rs[0].title == t and rs[0].body == "")
                or (_ for _ in ()).throw(AssertionError((rs[0].title, rs[0].body[:80])))
            ),
        ),
        a.title + "\n",
    )
    a = next(it)
    add(
        Kind(
            "body only (JSON with no title)",
            "body-only.json",
            imported=1,
            check=lambda rs: (
                (rs[0].title == "" and len(rs[0].body) > 100) or (_ for _ in ()).throw(AssertionError(rs[0].title))
            ),
        ),
        json.dumps({"content": a.body, "url": a.url}, ensure_ascii=False),
    )
    add(
        Kind("HTML page instead of text", "page.html", reported="HTML"),
        f"<!DOCTYPE html><html><head><title>{a.title}</title></head><body><p>{a.body}</p>"
        "<script>alert(1)</script></body></html>",
    )
    add(
        Kind("HTML page named .txt", "page-html.txt", reported="HTML"),
        f"<html><body><h1>{a.title}</h1><p>{a.body}</p></body></html>",
    )
    add(Kind("RTF document", "doc.rtf", reported="RTF"), r"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}}\f0 Hello}")
    a, b = next(it), next(it)
    add(
        Kind(
            "<DOC> with unclosed tags",
            "unclosed.trec",
            imported=2,
            check=lambda rs: all(r.notes for r in rs) or (_ for _ in ()).throw(AssertionError([r.notes for r in rs])),
        ),
        f"<DOC>\n<DOCNO>x-1</DOCNO>\n<TITLE>{a.title}\n<TEXT>\n{a.body}\n"
        f"<DOC>\n<DOCNO>x-2</DOCNO>\n<TITLE>{b.title}</TITLE>\n<TEXT>\n{b.body}\n</DOC>\n",
    )
    add(
        Kind("<DOC> with no known tags", "empty-doc.trec", reported="none of the expected tags"),
        "<DOC>\n<FOO>bar</FOO>\n</DOC>\n",
    )
    a = next(it)
    add(
        Kind("TREC entities for NUL and lone surrogates", "entities.trec", imported=1, check=lambda rs: _storable(rs)),
        f"<DOC>\n<DOCNO>ent-1</DOCNO>\n<TITLE>{a.title} &#0;&#xD800;&#55296;&#x1;</TITLE>\n"
        f"<TEXT>\n{a.body}&#0; &#xDFFF; &#x110000; &amp;&lt;script&gt;\n</TEXT>\n</DOC>\n",
    )

    # --- JSON ---
    recs = [next(it) for _ in range(4)]
    array = json.dumps([{"title": r.title, "content": r.body, "url": r.url} for r in recs], ensure_ascii=False)
    cut_at = array.index(recs[2].title)  # inside the third record
    add(
        Kind("truncated JSON array", "truncated.json", imported=2, reported="truncated|Unterminated|Expecting"),
        array[:cut_at],
    )
    add(
        Kind(
            "JSON with the wrong types",
            "wrong-types.json",
            imported=1,
            reported="boolean|object|expected text|not an object",
            problems=4,
        ),
        json.dumps(
            [
                {"title": True, "content": "نص"},
                {"title": "عنوان", "content": {"p": 1}},
                42,
                ["a"],
                {
                    "title": recs[3].title,
                    "content": recs[3].body,
                    "tags": [{"x": 1}, None, 5],
                    "date": {"$date": [1]},
                    "author": {"name": ["x"]},
                    "source": 12,
                },
            ],
            ensure_ascii=False,
        ),
    )
    add(
        Kind("JSON with no article fields", "not-articles.json", reported="no title or body"),
        json.dumps([{"name": "x", "price": 3}]),
    )
    add(
        Kind("JSON nested 100,000 deep", "deep.json", reported="nesting too deep|Expecting|JSON"),
        "[" * 100_000 + "]" * 100_000,
    )
    e = next(it)
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
    add(
        Kind(
            "JSON string escapes for NUL and lone surrogates",
            "escapes.json",
            imported=1,
            check=lambda rs: _storable(rs),
        ),
        escaped,
    )
    l1, l2 = next(it), next(it)
    add(
        Kind("JSON Lines with broken lines", "lines.jsonl", imported=2, reported="JSON \\(line", problems=2),
        "\n".join(
            [
                json.dumps({"title": l1.title, "body": l1.body}, ensure_ascii=False),
                '{"title": "x",',
                "not json at all",
                json.dumps({"headline": l2.title, "text": l2.body}, ensure_ascii=False),
            ]
        ),
    )
    a = next(it)
    add(
        Kind(
            "javascript: and data: URLs in JSON",
            "bad-urls.json",
            imported=3,
            check=lambda rs: (
                [r.url for r in rs] == ["", "", ""] or (_ for _ in ()).throw(AssertionError([r.url for r in rs]))
            ),
        ),
        json.dumps(
            [
                {"title": a.title, "content": a.body, "url": "javascript:alert(document.domain)//http://x"},
                {"title": a.title + " 2", "content": a.body, "url": " JaVaScRiPt:alert(1)"},
                {"title": a.title + " 3", "content": a.body, "url": "data:text/html,<script>alert(1)</script>"},
            ],
            ensure_ascii=False,
        ),
    )
    a = next(it)
    line = " ".join(" ".join(x.body.split()) for x in arts)
    line = " ".join([line] * (1_000_000 // len(line) + 1))[:1_000_000]
    add(
        Kind(
            "a file of one 1 MB line",
            "one-line.txt",
            imported=1,
            check=lambda rs: (
                len(rs[0].title + rs[0].body) >= 999_000 or (_ for _ in ()).throw(AssertionError(len(rs[0].body)))
            ),
        ),
        line,
    )

    # --- archives ---
    a, b = next(it), next(it)
    add(
        Kind("zip with ../ and absolute member paths", "slip.zip", imported=1, reported="unsafe path", problems=3),
        _zip_bytes(
            {
                "../../evil.txt": _text_file(a).encode(),
                "/etc/cron.d/evil.txt": _text_file(a).encode(),
                "..\\win.txt": _text_file(a).encode(),
                "ok/story.txt": _text_file(b).encode(),
            }
        ),
    )
    add(
        Kind(
            "tar with ../ and absolute member paths and links",
            "slip.tar.gz",
            imported=1,
            reported="unsafe path|link inside",
            problems=3,
        ),
        _tar_slip(next(it), next(it)),
    )
    add(
        Kind("zip inside a zip", "nested.zip", reported="nested archive"),
        _zip_bytes({"inner.zip": _zip_bytes({"a.txt": _text_file(a).encode()})}),
    )
    add(
        Kind("truncated zip", "cut.zip", reported="corrupt|unreadable"),
        _zip_bytes({f"{i}.txt": _text_file(a).encode() for i in range(3)})[:700],
    )
    add(Kind("corrupt gzip", "story.txt.gz", reported="corrupt gzip|not a gzip"), b"\x1f\x8b\x08\x00garbage" * 10)
    add(Kind("empty zip", "empty.zip", reported="holds no files"), _zip_bytes({}))
    add(Kind("7-Zip archive", "dump.7z", reported="7-Zip"), b"7z\xbc\xaf\x27\x1c" + rng.randbytes(100))

    # --- the file system ---
    a = next(it)
    write("dupes/original.txt", _text_file(a))
    write("dupes/copy of original.txt", _text_file(a))
    write("dupes/again/نسخة.txt", _text_file(a))
    kinds.append(
        Kind(
            "the same article under three names",
            "dupes/original.txt",
            imported=1,
            records=3,
            extra_paths=["dupes/copy of original.txt", "dupes/again/نسخة.txt"],
            notes="three records, one article in the database",
        )
    )
    loop = bad / "loop"
    loop.mkdir()
    write("loop/inside.txt", _text_file(next(it)))
    os.symlink("..", loop / "back-to-parent")
    os.symlink(".", loop / "self")
    kinds.append(
        Kind(
            "symlink loop in a folder",
            "loop/back-to-parent",
            reported="symbolic link, not followed",
            extra_paths=["loop/self", "loop/inside.txt"],
            imported=1,
        )
    )
    os.symlink("does-not-exist.txt", bad / "dangling.txt")
    kinds.append(Kind("broken symlink", "dangling.txt", reported="symbolic link, not followed"))
    os.mkfifo(bad / "pipe.txt")
    kinds.append(Kind("named pipe (FIFO)", "pipe.txt", reported="not a regular file"))
    write("README.md", "# not an article\n")
    kinds.append(Kind("README among the articles", "README.md", reported="skipped"))
    write("table.csv", "a,b\n1,2\n")
    kinds.append(Kind("CSV table", "table.csv", reported="CSV"))

    if big:
        _add_big(bad, kinds, arts, rng)
    return good, kinds, arts


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


def _add_big(bad: Path, kinds: list[Kind], arts: list[Article], rng: random.Random) -> None:
    # 50 MB of real Arabic news text in one plain-text file: real words, so the search vector is as big as it gets.
    texts = [p.read_text("utf-8") for p in ant_files()]
    with open(bad / "huge-50mb.txt", "w", encoding="utf-8") as out:
        out.write("ملف ضخم من خمسين ميغابايت\n\n")
        written = 0
        i = 0
        while written < 50 * 1024 * 1024:
            chunk = re.sub(r"<[^>]+>", "", texts[i % len(texts)]) + f"\n\nفقرة {i}\n\n"
            out.write(chunk)
            written += len(chunk.encode())
            i += 1
    kinds.append(Kind("a 50 MB file", "huge-50mb.txt", reported="too long for one article", big=True))

    # 100,000 JSON objects in one array: distinct small articles.
    words = " ".join(a.body for a in arts).split()
    with open(bad / "many-100k.json", "w", encoding="utf-8") as out:
        out.write("[")
        for n in range(100_000):
            picked = " ".join(rng.choice(words) for _ in range(12))
            out.write(
                ("," if n else "")
                + json.dumps(
                    {"title": f"خبر رقم {n}", "content": picked, "url": f"https://example.org/news/{n}"},
                    ensure_ascii=False,
                )
            )
        out.write("]")
    kinds.append(Kind("a JSON array of 100,000 objects", "many-100k.json", imported=100_000, big=True))

    # Compression bombs (over 1000:1): 150 MB of zeros in a zip and in a .tar.gz (under the 200 MB size limit, so the
    # ratio check is what stops them), 300 MB in a lone .gz.
    zeros = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(bad / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.txt", "w") as member:
            for _ in range(150):
                member.write(zeros)
        z.writestr("ok.txt", _text_file(arts[-1]))
    kinds.append(
        Kind("zip bomb (150 MB of zeros, >1000:1)", "bomb.zip", imported=1, reported="compression ratio", big=True)
    )
    with open(bad / "bomb.tar.gz", "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1) as tar:
            info = tarfile.TarInfo("zeros.txt")
            info.size = 150 * 1024 * 1024
            tar.addfile(info, _Zeros(info.size))
            payload = _text_file(arts[-2]).encode()
            info = tarfile.TarInfo("after.txt")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    kinds.append(
        Kind("tar.gz bomb (150 MB of zeros)", "bomb.tar.gz", reported="compression ratio|exceeds|skipped", big=True)
    )
    with gzip.open(bad / "bomb.txt.gz", "wb", compresslevel=1) as gz:
        for _ in range(300):
            gz.write(zeros)
    kinds.append(Kind("gzip bomb (300 MB of zeros)", "bomb.txt.gz", reported="compression ratio|exceeds", big=True))


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
