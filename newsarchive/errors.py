"""The server-error handler (urls.handler500): a request that failed because of the database is answered 503 in
Arabic, saying whether the database is down (it comes back: the embedded server is restarted on the next
connection) or the request ran past its time limit (DJANGO_WEB_STATEMENT_TIMEOUT_MS); anything else is the 500 page.

Nothing here touches the database: it is what just failed."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string

DOWN = "قاعدة بيانات الأرشيف لا تجيب الآن. أعد المحاولة بعد لحظات."
SLOW = "استغرق هذا الطلب وقتا أطول من المسموح فأوقفناه: جرّب بحثا أضيق."
RETRY_AFTER = "5"


def database_problem(exc: BaseException | None) -> str | None:
    """'slow' for a statement cancelled at its time limit, 'down' for a database that cannot be reached or went
    away mid-request, None for any other error."""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return None
    from psycopg import errors

    return "slow" if isinstance(exc.__cause__, errors.QueryCanceled) else "down"


def server_error(request):
    problem = database_problem(sys.exc_info()[1])
    if problem is None:
        return HttpResponseServerError(render_to_string("500.html"))
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": SLOW if problem == "slow" else DOWN}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        seconds = max(1, settings.WEB_STATEMENT_TIMEOUT_MS // 1000)
        response = HttpResponse(
            render_to_string("503.html", {"slow": problem == "slow", "seconds": seconds}), status=503
        )
    if problem == "down":
        response["Retry-After"] = RETRY_AFTER
    return response
