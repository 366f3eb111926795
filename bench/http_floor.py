"""The floor for bench/http_bench.py: the least a Django view can do for a submission.

One view, no middleware, no apps: parse a small JSON body, insert one row into `bench_floor` (made by
http_bench.py) with one statement, answer 201 with the new id. Served by gunicorn exactly as `taizhang serve`
serves the app (same workers, same database, same persistent connections), so the gap between the two is what
the app adds.

    DATABASE_URL=postgres://… gunicorn --chdir bench http_floor:application
"""

from __future__ import annotations

import json
import os

import dj_database_url
import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"error": "POST only"}, status=405)
    try:
        body = json.loads(request.body)
        text = str(body["text"]).strip()
        anonymous = bool(body.get("anonymous", False))
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "a JSON object with text"}, status=400)
    if not text or len(text) > 4000:
        return JsonResponse({"error": "text: 1 to 4000 characters"}, status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_floor (text, anonymous, created_at) VALUES (%s, %s, now()) RETURNING id",
            [text, anonymous],
        )
        row = cursor.fetchone()
    return JsonResponse({"id": row[0] if row else None}, status=201)


urlpatterns = [path("submit", submit)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="http-floor-bench-only",  # noqa: S106  # a benchmark's throwaway process
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        USE_TZ=True,
        DATABASES={
            "default": dj_database_url.parse(
                os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
            )
        },
    )
    django.setup()

application = WSGIHandler()
