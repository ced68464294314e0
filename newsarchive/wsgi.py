import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ.setdefault("NEWSARCHIVE_WEB_PROCESS", "1")  # the web's database limits (settings.py)
application = get_wsgi_application()

# The analyzer's lexicon loads on first use; a web worker loads it now, at boot, not during someone's first search.
from articles.search.analysis import lexicon  # noqa: E402

lexicon()
