"""The staff's commands as they are typed (issue 16): a development checkout that just works, account passwords in
Arabic and without tracebacks, an import stopped by Ctrl-C or SIGTERM, progress in a log, files that are not
articles, re-runs that bring nothing new, and topic suggestions kept up with imports. Real subprocesses where a
terminal, a signal or the process's environment is the point."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command

from articles.management import passwords
from tests.hardening.conftest import ANT_FIXTURES, PYTHON, ROOT, ant_files, manage, subprocess_env

_DEV_VARIABLES = ("DJANGO_DEBUG", "DJANGO_SECRET_KEY")


@pytest.fixture
def db_env(transactional_db):
    return subprocess_env()


def _without_dev_settings(env: dict[str, str], **extra) -> dict[str, str]:
    return {**{k: v for k, v in env.items() if k not in _DEV_VARIABLES}, **extra}


# --- a development checkout ------------------------------------------------------------------------------------


def test_make_dev_env_writes_a_private_key_once(tmp_path):
    dev_env = tmp_path / "dev.env"
    for _ in range(2):
        subprocess.run(["make", "-s", "dev-env", f"DEV_ENV={dev_env}"], cwd=ROOT, check=True, capture_output=True)
        if _ == 0:
            first = dev_env.read_text()
    text = dev_env.read_text()
    assert text == first  # a second run keeps the key: sessions survive it
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    assert values["DJANGO_DEBUG"] == "1" and len(values["DJANGO_SECRET_KEY"]) >= 50
    tracked = subprocess.run(["git", "check-ignore", ".data/dev.env"], cwd=ROOT, capture_output=True, text=True)
    assert tracked.stdout.strip() == ".data/dev.env"


def test_the_readme_commands_work_in_a_development_checkout(db_env, tmp_path):
    dev_env = tmp_path / "dev.env"
    subprocess.run(["make", "-s", "dev-env", f"DEV_ENV={dev_env}"], cwd=ROOT, check=True, capture_output=True)
    env = _without_dev_settings(db_env, NEWSARCHIVE_DEV_ENV=str(dev_env))
    editor = manage("create_editor", "nadia", "--email", "nadia@example.org", "--noinput", env=env)
    assert editor.returncode == 0, editor.stderr
    assert "أنشئ المحرر «nadia»" in editor.stdout
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(ant_files(1)[0].read_bytes())
    imported = manage("import_articles", str(tmp_path / "in"), env=env)
    assert imported.returncode == 0, imported.stderr
    assert "ملف واحد، مقال واحد — أُنشئ 1" in imported.stdout


def test_production_still_refuses_to_start_without_a_secret(db_env, tmp_path):
    env = _without_dev_settings(db_env, NEWSARCHIVE_DEV_ENV=str(tmp_path / "absent.env"))
    out = manage("create_editor", "nadia", "--noinput", env=env)
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY" in out.stderr and "make dev-env" in out.stderr
    assert "Traceback" not in out.stderr
    # A secret in the environment means the archive is configured: the development file is not read at all.
    dev_env = tmp_path / "dev.env"
    dev_env.write_text("DJANGO_DEBUG=1\n")
    configured = subprocess.run(
        [PYTHON, "-c", "import manage, os; manage.development_defaults(); print(os.environ.get('DJANGO_DEBUG'))"],
        cwd=ROOT,
        env=_without_dev_settings(db_env, NEWSARCHIVE_DEV_ENV=str(dev_env), DJANGO_SECRET_KEY="k" * 50),
        capture_output=True,
        text=True,
    )
    assert configured.stdout.strip() == "None", configured.stderr


# --- account passwords -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_errors_are_arabic(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError) as raised:
        call_command("create_editor", "salma", stdout=io.StringIO())
    message = str(raised.value)
    assert "كلمة المرور قصيرة جدا: لا تقل عن 8 أحرف." in message and "شائعة" in message
    assert not any("a" <= c.lower() <= "z" for c in message), message


@pytest.mark.django_db
def test_a_new_account_is_not_told_its_password_stays_unchanged(monkeypatch, django_user_model):
    prompts = []
    monkeypatch.setattr(passwords.sys.stdin, "isatty", lambda: True, raising=False)
    typed = "Tahrir-2026-sirr-kalima"
    monkeypatch.setattr(passwords.getpass, "getpass", lambda prompt: prompts.append(prompt) or typed)
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    call_command("create_editor", "salma", stdout=io.StringIO())
    call_command("create_editor", "salma", stdout=io.StringIO())
    new, existing = prompts[0], prompts[2]
    assert "لعدم التغيير" not in new and "بلا كلمة مرور" in new
    assert "اتركها فارغة لعدم التغيير" in existing
    assert django_user_model.objects.get(username="salma").check_password("Tahrir-2026-sirr-kalima")


def test_create_editor_without_a_terminal_says_what_to_do(db_env):
    env = {k: v for k, v in db_env.items() if k != "DJANGO_EDITOR_PASSWORD"}
    out = manage("create_editor", "salma", env=env, stdin=subprocess.DEVNULL)
    assert out.returncode == 1
    assert "لا طرفية تُكتب فيها كلمة المرور: ضعها في المتغير DJANGO_EDITOR_PASSWORD" in out.stderr
    assert "EOFError" not in out.stderr and "Traceback" not in out.stderr


# --- an import stopped by a signal -----------------------------------------------------------------------------


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_import_with_a_sentence_and_a_rerun_finishes(db_env, signum, status):
    from articles.models import Article, ImportBatch

    command = [PYTHON, str(ROOT / "manage.py"), "import_articles", str(ANT_FIXTURES), "--batch-size", "5", "--no-train"]
    # Its own process group, as a shell gives it: Ctrl-C and a service manager's stop reach the workers too.
    proc = subprocess.Popen(
        command, env=db_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 300  # a fresh test database builds its search index first: slow on a busy host
    while Article.objects.count() < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be stopped"
    assert Article.objects.count() >= 20, "the import committed nothing in 300 s"
    os.killpg(proc.pid, signum)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # stuck: never leave it holding the test database
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == status, err
    assert "أُوقف الاستيراد؛ حُفظ ما سبق" in err
    assert "Traceback" not in err and "BrokenPipe" not in err and "KeyboardInterrupt" not in err, err
    kept = Article.objects.count()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INTERRUPTED and batch.created == kept > 0
    assert kept < 300

    rerun = manage("import_articles", str(ANT_FIXTURES), "--no-train", env=db_env)
    assert rerun.returncode == 0, rerun.stderr
    assert Article.objects.count() == 300
    assert ImportBatch.objects.latest("pk").created == 300 - kept


# --- progress in a log -----------------------------------------------------------------------------------------


def test_progress_lines_when_output_is_not_a_terminal(db_env, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in ant_files(12):
        (folder / path.name).write_bytes(path.read_bytes())
    out = manage("import_articles", str(folder), "--batch-size", "2", "--progress-every", "4", "--no-train", env=db_env)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("… ")]
    assert len(lines) >= 2, out.stderr
    assert lines[0].startswith(("… 4 ملفات", "… 5 ملفات", "… 6 ملفات")), lines
    assert "مقال/ث" in lines[-1]


# --- nothing but articles, nothing new, suggestions ------------------------------------------------------------


def _corpus(tmp_path, n: int = 3):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for path in ant_files(n):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "notes.md").write_text("# ملاحظات\n\nما بقي من عمل على هذه المجموعة.\n", encoding="utf-8")
    (folder / "README").write_text("# readme\n\nThe ANT corpus, a sample.\n", encoding="utf-8")
    (folder / "LICENSE").write_text("Creative Commons Attribution 4.0\n", encoding="utf-8")
    (folder / "checksums.txt").write_text("3f2a9c  a.txt\n77b1e0  b.txt\n", encoding="utf-8")
    return folder


@pytest.mark.django_db
def test_files_that_are_not_articles_are_skipped_by_name(tmp_path):
    from articles.models import Article, ImportBatch

    err = io.StringIO()
    call_command("import_articles", str(_corpus(tmp_path)), "--no-train", stdout=io.StringIO(), stderr=err)
    assert Article.objects.count() == 3
    assert not Article.objects.filter(title__icontains="readme").exists()
    skipped = {e["path"]: e["reason"] for e in ImportBatch.objects.get().errors if e.get("skipped")}
    assert set(skipped) == {"notes.md", "README", "LICENSE", "checksums.txt"}
    assert skipped["notes.md"] == "ليس مقالا: ملف توثيق أو برمجة أو إعدادات (‎.md‎)، تُخطّي"
    assert skipped["checksums.txt"] == "ليس مقالا: نص بلا حرف عربي واحد، تُخطّي"
    text = err.getvalue()
    assert "ما تُخطّي لأنه ليس مقالا (4 ملفات):" in text and "  – notes.md: ليس مقالا" in text
    assert ImportBatch.objects.get().failed == 0


@pytest.mark.django_db
def test_reruns_with_nothing_new_are_one_batch(tmp_path):
    from articles.models import ImportBatch

    folder = _corpus(tmp_path)
    call_command("import_articles", str(folder), "--no-train", stdout=io.StringIO(), stderr=io.StringIO())
    first = ImportBatch.objects.get()
    outputs = []
    for _ in range(3):
        out = io.StringIO()
        call_command("import_articles", str(folder), "--no-train", stdout=out, stderr=io.StringIO())
        outputs.append(out.getvalue())
    batches = list(ImportBatch.objects.order_by("pk"))
    assert len(batches) == 2 and batches[0] == first and first.created == 3
    empty = batches[1]
    assert (empty.created, empty.updated, empty.failed, empty.duplicates) == (0, 0, 0, 3)
    assert all(f"لا جديد: كل ما قُرئ في الأرشيف من قبل، وسُجّل ذلك في الدفعة {empty.pk}." in o for o in outputs)
    # Another command is another row; and a run that brings something new is a row of its own.
    call_command(
        "import_articles", str(folder), "--tag", "أرشيف", "--no-train", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert ImportBatch.objects.count() == 3


@pytest.mark.django_db
def test_an_import_that_grows_the_archive_retrains_the_suggestions(tmp_path):
    from articles import suggest

    folder = tmp_path / "big"
    folder.mkdir()
    for path in ant_files(120):
        (folder / f"{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
    assert suggest.staleness().trained_links == 0
    out = io.StringIO()
    call_command("import_articles", str(folder), "--tag", "أرشيف", stdout=out, stderr=io.StringIO())
    assert "أُعيد تدريب اقتراح المواضيع" in out.getvalue()
    state = suggest.staleness()
    assert state.trained_links == state.links > 0 and not state.stale


@pytest.mark.django_db
def test_a_stale_model_too_big_to_retrain_here_is_said(tmp_path, monkeypatch):
    from articles.management.commands import import_articles

    monkeypatch.setattr(import_articles, "AUTO_TRAIN_MAX_LINKS", 10)
    err = io.StringIO()
    call_command("import_articles", str(_corpus(tmp_path, 60)), "--tag", "أرشيف", stdout=io.StringIO(), stderr=err)
    assert "اقتراحات المواضيع قديمة" in err.getvalue() and "manage.py train_tag_suggestions" in err.getvalue()
