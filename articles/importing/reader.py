"""Turning every file found by walk.py (or archive member) into records.

Origins:
  * a file given directly: its file name ("a.txt");
  * a file inside a folder given on the command line: its path relative to that folder, with "/" ("sport/a.txt");
    the folder's own name is NOT included;
  * an archive member: "<archive origin>:<member path>" ("dump.zip:sport/a.txt", "corpus/dump.tgz:a.txt");
  * records of multi-record files get "#N" (0-based) appended: JSON arrays and JSON Lines always, TREC files and
    concatenated JSON objects only when they hold more than one record ("2015-08-06.json#17", "docs.trec#3").

Archives (.zip, .tar, .tar.gz/.tgz, .tar.bz2,
.tar.xz) are read in place, never extracted; a lone ``.gz`` file is decompressed in memory. Everything is streamed:
one file's bytes are in memory at a time (a single tar member for archives).
"""

from __future__ import annotations

import collections
import gzip
import logging
import multiprocessing.pool
import os
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from ..identity import identity_hash
from .decoding import TRUNCATED_SUFFIX, DecodeProblem, decode
from .formats import parse
from .records import FORMATS, FileProblem, ParsedArticle
from .textutil import storable
from .walk import Candidate, Refused, ignored, mb, oserror_reason, printable, skip_reason, walk

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024
#: Longest text (headline + lead + body, in characters) accepted as ONE article. Real articles are under 100,000
#: characters; a record past this is a whole dump saved as one file, which would match every search, and whose
#: analysis would need gigabytes (the file limit above is for multi-record JSON and TREC files).
MAX_ARTICLE_CHARS = 2_000_000
#: Longest record in bytes, judged before decoding (a JSON string may spell each Arabic letter as a 6-byte \\uXXXX).
MAX_RECORD_BYTES = MAX_ARTICLE_CHARS * 6 + 1024 * 1024
#: JSON values a file may hold. Parsing builds an object for each, ~100 bytes apiece: a file of 200 MB of «{},» or
#: «"",» would take gigabytes. A real 200 MB news dump holds about 1.3 million (SaudiNewsNet: 6,500 per MB).
MAX_JSON_VALUES = 3_000_000
# Zip-bomb guard: beyond this many uncompressed bytes, a compression ratio above _MAX_RATIO is refused.
_RATIO_CHECK_BYTES = 10 * 1024 * 1024
_MAX_RATIO = 100
_CHUNK = 1024 * 1024

_ZIP_SUFFIXES = (".zip",)
_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")
_ARCHIVE_SUFFIXES = _ZIP_SUFFIXES + _TAR_SUFFIXES + (".7z", ".rar")


# ---------------------------------------------------------------------------------------------------------------
# Reading with limits


