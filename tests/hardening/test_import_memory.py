"""Issue 18, item 15: no input makes an import hold more than 1 GB. A 190 MB file of one line took 3.3 GB before it
was refused, as one record too long to be an article: records are now measured on the raw bytes, before the file
is decoded and parsed. Peak memory is read from the kernel (ru_maxrss of the import run in a subprocess)."""

import json
import subprocess
import sys

import pytest

from articles.importing.reader import MAX_RECORD_BYTES, iter_records
from articles.importing.records import FileProblem, ParsedArticle

from .conftest import ROOT

LIMIT_MB = 1024
WORDS = "أعلنت وزارة الصحة اليوم عن تجهيز مستشفى قابس الجامعي بمعدات حديثة ".encode()
# The import in a child of its own, so that ru_maxrss(RUSAGE_CHILDREN) is the import's alone (with its workers).
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
print(done.stdout + done.stderr)
"""


def _peak_mb(env, *args) -> tuple[int, str]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, str(ROOT / "manage.py"), "import_articles", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    peak, _, report = out.partition("\n")
    return int(peak), report


def _write(path, head: bytes, size: int, tail: bytes = b"") -> None:
    with open(path, "wb") as f:
        f.write(head)
        for _ in range(size // len(WORDS)):
            f.write(WORDS)
        f.write(tail)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "head", "tail"),
    [
        ("one-line.txt", b"", b""),  # a single line: one plain-text article of 190 MB
        ("one-record.jsonl", '{"title": "عنوان", "content": "'.encode(), b'"}\n'),  # one JSON record of 190 MB
    ],
)
def test_a_190_mb_record_is_refused_within_1_gb(db_env, tmp_path, name, head, tail):
    path = tmp_path / name
    _write(path, head, 190 * 1024 * 1024, tail)
    peak, report = _peak_mb(db_env, str(path))
    assert "نص أطول من أن يكون مقالا واحدا" in report, report
    assert peak <= LIMIT_MB, f"peak RSS {peak} MB"


def test_records_are_measured_before_decoding(tmp_path):
    long_record = tmp_path / "dump.json"
    long_record.write_bytes(b'[{"title": "x", "content": "' + WORDS * (MAX_RECORD_BYTES // len(WORDS) + 1) + b'"}]')
    many_values = tmp_path / "values.json"
    many_values.write_bytes(b"[" + b"{}," * 3_000_001 + b"{}]")
    problems = [r for r in iter_records([tmp_path]) if isinstance(r, FileProblem)]
    assert [(p.origin, p.reason.split(" (")[0]) for p in problems] == [
        ("dump.json", "text too long for one article"),
        ("values.json", "file too large for its records: about 6,000,004 JSON values, limit 3,000,000"),
    ]


def test_a_json_dump_with_a_bom_and_escaped_quotes_still_imports(tmp_path):
    records = [
        {"title": f"خبر {i}", "content": 'قال الوزير "إن الوضع مستقر" \\ في كامل البلاد ' * 50} for i in range(300)
    ]
    (tmp_path / "dump.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(records, ensure_ascii=True).encode())
    found = list(iter_records([tmp_path]))
    assert all(isinstance(r, ParsedArticle) for r in found) and len(found) == 300
