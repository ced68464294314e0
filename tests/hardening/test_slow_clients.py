"""Issue 18, item 8: connections that trickle their headers a byte at a time do not hold the documented deployment
(docs/deploy.md: gunicorn --worker-class gthread --threads 8): a normal page is served meanwhile, within 2 s.
Six such connections made gunicorn's sync workers take 70 s for one. Runs scripts/slow_clients.py (its --budget
is the bound), against the test database."""

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_a_page_is_served_while_six_clients_trickle_their_headers(db_env):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "slow_clients.py"),
            "--serve",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "8",
            "--slow",
            "6",
            "--duration",
            "4",
            "--budget",
            "2",
        ],
        env=db_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("OK"), done.stdout + done.stderr
    assert "6 slow clients" in done.stdout and "failed 0" in done.stdout