def _read_capped(
    stream: IO[bytes], limit: int, compressed_so_far: Callable[[], int] | None = None, uncompressed_base: int = 0
) -> bytes:
    """Read a whole stream but never more than ``limit`` bytes, and stop early when the data inflates more than
    _MAX_RATIO times its compressed size once past _RATIO_CHECK_BYTES. Headers are not trusted for either."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise Refused(f"uncompressed size exceeds the {mb(limit)} limit")
        if compressed_so_far is not None:
            _check_ratio(uncompressed_base + total, compressed_so_far())
        chunks.append(chunk)
    return b"".join(chunks)


def _read_file(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise Refused(f"file too large ({mb(size)}, limit {mb(limit)})")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)  # the size may have changed since stat()
    if len(data) > limit:
        raise Refused(f"file too large (over the {mb(limit)} limit)")
    return data


# ---------------------------------------------------------------------------------------------------------------
# Bytes -> records


def _oversized(data: bytes | str, fmt: str) -> str | None:
    """Why a file is refused before it is decoded and parsed, or None: a record longer than MAX_RECORD_BYTES, or
    more JSON values than MAX_JSON_VALUES. Parsing a record costs about 15 times its size (a 190 MB one-line file
    took 3.3 GB), so its length is judged on the raw bytes, which costs little. Records are told apart by the
    format's own marks: a plain-text file is one article, a TREC file's articles start at <DOC>, a JSON record's
    text lies in its strings. On bytes of an ASCII-compatible encoding, or on decoded text."""

    def mark(text: str):
        return text if isinstance(data, str) else text.encode("ascii")

    first = data[:4096].removeprefix(mark("\ufeff") if isinstance(data, str) else b"\xef\xbb\xbf").lstrip()[:1]
    if fmt == "text" or fmt == "auto" and first not in (mark("<"), mark("["), mark("{")):
        longest = len(data)
    elif fmt == "trec" or fmt == "auto" and first == mark("<"):
        longest = _longest_gap(data, mark("<DOC>"))
    else:
        values = sum(data.count(mark(c)) for c in ",{[") + data.count(mark('"')) // 2
        if values > MAX_JSON_VALUES:
            return f"file too large for its records: about {values:,} JSON values, limit {MAX_JSON_VALUES:,}"
        longest = _longest_json_string(data, mark('"'), mark("\\"))
    if longest > MAX_RECORD_BYTES:
        return (
            f"text too long for one article (a record of {mb(longest)}, limit {mb(MAX_RECORD_BYTES)}): "
            "split it into one file per article"
        )
    return None


def _longest_gap(data: bytes | str, mark) -> int:
    """The longest stretch of `data` between two `mark`s (or an end)."""
    longest, last = 0, 0
    while (i := data.find(mark, last)) != -1:
        longest, last = max(longest, i - last), i + len(mark)
    return max(longest, len(data) - last)


def _longest_json_string(data: bytes | str, quote, backslash) -> int:
    """The longest JSON string in `data`, from its opening quote to its closing one (escaped quotes inside)."""
    longest, pos, opened = 0, 0, None
    while (i := data.find(quote, pos)) != -1:
        pos = i + 1
        if opened is None:
            opened = i
            continue
        escapes = 0
        while data[i - 1 - escapes : i - escapes] == backslash:
            escapes += 1
        if escapes % 2 == 0:
            longest, opened = max(longest, i - opened), None
    return longest if opened is None else max(longest, len(data) - opened)


def _ascii_compatible(data: bytes) -> bool:
    """UTF-8 or Windows-1256 (their ASCII bytes are ASCII), not UTF-16 or UTF-32 (a BOM, or NULs at the start)."""
    return not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) and b"\x00" not in data[:4096]


def _records_from_bytes(data: bytes, origin: str, name: str, fmt: str) -> Iterator[ParsedArticle | FileProblem]:
    """Records of one file's bytes. The caller must not keep `data`: it is dropped once decoded (a 200 MB file
    would otherwise be held twice, as bytes and as text, while its records are parsed)."""
    if problem := _oversized(data, fmt) if _ascii_compatible(data) else None:
        yield FileProblem(origin, problem)
        return
    try:
        text, encoding = decode(data)
    except DecodeProblem as problem:
        yield FileProblem(origin, problem.reason)
        return
    ascii_compatible = _ascii_compatible(data)
    del data
    if not ascii_compatible and (problem := _oversized(text, fmt)):
        yield FileProblem(origin, problem)
        return
    truncated_note = (
        "incomplete character at the end of the file dropped (file truncated?)"
        if encoding.endswith(TRUNCATED_SUFFIX)
        else None
    )
    try:
        for record in parse(text, origin, fmt=fmt, filename=name):
            if isinstance(record, ParsedArticle):
                size = len(record.title) + len(record.lead) + len(record.body)
                if size > MAX_ARTICLE_CHARS:
                    yield FileProblem(
                        record.origin,
                        f"text too long for one article ({size / 1e6:.1f} million "
                        f"characters, limit {MAX_ARTICLE_CHARS / 1e6:g} million): "
                        "split it into one file per article",
                    )
                    continue
                if truncated_note:
                    record.notes.append(truncated_note)
                _make_storable(record)
                if not record.title.strip() and not record.body.strip():
                    yield FileProblem(record.origin, "no text left once control characters are removed")
                    continue
            yield record
    except Exception as exc:
        log.exception("unexpected error while parsing %s", origin)
        yield FileProblem(origin, f"internal error while parsing ({type(exc).__name__}: {exc}); please report it")


def _make_storable(record: ParsedArticle) -> None:
    """Every format can smuggle characters that PostgreSQL or XML refuse (entities, JSON escapes, stray control
    bytes in a text file, U+0000 in UTF-16): one such character must not fail the batch or break a feed."""
    for name in ("title", "lead", "body", "credit", "author", "url", "doc_id", "source_key"):
        setattr(record, name, storable(getattr(record, name)))
    record.categories = [c for c in map(storable, record.categories) if c.strip()]
    if "\x00" in record.raw:  # the original text is kept as read, but PostgreSQL cannot store NUL
        record.raw = record.raw.replace("\x00", "\ufffd")


def _is_archive_name(name: str) -> bool:
    return name.lower().endswith(_ARCHIVE_SUFFIXES)


def _records_from_path(
    candidate: Candidate, fmt: str, limit: int, done: Callable[[str], None]
) -> Iterator[ParsedArticle | FileProblem]:
    """Records of one file. Archives call ``done`` once per member themselves (once in all when unreadable)."""
    origin, path = candidate.origin, candidate.path
    assert path is not None
    lower = path.name.lower()
    if lower.endswith(_ZIP_SUFFIXES):
        yield from _records_from_zip(path, origin, fmt, limit, done)
        return
    if lower.endswith(_TAR_SUFFIXES):
        yield from _records_from_tar(path, origin, fmt, limit, done)
        return
    if lower.endswith((".7z", ".rar")):
        yield FileProblem(origin, "7-Zip/RAR archives are not supported (use .zip or .tar.gz)")
        done(origin)
        return
    reason = skip_reason(path.name)
    if reason:
        yield FileProblem(origin, reason)
        return
    try:
        if lower.endswith(".gz"):
            with open(path, "rb") as raw, gzip.GzipFile(fileobj=raw) as unzipped:
                data = _read_capped(unzipped, limit, raw.tell)
            inner_name = path.name[:-3]
        else:
            data = _read_file(path, limit)
            inner_name = path.name
    except Refused as refused:
        yield FileProblem(origin, refused.reason)
        return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield FileProblem(origin, f"corrupt gzip file: {exc}")
        return
    except OSError as exc:
        yield FileProblem(origin, oserror_reason(exc))
        return
    records = _records_from_bytes(data, origin, inner_name, fmt)
    del data  # _records_from_bytes drops the bytes once decoded
    yield from records


def _member_refusal(name: str) -> str | None:
    """Reason to refuse an archive member by its path, or None. Members are never written to disk, but a path that
    escapes the archive root is a sign of a malicious archive and would be dangerous for anyone who extracts it."""
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return f"archive member with unsafe path {name!r} refused (absolute path)"
    if ".." in normalized.split("/"):
        return f"archive member with unsafe path {name!r} refused (contains '..')"
    return None


def _member_ignored(name: str) -> bool:
    # ".." is not "hidden": such members must be reported as unsafe, not silently skipped.
    return any(ignored(part) for part in name.replace("\\", "/").split("/") if part not in ("", ".", ".."))


def _records_from_member(data: bytes, origin: str, name: str, fmt: str) -> Iterator[ParsedArticle | FileProblem]:
    reason = skip_reason(name)
    if reason:
        yield FileProblem(origin, reason)
        return
    records = _records_from_bytes(data, origin, PurePosixPath(name).name, fmt)
    del data  # _records_from_bytes drops the bytes once decoded
    yield from records


def _records_from_zip(
    path: Path, origin: str, fmt: str, limit: int, done: Callable[[str], None]
) -> Iterator[ParsedArticle | FileProblem]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        yield FileProblem(origin, f"corrupt or unreadable ZIP archive ({exc})")
        done(origin)
        return
    except OSError as exc:
        yield FileProblem(origin, oserror_reason(exc))
        done(origin)
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir() and not _member_ignored(info.filename)]
        if not members:
            yield FileProblem(origin, "ZIP archive holds no files")
            done(origin)
        for info in members:
            member_origin = f"{origin}:{printable(info.filename)}"
            yield from _zip_member(archive, info, member_origin, fmt, limit)
            done(member_origin)


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str, fmt: str, limit: int
) -> Iterator[ParsedArticle | FileProblem]:
    name = info.filename
    refusal = _member_refusal(name)
    if refusal:
        yield FileProblem(origin, refusal)
        return
    if stat.S_ISLNK(info.external_attr >> 16):
        yield FileProblem(origin, "symbolic link inside the archive, skipped")
        return
    if info.flag_bits & 0x1:
        yield FileProblem(origin, "encrypted (password-protected) archive member, skipped")
        return
    if _is_archive_name(name):
        yield FileProblem(origin, "nested archive not supported (extract it and import it separately)")
        return
    # The header sizes are checked first to refuse cheaply, then enforced again while reading (headers can lie).
    if info.file_size > limit:
        yield FileProblem(origin, f"uncompressed size {mb(info.file_size)} exceeds the {mb(limit)} limit, refused")
        return
    if info.file_size > _RATIO_CHECK_BYTES and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
        yield FileProblem(origin, f"compression ratio above {_MAX_RATIO}:1 (zip bomb?), refused")
        return
    compressed = max(info.compress_size, 1)
    try:
        with archive.open(info) as stream:
            data = _read_capped(stream, limit, lambda: compressed)
    except Refused as refused:
        yield FileProblem(origin, refused.reason)
        return
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        yield FileProblem(origin, f"cannot read archive member ({exc})")
        return
    records = _records_from_member(data, origin, name, fmt)
    del data  # dropped once decoded
    yield from records


class _CountingReader:
    """Wraps the archive file to know how many compressed bytes the decompressor has consumed (zip-bomb check)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.consumed = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.consumed += len(data)
        return data

    def tell(self) -> int:
        return self.consumed


