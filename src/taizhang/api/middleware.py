"""For /api/v1/ and /open311/v2/: the language from Accept-Language only, and the rate limits.

Machines send Accept-Language; a language cookie left by the web pages must not change an API's answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from taizhang.api import ratelimit
from taizhang.api.auth import request_token
from taizhang.api.models import ApiToken
from taizhang.api.services import token_lookup

API_PREFIX = "/api/v1/"
OPEN311_PREFIX = "/open311/v2/"


def accepted_language(request: HttpRequest) -> str:
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def client_address(request: HttpRequest) -> str:
    header = settings.TAIZHANG_CLIENT_IP_HEADER or "REMOTE_ADDR"
    return str(request.META.get(header, "")).split(",")[0].strip()


def _bucket(request: HttpRequest, open311: bool) -> tuple[str, int]:
    """Signed-in callers are counted per token or person; everyone else per (hashed) address."""
    authenticated: int = settings.TAIZHANG_RATE_AUTHENTICATED
    if open311:
        raw = request.POST.get("api_key", "") if request.method == "POST" else ""
        key = token_lookup(raw, ApiToken.Kind.OPEN311) if raw else None
        if key is not None:
            return ratelimit.caller_bucket("key", key.pk), authenticated
    else:
        token = request_token(request)
        if token is not None:
            return ratelimit.caller_bucket("token", token.pk), authenticated
        if request.user.is_authenticated:
            return ratelimit.caller_bucket("person", request.user.pk), authenticated
    return ratelimit.anonymous_bucket(client_address(request)), settings.TAIZHANG_RATE_ANONYMOUS


def _refusal(request: HttpRequest, open311: bool, retry_after: int) -> HttpResponse:
    message = _("Too many requests; try again in %(s)d seconds.") % {"s": retry_after}
    if open311:
        from taizhang.api.open311.render import error_response  # noqa: PLC0415  # open311 imports this module

        response = error_response(request, 429, [(429, message)])
    else:
        body = {"error": {"code": "rate_limited", "message": message, "fields": {}}}
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False), status=429, content_type="application/json; charset=utf-8"
        )
    response["Retry-After"] = str(retry_after)
    return response


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith(API_PREFIX)
        open311 = request.path.startswith(OPEN311_PREFIX)
        if not (api or open311):
            return self.get_response(request)
        language = accepted_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        bucket, limit = _bucket(request, open311)
        verdict = ratelimit.hit(bucket, limit)
        if not verdict.allowed:
            return _refusal(request, open311, verdict.retry_after)
        response = self.get_response(request)
        if verdict.limit:
            response["X-RateLimit-Limit"] = str(verdict.limit)
            response["X-RateLimit-Remaining"] = str(verdict.remaining)
        return response
