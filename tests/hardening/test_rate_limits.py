"""Issue 18, item 7: one client cannot take every worker with the CSV export or the API: past its rate it gets 429,
in Arabic (the page for the CSV, JSON for the API), with Retry-After, while other clients and the search pages go
on being served. Counted in a folder cache, so every worker (here: every request) shares one count."""

import pytest
from django.core.cache import caches

from articles.models import Article

CSV, API = "/search.csv?q=الحكومة", "/api/search?q=الحكومة"
PROXY = "127.0.0.1"  # a proxy on this host, in the default TRUSTED_PROXY_NETWORKS
OUTSIDE = "198.51.100.20"  # a client on another host (the test client's own default is 127.0.0.1, exempt)


@pytest.fixture
def client(client):
    client.defaults["REMOTE_ADDR"] = OUTSIDE
    return client


@pytest.fixture
def limited(settings, tmp_path):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_EXEMPT_NETWORKS = ["127.0.0.0/8", "::1/128"]
    # Hourly windows: a test takes a second, so no window ends in the middle of one.
    settings.RATELIMIT_RULES = [("/search.csv", "csv", "3/h"), ("/api/", "api", "5/h")]
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "ratelimit"),
        },
    }
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def article(db):
    return Article.objects.create(
        title="الحكومة تعلن ميزانية جديدة", body="أعلنت الحكومة اليوم عن ميزانية جديدة للعام المقبل."
    )


def test_the_csv_past_its_rate_is_refused_in_arabic(client, limited, article):
    for _ in range(3):
        response = client.get(CSV)
        assert response.status_code == 200
        assert "الحكومة تعلن ميزانية جديدة" in b"".join(response.streaming_content).decode()
    refused = client.get(CSV)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "طلبات كثيرة من هذا العنوان: الحد 3 طلبات في الساعة." in page and 'dir="rtl"' in page
    assert "محاولات دخول" not in page  # the login lockout's wording is for logins
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert client.get(CSV, REMOTE_ADDR="192.0.2.7").status_code == 200  # another client has its own count
    assert client.get("/search/?q=الحكومة").status_code == 200  # the pages people read are not limited


def test_the_api_past_its_rate_answers_json_in_arabic(client, limited, article):
    assert [client.get(API).status_code for _ in range(5)] == [200] * 5
    refused = client.get(API)
    assert refused.status_code == 429 and refused["Content-Type"] == "application/json"
    assert refused.json()["error"].startswith("طلبات كثيرة من هذا العنوان: الحد 5 طلبات في الساعة. أعد المحاولة بعد")
    assert client.get(f"/api/articles/{article.pk}").status_code == 429  # the whole API shares the count
    assert client.get(CSV).status_code == 200  # the CSV counts apart


def test_a_forged_forwarded_for_does_not_buy_a_new_count(client, limited, settings, article):
    settings.TRUSTED_PROXIES = 1
    for i in range(5):
        forwarded = f"203.0.113.{i}, 198.51.100.9"
        assert client.get(API, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    # Behind one proxy the client is the address the proxy appended (198.51.100.9), whatever comes before it.
    assert client.get(API, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.9").status_code == 429
    assert client.get(API, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10").status_code == 200


def test_this_hosts_own_scripts_are_not_limited_and_an_empty_setting_limits_them_too(
    client, limited, settings, article
):
    local = [client.get(CSV, REMOTE_ADDR="127.0.0.1").status_code for _ in range(6)]
    assert local == [200] * 6  # an evaluation harness or a cron job on the server itself
    assert [client.get(CSV, REMOTE_ADDR="::1").status_code for _ in range(4)] == [200] * 4
    settings.RATELIMIT_EXEMPT_NETWORKS = []
    assert [client.get(CSV, REMOTE_ADDR="127.0.0.1").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_behind_a_proxy_on_this_host_outside_clients_are_limited(client, limited, settings, article):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_NETWORKS = 1, ["127.0.0.1/32"]
    outside = dict(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert [client.get(CSV, **outside).status_code for _ in range(4)] == [200, 200, 200, 429]