def _records_from_tar(
    path: Path, origin: str, fmt: str, limit: int, done: Callable[[str], None]
) -> Iterator[ParsedArticle | FileProblem]:
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the with-block below; open errors reported on their own
    except OSError as exc:
        yield FileProblem(origin, oserror_reason(exc))
        done(origin)
        return
    with raw:
        counter = _CountingReader(raw)
        try:
            # Stream mode ("r|*"): one sequential pass. Random access on a .tar.gz would re-decompress from the
            # start for every member.
            archive = tarfile.open(fileobj=counter, mode="r|*")  # type: ignore[call-overload]  # noqa: SIM115
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            yield FileProblem(origin, f"corrupt or unsupported tar archive ({exc})")
            done(origin)
            return
        seen = 0
        try:
            with archive:
                for member in archive:
                    if member.isdir() or _member_ignored(member.name):
                        continue
                    seen += 1
                    if not (member.isfile() or member.issym() or member.islnk()):
                        yield FileProblem(
                            f"{origin}:{printable(member.name)}", "device or FIFO inside the archive, not read"
                        )
                        done(f"{origin}:{printable(member.name)}")
                        continue
                    member_origin = f"{origin}:{printable(member.name)}"
                    stop: list[bool] = []
                    yield from _tar_member(archive, member, member_origin, origin, fmt, limit, counter, stop)
                    done(member_origin)
                    if stop:
                        return
                if seen == 0:
                    yield FileProblem(origin, "tar archive holds no files")
                    done(origin)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            where = f" after {seen} members" if seen else ""
            yield FileProblem(origin, f"tar archive is corrupt or truncated{where} ({exc})")


