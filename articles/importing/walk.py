"""Walking the paths given to the importer: every file under them, as a Candidate (its origin, and its path or the
problem that keeps it from being read), in sorted order, with the rules for names that are never articles.

Folders are walked recursively, skipping hidden entries (".DS_Store", ".git", ...) and never following a symbolic
link back into a folder already being walked. The first layer of the importer: reader.py reads what this finds.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Names that are never articles but would happily parse as plain text (corpus READMEs, licences, manifests).
# A name counts when its stem (name up to the first ".") is one of _NOT_ARTICLE_STEMS, or has at most two words
# ("_", "-", " " separated) one of which is in _NOT_ARTICLE_WORDS ("UPSTREAM_README.md", "README-ar.txt"); a longer
# stem such as "driving-license-rules-2024.txt" is left alone.
_NOT_ARTICLE_WORDS = frozenset({"readme", "license", "licence", "copying", "changelog"})
_NOT_ARTICLE_STEMS = frozenset({"notice", "authors", "contributing", "manifest"})
_NAME_WORDS = re.compile(r"[_\- ]+")
_TABLE_SUFFIXES = (".csv", ".tsv")
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "__macosx"})


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Candidate:
    origin: str
    path: Path | None = None
    problem: str | None = None


def printable(name: str) -> str:
    """File names that are not valid UTF-8 arrive with surrogate escapes, which cannot be stored or printed."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def oserror_reason(exc: OSError, what: str = "file") -> str:
    if isinstance(exc, PermissionError):
        return f"permission denied: cannot read {what}"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read {what}: {exc.strerror or exc}"


def ignored(name: str) -> bool:
    return name.startswith(".") or name.lower() in _IGNORED_NAMES


def skip_reason(name: str) -> str | None:
    """Reason to refuse a file by its name alone, or None."""
    lower = PurePosixPath(name).name.lower()
    stem = lower.split(".", 1)[0]
    words = _NAME_WORDS.split(stem)
    if stem in _NOT_ARTICLE_STEMS or (len(words) <= 2 and _NOT_ARTICLE_WORDS.intersection(words)):
        return "skipped: a README/licence/manifest file, not an article"
    if lower.endswith(_TABLE_SUFFIXES):
        return "CSV/TSV table, not a supported article format"
    return None


def walk(paths: Iterable[str | os.PathLike[str]], follow_links: bool = False) -> Iterator[Candidate]:
    """Every file under the given paths. A path given by name is read even if it is a link (its owner named it);
    links met inside a folder are not (see _walk_folder)."""
    for given in paths:
        path = Path(given)
        label = printable(path.name or str(path))
        try:
            st = path.stat()
        except OSError as exc:
            if isinstance(exc, FileNotFoundError) and path.is_symlink():
                yield Candidate(label, problem="broken symbolic link (its target does not exist)")
            else:
                yield Candidate(
                    printable(str(path)) if isinstance(exc, FileNotFoundError) else label, problem=oserror_reason(exc)
                )
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(path, (st.st_dev, st.st_ino), follow_links)
        elif stat.S_ISREG(st.st_mode):
            yield Candidate(label, path)
        else:
            yield Candidate(label, problem="not a regular file (device, FIFO or socket)")


def _walk_folder(root: Path, root_key: tuple[int, int], follow_links: bool = False) -> Iterator[Candidate]:
    """Depth-first, sorted, iterative (no recursion limit on deep trees). ``visited`` holds the real identity of
    every folder entered so a symlink can neither loop nor import the same folder twice.

    A symbolic link inside the folder is never followed out of it: a link to /etc would publish the system's
    files. It is refused by name, or with ``follow_links`` followed when its target stays inside the folder. A
    file with more than one hard link is refused too: its other name may be anywhere on the disk."""
    inside = os.path.realpath(root)
    visited: set[tuple[int, int]] = {root_key}
    # stack of (folder path, origin prefix, ancestors' identities, sorted entries, next index)
    stack: list[tuple[Path, str, frozenset[tuple[int, int]], list[os.DirEntry[str]], int]] = []

    def open_folder(folder: Path, prefix: str, ancestors: frozenset[tuple[int, int]]) -> Candidate | None:
        entries = _folder_entries(folder, prefix)
        if isinstance(entries, Candidate):
            return entries
        stack.append((folder, prefix, ancestors, entries, 0))
        return None

    problem = open_folder(root, "", frozenset({root_key}))
    if problem:
        yield problem
    while stack:
        folder, prefix, ancestors, entries, index = stack[-1]
        if index >= len(entries):
            stack.pop()
            continue
        stack[-1] = (folder, prefix, ancestors, entries, index + 1)
        entry = entries[index]
        origin = prefix + printable(entry.name)
        if entry.is_symlink() and (refusal := _link_refusal(entry, inside, follow_links)):
            yield Candidate(origin, problem=refusal)
            continue
        try:
            st = entry.stat()  # follows symlinks
        except OSError as exc:
            yield Candidate(origin, problem=_stat_problem(entry, exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                yield Candidate(
                    origin, problem="symbolic link loop (points back to a folder that contains it), skipped"
                )
            elif key in visited:
                yield Candidate(origin, problem="folder already imported through another link, skipped")
            else:
                visited.add(key)
                problem = open_folder(Path(entry.path), origin + "/", ancestors | {key})
                if problem:
                    yield problem
        else:
            yield _file_candidate(origin, entry, st)


def _folder_entries(folder: Path, prefix: str) -> list[os.DirEntry[str]] | Candidate:
    """The folder's entries to look at, sorted by name, or the problem that it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            return sorted((e for e in it if not ignored(e.name)), key=lambda e: e.name)
    except OSError as exc:
        return Candidate(
            prefix.rstrip("/") or printable(folder.name or str(folder)),
            problem=oserror_reason(exc, "folder")
            if not isinstance(exc, PermissionError)
            else "permission denied: cannot list folder",
        )


def _stat_problem(entry: os.DirEntry, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and entry.is_symlink():
        return "broken symbolic link (its target does not exist)"
    if isinstance(exc, FileNotFoundError):
        return "file disappeared during the import"
    return oserror_reason(exc)


def _file_candidate(origin: str, entry: os.DirEntry, st: os.stat_result) -> Candidate:
    """A folder entry that is not a folder: a file to read, or the reason it is not read."""
    if stat.S_ISREG(st.st_mode) and st.st_nlink > 1 and not entry.is_symlink():
        return Candidate(
            origin,
            problem="hard link (the file has other names on the disk, which may lie "
            "outside the folder), not read: import a plain copy",
        )
    if stat.S_ISREG(st.st_mode):
        return Candidate(origin, Path(entry.path))
    return Candidate(origin, problem="not a regular file (device, FIFO or socket)")


def _link_refusal(entry: os.DirEntry, inside: str, follow_links: bool) -> str | None:
    """Why a symbolic link inside an imported folder is not followed, or None when it may be."""
    if not follow_links:
        return "symbolic link, not followed (--follow-links follows links that stay inside the given folder)"
    target = os.path.realpath(entry.path)
    if target != inside and not target.startswith(inside + os.sep):
        return "symbolic link pointing outside the given folder, not followed"
    return None
