"""Settings for benchmarks only: the app plus the plain-Django baseline (bench/baseline), served side by side."""

from newsarchive.settings import *  # noqa: F401,F403
from newsarchive.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline"]
ROOT_URLCONF = "bench.urls"