def _tar_member(
    archive: tarfile.TarFile,
    member: tarfile.TarInfo,
    origin: str,
    archive_origin: str,
    fmt: str,
    limit: int,
    counter: _CountingReader,
    stop: list[bool],
) -> Iterator[ParsedArticle | FileProblem]:
    """Records of one tar member. Appends to ``stop`` when the rest of the archive must not be read."""
    name = member.name
    refusal = _member_refusal(name)
    if refusal:
        yield FileProblem(origin, refusal)
        return
    if member.issym() or member.islnk():
        yield FileProblem(origin, "link inside the archive, skipped")
        return
    if _is_archive_name(name):
        yield FileProblem(origin, "nested archive not supported (extract it and import it separately)")
        return
    stream = archive.extractfile(member)
    if stream is None:
        return
    if member.size > limit:
        yield FileProblem(origin, f"uncompressed size {mb(member.size)} exceeds the {mb(limit)} limit, refused")
        # Skip over it ourselves, with the ratio check, so a tar bomb cannot keep us decompressing for ages.
        try:
            while stream.read(_CHUNK):
                _check_ratio(member.offset_data + stream.tell(), counter.tell())
        except Refused as refused:
            yield FileProblem(archive_origin, f"rest of the archive skipped: {refused.reason}")
            stop.append(True)
        return
    try:
        data = _read_capped(stream, limit, counter.tell, member.offset_data)
    except Refused as refused:
        yield FileProblem(origin, refused.reason)
        yield FileProblem(archive_origin, "rest of the archive skipped after a suspicious member")
        stop.append(True)
        return
    records = _records_from_member(data, origin, name, fmt)
    del data  # dropped once decoded
    yield from records


