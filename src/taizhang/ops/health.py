"""`/healthz`: is this process up, and can it reach its database? For load balancers and systemd watchdogs.

No sign-in and nothing about the data: a status, the database's state and the version. One cheap query
(`SELECT 1`), so a balancer polling every second costs the database nothing worth counting.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@cache
def app_version() -> str:
    try:
        return package_version("taizhang")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
            return row is not None and row[0] == 1
    except DatabaseError as error:
        # A broken persistent connection is dropped when the request finishes (Django's own
        # close_if_unusable_or_obsolete), so the next check connects afresh.
        logger.warning("health check: database unavailable (%s)", type(error).__name__)
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    ok = database_ok()
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unavailable"}
    body["version"] = app_version()
    return JsonResponse(body, status=200 if ok else 503)
