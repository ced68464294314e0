from __future__ import annotations

import builtins
import gzip
import io
import json
import os
import random
import tarfile
import zipfile
from pathlib import Path

import pytest

from articles.importing import reader, walk
from articles.importing.reader import count_files, iter_records
from articles.importing.records import FileProblem, ParsedArticle

PARAGRAPH = "وقال المتحدث باسم الوزارة إن الاجتماع تناول عددا من الملفات المهمة في المنطقة."
ARTICLE = f"عنوان الخبر\n\n{PARAGRAPH}\n"


def collect(paths, **kwargs) -> dict[str, ParsedArticle | FileProblem]:
    out: dict[str, ParsedArticle | FileProblem] = {}
    for record in iter_records(paths, **kwargs):
        assert record.origin not in out, f"duplicate origin {record.origin}"
        out[record.origin] = record
    return out


def article(records: dict, origin: str) -> ParsedArticle:
    record = records[origin]
    assert isinstance(record, ParsedArticle), record
    return record


def reason(records: dict, origin: str) -> str:
    record = records[origin]
    assert isinstance(record, FileProblem), record
    return record.reason


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def tar_bytes(members: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    files: dict[str, bytes] = {
        "good.txt": ARTICLE.encode(),
        "empty.txt": b"",
        "blank.txt": b"  \n\t \r\n",
        "random.bin": random.Random(1).randbytes(2048),
        "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        "paper.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        "nul.txt": ARTICLE.encode()[:40] + b"\x00" + ARTICLE.encode()[40:],
        "truncated.txt": ARTICLE.encode() + "نص".encode()[:-1],
        "cp1256.txt": ARTICLE.encode("cp1256"),
        "utf16le-bom.txt": b"\xff\xfe" + ARTICLE.encode("utf-16-le"),
        "utf16le-nobom.txt": ARTICLE.encode("utf-16-le"),
        "utf16be.txt": b"\xfe\xff" + ARTICLE.encode("utf-16-be"),
        "utf16be-nobom.txt": ARTICLE.encode("utf-16-be"),
        "utf8-bom.txt": b"\xef\xbb\xbf" + ARTICLE.encode(),
        "crlf.txt": ARTICLE.replace("\n", "\r\n").encode(),
        "page.html": b"<!DOCTYPE html><html><body>x</body></html>",
        "truncated.json": b'[{"title": "a", "body": "b"}, {"title": "c", "bo',
        "types.json": json.dumps([{"title": 7, "body": "x"}, {"title": ["a", {"b": 1}]}]).encode(),
        "lines.jsonl": b'{"title": "a"}\n{"title": \n{"title": "c"}\n',
        "unclosed.trec": "<DOC>\n<TITLE>عنوان\n<TEXT>\nنص\n".encode(),
        "sport/a.txt": ARTICLE.encode(),
        "sport/.DS_Store": b"\x00\x00\x00\x01Bud1",
        ".hidden.txt": ARTICLE.encode(),
        ".git/config": b"[core]",
        "README.md": b"# corpus\n",
        "table.csv": b"a,b\n1,2\n",
        "archive.zip": zip_bytes(
            {
                "ok/x.txt": ARTICLE.encode(),
                "../evil.txt": b"evil",
                "/abs.txt": b"abs",
                "__MACOSX/._x.txt": b"junk",
                "inner.zip": b"PK\x05\x06" + bytes(18),
            }
        ),
        "bundle.tar.gz": tar_bytes(
            {"t/one.txt": ARTICLE.encode(), "t/two.json": b'{"title": "two"}', "../up.txt": b"x"}
        ),
        "single.json.gz": gzip.compress(b'{"title": "gz", "body": "b"}'),
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "sport" / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "missing-target.txt")
    (root / "self-link.txt").symlink_to(root / "self-link.txt")
    (root / "sport-again").symlink_to(root / "sport", target_is_directory=True)
    return root


def test_mixed_folder(mixed: Path):
    records = collect([mixed], follow_links=True)
    good = {o for o, r in records.items() if isinstance(r, ParsedArticle)}
    assert good == {
        "good.txt",
        "truncated.txt",
        "cp1256.txt",
        "utf16le-bom.txt",
        "utf16le-nobom.txt",
        "utf16be.txt",
        "utf16be-nobom.txt",
        "utf8-bom.txt",
        "crlf.txt",
        "truncated.json#0",
        "types.json#0",
        "lines.jsonl#0",
        "lines.jsonl#2",
        "unclosed.trec",
        "sport/a.txt",
        "archive.zip:ok/x.txt",
        "bundle.tar.gz:t/one.txt",
        "bundle.tar.gz:t/two.json",
        "single.json.gz",
    }
    for origin in (
        "good.txt",
        "cp1256.txt",
        "utf16le-bom.txt",
        "utf16le-nobom.txt",
        "utf16be.txt",
        "utf16be-nobom.txt",
        "utf8-bom.txt",
        "crlf.txt",
        "sport/a.txt",
        "archive.zip:ok/x.txt",
        "bundle.tar.gz:t/one.txt",
    ):
        record = article(records, origin)
        assert (record.title, record.body) == ("عنوان الخبر", PARAGRAPH), origin
    assert article(records, "good.txt").raw == ARTICLE
    assert article(records, "crlf.txt").raw == ARTICLE.replace("\n", "\r\n")
    assert article(records, "utf8-bom.txt").raw == ARTICLE
    truncated = article(records, "truncated.txt")
    assert truncated.body == PARAGRAPH + "\n\nن" and truncated.notes
    assert article(records, "unclosed.trec").body == "نص"
    assert article(records, "types.json#0").title == "7"
    assert article(records, "single.json.gz").title == "gz"

    assert reason(records, "empty.txt") == "empty file"
    assert reason(records, "blank.txt") == "empty file (only whitespace)"
    assert reason(records, "random.bin").startswith("binary file")
    assert reason(records, "image.png") == "binary file (PNG image)"
    assert reason(records, "paper.pdf") == "binary file (PDF document)"
    assert reason(records, "nul.txt") == "binary file (contains NUL bytes)"
    assert reason(records, "page.html").startswith("HTML page")
    assert reason(records, "truncated.json#1").startswith("JSON: ")
    assert "list containing an object" in reason(records, "types.json#1")
    assert reason(records, "lines.jsonl#1").startswith("JSON (line 2)")
    assert reason(records, "README.md").startswith("skipped")
    assert "CSV" in reason(records, "table.csv")
    assert (
        reason(records, "archive.zip:../evil.txt") == "archive member with unsafe path '../evil.txt' refused "
        "(contains '..')"
    )
    assert (
        reason(records, "archive.zip:/abs.txt") == "archive member with unsafe path '/abs.txt' refused (absolute path)"
    )
    assert reason(records, "archive.zip:inner.zip").startswith("nested archive not supported")
    assert "unsafe path" in reason(records, "bundle.tar.gz:../up.txt")
    assert reason(records, "sport/loop").startswith("symbolic link loop")
    assert reason(records, "sport-again") == "folder already imported through another link, skipped"
    assert reason(records, "dangling.txt").startswith("broken symbolic link")
    assert reason(records, "self-link.txt") == "symbolic link loop"

    # hidden files and macOS resource forks are skipped silently
    assert not any(o.startswith(".") or "/." in o or "__MACOSX" in o for o in records)
    # sorted, depth-first order
    origins = [o for o in records if ":" not in o and "#" not in o]
    assert origins == sorted(origins, key=lambda o: o.split("/"))


def test_progress_callback_matches_count_files(mixed: Path):
    seen: list[str] = []
    list(iter_records([mixed], on_file=seen.append))
    assert len(seen) == len(set(seen)) == count_files([mixed])


def test_a_pool_of_workers_reads_the_same_records_in_the_same_order(mixed: Path, monkeypatch: pytest.MonkeyPatch):
    """Plain files are parsed in forked workers, archives and gzip files here, and the records, problems and
    progress calls still come out exactly as a single process gives them."""
    import multiprocessing

    monkeypatch.setattr(reader, "_TASK_FILES", 3)  # many small tasks, so several are in flight at once
    serial_seen: list[str] = []
    serial = list(iter_records([mixed], on_file=serial_seen.append))
    pooled_seen: list[str] = []
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pooled = list(iter_records([mixed], on_file=pooled_seen.append, pool=pool))
    assert [(type(r), r.origin) for r in pooled] == [(type(r), r.origin) for r in serial]
    assert pooled == serial  # every field of every record and problem
    assert pooled_seen == serial_seen
    # Workers hash what they parse (the import's main process then need not): the same hash it would compute.
    from articles.identity import identity_hash

    worked = [r for r in pooled if isinstance(r, ParsedArticle) and r.identity]
    assert worked and all(r.identity == identity_hash(r.title, r.body) for r in worked)


def test_origins_for_files_given_directly_and_missing_paths(tmp_path: Path, mixed: Path):
    records = collect([mixed / "good.txt", mixed / "archive.zip", tmp_path / "nope.txt"])
    assert "good.txt" in records and "archive.zip:ok/x.txt" in records
    assert reason(records, str(tmp_path / "nope.txt")) == "no such file or directory"


def test_fmt_forces_the_parser(tmp_path: Path):
    path = tmp_path / "x.json"
    path.write_text('{"title": "a"}\n', encoding="utf-8")
    (record,) = iter_records([path], fmt="text")
    assert isinstance(record, ParsedArticle) and record.title == '{"title": "a"}' and record.format == "text"
    with pytest.raises(ValueError):
        iter_records([path], fmt="xml")


def test_unreadable_file_and_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "c"
    (root / "locked").mkdir(parents=True)
    (root / "secret.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    if os.geteuid() != 0:
        (root / "secret.txt").chmod(0)
        (root / "locked").chmod(0)
    else:  # root can read anything: simulate the permission errors
        real_open, real_scandir = builtins.open, os.scandir

        def fake_open(file, *args, **kwargs):
            if str(file).endswith("secret.txt"):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        def fake_scandir(path="."):
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(reader, "open", fake_open, raising=False)
        monkeypatch.setattr(os, "scandir", fake_scandir)
    try:
        records = collect([root])
    finally:
        (root / "secret.txt").chmod(0o644)
        (root / "locked").chmod(0o755)
    assert reason(records, "secret.txt") == "permission denied: cannot read file"
    assert reason(records, "locked") == "permission denied: cannot list folder"
    assert isinstance(records["ok.txt"], ParsedArticle)


def test_oversized_file_is_refused(tmp_path: Path):
    (tmp_path / "big.txt").write_text(ARTICLE * 100, encoding="utf-8")
    records = collect([tmp_path], max_file_bytes=1000)
    assert reason(records, "big.txt").startswith("file too large")


def test_zip_bomb_by_ratio_and_size(tmp_path: Path):
    zeros = bytes(11 * 1024 * 1024)
    (tmp_path / "bomb.zip").write_bytes(zip_bytes({"zeros.txt": zeros, "ok.txt": ARTICLE.encode()}))
    records = collect([tmp_path / "bomb.zip"])
    assert "compression ratio" in reason(records, "bomb.zip:zeros.txt")
    assert isinstance(records["bomb.zip:ok.txt"], ParsedArticle)
    records = collect([tmp_path / "bomb.zip"], max_file_bytes=1024 * 1024)
    assert "exceeds the 1.0 MB limit" in reason(records, "bomb.zip:zeros.txt")


def test_read_capped_does_not_trust_headers():
    with pytest.raises(walk.Refused, match="exceeds"):
        reader._read_capped(io.BytesIO(bytes(5000)), 4000)
    with pytest.raises(walk.Refused, match="ratio"):
        reader._read_capped(io.BytesIO(bytes(11 * 1024 * 1024)), 50 * 1024 * 1024, lambda: 1000)
    assert reader._read_capped(io.BytesIO(b"abc"), 3) == b"abc"


def test_tar_bomb_stops_the_archive(tmp_path: Path):
    data = tar_bytes({"a.txt": ARTICLE.encode(), "zeros.txt": bytes(30 * 1024 * 1024), "b.txt": ARTICLE.encode()})
    (tmp_path / "bomb.tgz").write_bytes(data)
    records = collect([tmp_path / "bomb.tgz"], max_file_bytes=20 * 1024 * 1024)
    assert isinstance(records["bomb.tgz:a.txt"], ParsedArticle)
    assert "exceeds" in reason(records, "bomb.tgz:zeros.txt")
    assert "rest of the archive skipped" in reason(records, "bomb.tgz")
    records = collect([tmp_path / "bomb.tgz"])
    assert "compression ratio" in reason(records, "bomb.tgz:zeros.txt")


def test_plain_tar_and_corrupt_archives(tmp_path: Path):
    (tmp_path / "plain.tar").write_bytes(tar_bytes({"a.txt": ARTICLE.encode()}, mode="w"))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "broken.tar.gz").write_bytes(gzip.compress(b"not a tar file at all" * 100))
    full = tar_bytes({"a.txt": ARTICLE.encode(), "b.txt": random.Random(2).randbytes(50000)})
    (tmp_path / "cut.tgz").write_bytes(full[: len(full) // 2])
    records = collect([tmp_path])
    assert isinstance(records["plain.tar:a.txt"], ParsedArticle)
    assert reason(records, "broken.zip").startswith("corrupt or unreadable ZIP archive")
    assert "tar archive" in reason(records, "broken.tar.gz")
    assert isinstance(records["cut.tgz:a.txt"], ParsedArticle)
    assert "corrupt or truncated" in reason(records, "cut.tgz")


def test_folder_of_many_files_streams(tmp_path: Path):
    for i in range(300):
        (tmp_path / f"{i:04d}.txt").write_text(ARTICLE, encoding="utf-8")
    iterator = iter_records([tmp_path])
    first = next(iterator)
    assert first.origin == "0000.txt"
    assert sum(1 for _ in iterator) == 299


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        ("README.md", True),
        ("UPSTREAM_README.md", True),
        ("readme-ar.txt", True),
        ("LICENSE", True),
        ("licence.txt", True),
        ("manifest.tsv", True),
        ("COPYING", True),
        ("driving-license-rules-2024.txt", False),
        ("article-readme-notes.txt", False),
        ("0001.txt", False),
        ("news.json", False),
    ],
)
def test_names_that_are_not_articles(name, skipped):
    reason = walk.skip_reason(name)
    assert (reason is not None and reason.startswith("skipped")) == skipped
