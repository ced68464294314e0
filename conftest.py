"""Test-wide setup: settings for a test run, and the shared corpus location."""
import os
from pathlib import Path

# Tests run with production-like settings (DEBUG off); they only need a key and plain-HTTP test requests.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

ROOT = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