def _check_ratio(uncompressed: int, compressed: int) -> None:
    if uncompressed > _RATIO_CHECK_BYTES and uncompressed / max(compressed, 1) > _MAX_RATIO:
        raise Refused(f"compression ratio above {_MAX_RATIO}:1 (zip bomb?)")


# ---------------------------------------------------------------------------------------------------------------
# Public API


def iter_records(
    paths: list[str | Path] | Iterable[str | os.PathLike[str]],
    *,
    fmt: str = "auto",
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    on_file: Callable[[str], None] | None = None,
    pool: multiprocessing.pool.Pool | None = None,
    follow_links: bool = False,
) -> Iterator[ParsedArticle | FileProblem]:
    """Yield a ParsedArticle for every article and a FileProblem for everything that could not be imported, file
    after file, in a stable order. Never raises for bad input data (only for a bad ``fmt``, immediately).

    ``on_file(origin)`` is called after each file or archive member has been fully processed (progress bars:
    count_files() counts the same units).

    With a ``pool`` (of forked processes), plain files are read and parsed there, a few at a time and a few tasks
    ahead, and their records still come out in the same order; archives and very large files are read here, as
    streams, so no worker ever holds more than a task's worth of articles.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected 'auto' or one of {', '.join(FORMATS)}")
    candidates = walk(_as_path_list(paths), follow_links)
    if pool is not None:
        return _iter_records_pooled(candidates, fmt, max_file_bytes, on_file, pool)
    return _iter_records(candidates, fmt, max_file_bytes, on_file)


def _as_path_list(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> list[str | os.PathLike[str]]:
    # A lone path is a common slip: list("corpus") would walk the folders "c", "o", "r"...
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    return list(paths)


def _iter_records(
    candidates: Iterator[Candidate], fmt: str, limit: int, on_file: Callable[[str], None] | None
) -> Iterator[ParsedArticle | FileProblem]:
    done: Callable[[str], None] = on_file if on_file is not None else _ignore_progress
    for candidate in candidates:
        yield from _candidate_records(candidate, fmt, limit, done)


def _candidate_records(
    candidate: Candidate, fmt: str, limit: int, done: Callable[[str], None]
) -> Iterator[ParsedArticle | FileProblem]:
    if candidate.problem is not None:
        yield FileProblem(candidate.origin, candidate.problem)
        done(candidate.origin)
        return
    is_archive = _is_archive_name(candidate.origin)
    try:
        yield from _records_from_path(candidate, fmt, limit, done)
    except Exception as exc:
        log.exception("unexpected error while reading %s", candidate.origin)
        yield FileProblem(candidate.origin, f"internal error ({type(exc).__name__}: {exc}); please report it")
    if not is_archive:
        done(candidate.origin)


# Pooled reading: a task is up to _TASK_FILES files or _TASK_BYTES bytes. At most _TASKS_AHEAD tasks are in
# flight, and no new one is sent while _BYTES_AHEAD bytes of files are (a worker's answer is held whole in memory,
# several times the file's size as Python objects). Archives, gzip files and files over _WORKER_FILE_BYTES stay
# in this process, read as streams.
_TASK_FILES = 64
_TASK_BYTES = 4 * 1024 * 1024
_TASKS_AHEAD = 4
_BYTES_AHEAD = 48 * 1024 * 1024
_WORKER_FILE_BYTES = 32 * 1024 * 1024


def _iter_records_pooled(
    candidates: Iterator[Candidate],
    fmt: str,
    limit: int,
    on_file: Callable[[str], None] | None,
    pool: multiprocessing.pool.Pool,
) -> Iterator[ParsedArticle | FileProblem]:
    done: Callable[[str], None] = on_file if on_file is not None else _ignore_progress
    pending: collections.deque = collections.deque()  # (files, their bytes, async result)
    in_flight = 0

    def finished_task() -> Iterator[ParsedArticle | FileProblem]:
        nonlocal in_flight
        task, size, job = pending.popleft()
        in_flight -= size
        for candidate, items in zip(task, job.get()):
            yield from items
            done(candidate.origin)

    for task in _tasks(candidates):
        if isinstance(task, Candidate):  # read here, in its place in the order
            while pending:
                yield from finished_task()
            yield from _candidate_records(task, fmt, limit, done)
            continue
        files, size = task
        while pending and (len(pending) >= _TASKS_AHEAD or in_flight >= _BYTES_AHEAD):
            yield from finished_task()
        pending.append((files, size, pool.apply_async(_parse_task, (files, fmt, limit))))
        in_flight += size
    while pending:
        yield from finished_task()


def _tasks(candidates: Iterable[Candidate]) -> Iterator[tuple[list[Candidate], int] | Candidate]:
    """Runs of small plain files with their total size (for a worker), and single candidates to read here."""
    task: list[Candidate] = []
    size = 0
    for candidate in candidates:
        small = _worker_file_size(candidate)
        if small is None:
            if task:
                yield task, size
                task, size = [], 0
            yield candidate
            continue
        task.append(candidate)
        size += small
        if len(task) >= _TASK_FILES or size >= _TASK_BYTES:
            yield task, size
            task, size = [], 0
    if task:
        yield task, size


def _worker_file_size(candidate: Candidate) -> int | None:
    """The size of a plain file a worker may read whole, or None for what is read here: problems, archives, gzip
    files, files over _WORKER_FILE_BYTES, and files that cannot be stat'ed (read here, the error is reported as
    usual)."""
    if (
        candidate.problem is not None
        or candidate.path is None
        or _is_archive_name(candidate.origin)
        or candidate.origin.lower().endswith(".gz")
    ):
        return None
    try:
        size = candidate.path.stat().st_size
    except OSError:
        return None
    return size if size <= _WORKER_FILE_BYTES else None


def _parse_task(task: list[Candidate], fmt: str, limit: int) -> list[list[ParsedArticle | FileProblem]]:
    """In a worker: the records of each file of the task, in order (plain files only: `done` is never called),
    each with its identity hash."""
    found = [list(_candidate_records(candidate, fmt, limit, _ignore_progress)) for candidate in task]
    for items in found:
        for item in items:
            if isinstance(item, ParsedArticle):
                item.identity = identity_hash(item.title, item.body)
    return found


def _ignore_progress(origin: str) -> None:
    pass


def count_files(paths: list[str | Path] | Iterable[str | os.PathLike[str]], follow_links: bool = False) -> int:
    """Number of files iter_records() will look at (archives count their members). Cheap for folders and zips; a
    compressed tar has to be decompressed once to be counted."""
    total = 0
    for candidate in walk(_as_path_list(paths), follow_links):
        path = candidate.path
        if path is None:
            total += 1
            continue
        lower = path.name.lower()
        try:
            if lower.endswith(_ZIP_SUFFIXES):
                with zipfile.ZipFile(path) as archive:
                    members = sum(
                        1 for info in archive.infolist() if not info.is_dir() and not _member_ignored(info.filename)
                    )
                total += max(members, 1)  # an empty archive still reports one problem
                continue
            if lower.endswith(_TAR_SUFFIXES):
                with tarfile.open(path, mode="r|*") as archive:
                    members = sum(1 for m in archive if not m.isdir() and not _member_ignored(m.name))
                total += max(members, 1)
                continue
        except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error, ValueError):
            pass
        total += 1
    return total
