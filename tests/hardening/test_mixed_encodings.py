"""Issue 18, item 13: a file whose encoding changes halfway (UTF-8, then Windows-1256, or the reverse) is refused
by name, saying where the UTF-8 breaks, small or large; nothing of it is stored as mojibake."""

import pytest
from django.core.management import call_command

from articles.importing.decoding import DecodeProblem, decode
from articles.models import Article, ImportBatch

UTF8 = ("عنوان الخبر\n\n" + "أعلنت وزارة الصحة اليوم عن تجهيز مستشفى قابس الجامعي بمعدات حديثة. " * 3).encode()
CP1256 = ("خبر آخر\n\n" + "قال وزير الداخلية إن الوضع الأمني مستقر في كامل ولايات الجمهورية. " * 3).encode("cp1256")


@pytest.mark.parametrize(
    ("data", "breaks_at"),
    [
        (UTF8 + CP1256, len(UTF8)),
        (UTF8 * 3000 + CP1256, len(UTF8) * 3000),  # past the 64 KB sample the encoding is judged on
        (CP1256 + UTF8, 0),
        (CP1256 * 3000 + UTF8 * 5, 0),
    ],
)
def test_a_change_of_encoding_is_refused_where_it_happens(data, breaks_at):
    with pytest.raises(DecodeProblem, match=f"mixed encodings.*breaking at byte {breaks_at}"):
        decode(data)


def test_one_encoding_throughout_still_decodes():
    assert decode(UTF8) == (UTF8.decode(), "utf-8")
    assert decode(CP1256) == (CP1256.decode("cp1256"), "cp1256")
    assert decode(CP1256 * 3000)[1] == "cp1256"


@pytest.mark.django_db
def test_the_import_names_the_file_and_stores_nothing_of_it(tmp_path):
    (tmp_path / "good.txt").write_bytes(UTF8)
    (tmp_path / "mixed.txt").write_bytes(UTF8 + CP1256)
    call_command("import_articles", str(tmp_path), verbosity=0)
    assert list(Article.objects.values_list("origin_path", flat=True)) == ["good.txt"]
    [error] = ImportBatch.objects.get().errors
    assert error["path"] == "mixed.txt" and error["detail"].startswith("mixed encodings")
    assert error["reason"].startswith("ترميزان مختلفان في ملف واحد")
