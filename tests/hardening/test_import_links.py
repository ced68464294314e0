"""Issue 18, item 1: an import never publishes files from outside the folder it was given. Symbolic and hard
links inside it, devices and FIFOs are named with a reason and never read; --follow-links follows only the
symbolic links that stay inside."""

import io
import os
import tarfile

import pytest
from django.core.management import call_command

from articles.importing.reader import count_files, iter_records
from articles.models import Article, ImportBatch

ARTICLE = "عنوان الخبر\n\nأعلنت وزارة الصحة اليوم عن تجهيز مستشفى قابس الجامعي بمعدات حديثة لقسم الطوارئ.\n"


@pytest.fixture
def folder(tmp_path):
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "shadow.txt").write_text(
        "root:$6$secret-hash:19000:0:99999:7:::\nوزارة الداخلية سري للغاية\n", encoding="utf-8"
    )
    root = tmp_path / "import"
    (root / "news").mkdir(parents=True)
    (root / "news" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "etc").symlink_to(secret, target_is_directory=True)  # a folder outside
    (root / "shadow.txt").symlink_to(secret / "shadow.txt")  # a file outside
    (root / "again.txt").symlink_to(root / "news" / "a.txt")  # a file inside
    os.link(secret / "shadow.txt", root / "hard.txt")  # a hard link: the same file under another name
    os.mkfifo(root / "pipe")
    return root


def _reasons(root, **kwargs):
    return {r.origin: getattr(r, "reason", None) for r in iter_records([root], **kwargs)}


def test_links_devices_and_fifos_are_named_and_never_read(folder):
    found = _reasons(folder)
    assert found["news/a.txt"] is None
    for name in ("etc", "shadow.txt", "again.txt"):
        assert found[name].startswith("symbolic link, not followed"), name
    assert found["hard.txt"].startswith("hard link")
    assert found["pipe"] == "not a regular file (device, FIFO or socket)"
    assert not any(o.startswith("etc/") for o in found)


def test_follow_links_follows_only_links_that_stay_inside(folder):
    found = _reasons(folder, follow_links=True)
    assert found["again.txt"] is None  # inside: read
    assert found["etc"] == found["shadow.txt"] == "symbolic link pointing outside the given folder, not followed"
    assert found["hard.txt"].startswith("hard link")
    assert count_files([folder], follow_links=True) == len(found)


@pytest.mark.django_db
def test_the_import_publishes_nothing_from_outside(folder, capsys):
    call_command("import_articles", str(folder))
    assert list(Article.objects.values_list("title", flat=True)) == ["عنوان الخبر"]
    assert not Article.objects.filter(body__contains="secret-hash").exists()
    errors = {e["path"]: e["reason"] for e in ImportBatch.objects.get().errors}
    assert {"etc", "shadow.txt", "again.txt", "hard.txt", "pipe"} <= set(errors)
    assert "رابط رمزي، لم يُتبع" in capsys.readouterr().err


def test_devices_and_fifos_inside_a_tar_are_named(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        data = ARTICLE.encode()
        info = tarfile.TarInfo("news/a.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        for name, kind in (("dev/zero", tarfile.CHRTYPE), ("fifo", tarfile.FIFOTYPE)):
            special = tarfile.TarInfo(name)
            special.type = kind
            archive.addfile(special)
    (tmp_path / "bundle.tar.gz").write_bytes(buffer.getvalue())
    found = _reasons(tmp_path / "bundle.tar.gz")
    assert found["bundle.tar.gz:news/a.txt"] is None
    assert found["bundle.tar.gz:dev/zero"] == "device or FIFO inside the archive, not read"
    assert found["bundle.tar.gz:fifo"] == "device or FIFO inside the archive, not read"
    assert count_files([tmp_path / "bundle.tar.gz"]) == 3
