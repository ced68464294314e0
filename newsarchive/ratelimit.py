"""Per-client rate limits on what a script can repeat at will: the CSV export and the JSON API (RATELIMIT_RULES).

Counted by django-ratelimit in the `ratelimit` cache, per client address as the login throttle reads it
(newsarchive.middleware.client_ip: behind a proxy, the address it saw, never what a client writes in the header).
The cache is a folder on this host (settings.CACHES): every gunicorn worker counts in the same files, where each
worker's own memory would let a client have RATE times the worker count. Past the limit: 429 with Retry-After,
the Arabic page (templates/429.html) for the CSV, JSON under /api/.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from articles.arabic_numbers import Noun

from .middleware import client_ip

_SECOND = Noun("ثانية", "ثانيتان", "ثانيتين", "ثوان", "ثانية", feminine=True)
_REQUEST = Noun("طلب", "طلبان", "طلبين", "طلبات", "طلبا")
_PERIODS = {"s": "الثانية", "m": "الدقيقة", "h": "الساعة", "d": "اليوم"}


def _client(group: str, request) -> str:
    return client_ip(request) or "unknown"


@functools.lru_cache(maxsize=4)
def _networks(networks: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(n, strict=False) for n in networks if n)


def exempt(address: str | None) -> bool:
    """A client of RATELIMIT_EXEMPT_NETWORKS (this host's own scripts, by default) is never limited."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.RATELIMIT_EXEMPT_NETWORKS)))


def _rule(path: str) -> tuple[str, str] | None:
    """(group, rate) of the first rule whose path prefix `path` starts with."""
    for prefix, group, rate in settings.RATELIMIT_RULES:
        if path.startswith(prefix):
            return group, rate
    return None


def limit_message(rate: str, seconds: int) -> str:
    """«طلبات كثيرة: الحد 10 طلبات في الدقيقة لكل عنوان. أعد المحاولة بعد 42 ثانية.»"""
    count, _, period = rate.partition("/")
    wait = _SECOND.counted(max(seconds, 1))
    return (
        f"طلبات كثيرة من هذا العنوان: الحد {_REQUEST.counted(int(count))} في {_PERIODS.get(period[-1:], period)}."
        f" أعد المحاولة بعد {wait}."
    )


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rule = _rule(request.path) if settings.RATELIMIT_ENABLE else None
        if rule is not None and exempt(client_ip(request)):
            rule = None
        if rule is not None:
            group, rate = rule
            usage = get_usage(request, group=group, key=_client, rate=rate, method=["GET", "HEAD"], increment=True)
            if usage is not None and usage["should_limit"]:
                return self.refused(request, rate, int(usage["time_left"]))
        return self.get_response(request)

    def refused(self, request, rate: str, seconds: int):
        message = limit_message(rate, seconds)
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": message}, status=429, json_dumps_params={"ensure_ascii": False})
        else:
            response = render(request, "429.html", {"rate_limited": message}, status=429)
        response["Retry-After"] = str(max(seconds, 1))
        return response
