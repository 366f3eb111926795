"""Who is calling: a personal API token (Authorization: Bearer tz_…) or the session of the app's own pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from taizhang.api.models import ApiToken
from taizhang.api.services import token_lookup
from taizhang.org.models import Person

_RESOLVED = "_taizhang_api_token"


def bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def request_token(request: HttpRequest) -> ApiToken | None:
    """The request's valid personal token, looked up once per request (the rate limiter asks first)."""
    if not hasattr(request, _RESOLVED):
        raw = bearer(request)
        setattr(request, _RESOLVED, token_lookup(raw, ApiToken.Kind.PERSONAL) if raw else None)
    token: ApiToken | None = getattr(request, _RESOLVED)
    return token


class TokenAuth(HttpBearer):
    """A personal API token. A token that is given but wrong is refused outright, never ignored."""

    def authenticate(self, request: HttpRequest, token: str) -> Person:
        found = request_token(request)
        if found is None:
            raise AuthenticationError(401, "invalid token")
        return found.person


class SessionAuth(APIKeyCookie):
    """The signed-in session, for the app's own pages; unsafe methods need the CSRF token as on any form."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        if bearer(request) is not None or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return request.COOKIES.get(self.param_name, "")

    def authenticate(self, request: HttpRequest, key: str | None) -> Person | None:
        if key is None:
            return None
        user = request.user
        return user if isinstance(user, Person) and user.is_authenticated else None


def anonymous(request: HttpRequest) -> Any:
    """Last in the list of endpoints open to everyone: no credentials is fine (a wrong token is not)."""
    return AnonymousUser() if bearer(request) is None else None


REQUIRED = [TokenAuth(), SessionAuth()]
OPTIONAL = [TokenAuth(), SessionAuth(), anonymous]


def caller(request: HttpRequest) -> Person | AnonymousUser:
    user = getattr(request, "auth", None)
    return user if isinstance(user, Person) else AnonymousUser()
