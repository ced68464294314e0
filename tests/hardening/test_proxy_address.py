"""The login throttle's key is the client's real address: a forged X-Forwarded-For never unlocks a locked-out
user name, with no proxy in front, behind the configured proxies, or reaching gunicorn past them."""

import pytest

from newsarchive.middleware import client_ip

PASSWORD = "the-right-password-7Qx"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor1", "e@example.org", PASSWORD)


def _login(client, password, remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    return client.post("/admin/login/?next=/admin/", {"username": "editor1", "password": password}, **meta)


def _lock_out(client, settings, remote, forwarded_each):
    codes = [_login(client, "wrong", remote, forwarded_each(n)).status_code for n in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429, codes


@pytest.mark.django_db
def test_with_no_proxy_the_header_is_ignored(client, settings, editor):
    settings.TRUSTED_PROXIES = 0
    _lock_out(client, settings, "203.0.113.7", lambda n: f"198.51.100.{n}")  # a new forged address each time
    assert _login(client, PASSWORD, "203.0.113.7", "198.51.100.200").status_code == 429


@pytest.mark.django_db
def test_behind_one_proxy_only_the_address_it_appended_counts(client, settings, editor):
    settings.TRUSTED_PROXIES = 1
    # nginx with $proxy_add_x_forwarded_for: what the client sent, then the address nginx saw.
    _lock_out(client, settings, "127.0.0.1", lambda n: f"198.51.100.{n}, 203.0.113.7")
    assert _login(client, PASSWORD, "127.0.0.1", "198.51.100.200, 203.0.113.7").status_code == 429
    assert _login(client, PASSWORD, "127.0.0.1", "203.0.113.99").status_code == 302  # another client: no DoS


@pytest.mark.django_db
def test_a_client_reaching_gunicorn_past_the_proxy_is_judged_by_its_own_address(client, settings, editor):
    settings.TRUSTED_PROXIES = 1
    _lock_out(client, settings, "203.0.113.7", lambda n: f"198.51.100.{n}")
    assert _login(client, PASSWORD, "203.0.113.7", "198.51.100.200").status_code == 429


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (2, "10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.1", "203.0.113.7"),  # two proxies: two hops from the right
        (2, "10.0.0.2", "10.0.0.1", "10.0.0.2"),  # fewer hops than proxies: a proxy misconfigured, the nearest address
        (1, "192.168.1.5", "", "192.168.1.5"),
        (1, "8.8.8.8", "203.0.113.7", "8.8.8.8"),  # not from a proxy network
        (0, "10.0.0.2", "203.0.113.7", "10.0.0.2"),
    ],
)
def test_the_client_is_the_hop_the_outermost_trusted_proxy_appended(rf, settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    assert client_ip(request) == expected
