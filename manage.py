#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

In a development checkout (`make run` or `make dev-env` wrote .data/dev.env, git-ignored), commands run with its
settings, DJANGO_DEBUG=1 and this checkout's own random key, unless the environment (or .env) configures the
archive itself: the README's commands then work as written, and a server configured for production is never
switched to development by the file.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
CONFIGURED_BY = ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")


def development_defaults(environ=os.environ) -> None:
    dev_env = Path(environ.get("NEWSARCHIVE_DEV_ENV", BASE_DIR / ".data" / "dev.env"))
    if any(name in environ for name in CONFIGURED_BY) or (BASE_DIR / ".env").exists() or not dev_env.is_file():
        return
    for line in dev_env.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#"):
            environ.setdefault(name.strip(), value.strip())


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    development_defaults()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:  # a setting missing: what to set, not a traceback
        sys.exit(f"ImproperlyConfigured: {exc}\nفي نسخة للتطوير: make dev-env (أو make run) ثم أعد الأمر.")


if __name__ == "__main__":
    main()
