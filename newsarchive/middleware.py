"""Security middleware and hooks the settings refer to.

* ContentSecurityPolicyMiddleware: every response carries a Content-Security-Policy that forbids inline script
  (and inline style), so even if an article's text ever slipped through escaping, a browser would not run it.
* client_ip / login_locked_out: django-axes hooks for the admin login's brute-force protection.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import ipaddress
import re

from django.conf import settings
from django.http import HttpResponse

_STYLE_BLOCK = re.compile(rb"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
_HEADER = "Content-Security-Policy"


def _server_error_style_hashes() -> list[str]:
    """templates/500.html is self-contained on purpose (it must render when static files fail), so its inline
    <style> is allowed by hash, on 500 responses only. The template has no variables: the hash is of fixed text."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import render_to_string

    try:
        page = render_to_string("500.html").encode()
    except TemplateDoesNotExist:
        return []
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block).digest()).decode() + "'"
        for block in _STYLE_BLOCK.findall(page)
    ]


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY (the policy is written there only) to responses that have none; an
    empty policy sends none.

    DEBUG's technical error pages (yellow 500 page, URL list 404) are built with inline CSS and JS and are never
    shown in production: in DEBUG they are left without a policy so they stay readable.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self._error_policy: str | None = None

    def __call__(self, request):
        response = self.get_response(request)
        if _HEADER in response or not self.policy:
            return response
        if settings.DEBUG and response.status_code >= 400:
            return response
        if response.status_code in (500, 503):  # the self-contained error pages (templates/500.html, 503.html)
            response[_HEADER] = self.error_policy()
        else:
            response[_HEADER] = self.policy
        return response

    def error_policy(self) -> str:
        if self._error_policy is None:
            hashes = _server_error_style_hashes()
            self._error_policy = (
                self.policy.replace("style-src 'self'", "style-src 'self' " + " ".join(hashes))
                if hashes
                else self.policy
            )
        return self._error_policy


def client_ip(request) -> str | None:
    """The client's address for login throttling. Behind TRUSTED_PROXIES proxies, each appended to X-Forwarded-For
    the address it was connected from, and REMOTE_ADDR is the nearest one: the client is the entry the outermost
    proxy appended, TRUSTED_PROXIES from the right. Entries further left are the client's own words, and a
    connection from outside the proxies' networks reached the app directly: its header is not believed at all."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies < 1 or not _from_proxy(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    return hops[-proxies][:45] if len(hops) >= proxies else remote


@functools.lru_cache(maxsize=1)
def _proxy_networks(networks: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(n, strict=False) for n in networks)


def _from_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in net for net in _proxy_networks(tuple(getattr(settings, "TRUSTED_PROXY_NETWORKS", ()))))


def login_locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """The answer to a login attempt while locked out (django-axes AXES_LOCKOUT_CALLABLE): 429, a page in Arabic
    saying how long to wait (the journalists' login and the admin's alike). The lockout is per user name and
    address, so an attacker cannot lock an editor out of the newsroom's machines."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
