"""Request logs: one line per request with its id, method, path, status and duration; as JSON lines when
LOG_FORMAT=json; never the client's address, user agent, query string, or a receipt code."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from taizhang.ops.logs import JsonFormatter, PlainFormatter, RequestIdFilter, mask_path
from tests.conftest import Org

pytestmark = pytest.mark.django_db

CLIENT_ADDRESS = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (telltale-agent)"


class Capture(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.addFilter(RequestIdFilter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_lines() -> Iterator[Capture]:
    handler = Capture(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _requests(lines: list[str]) -> list[dict[str, object]]:
    entries = [json.loads(line) for line in lines]
    return [entry for entry in entries if entry["logger"] == "taizhang.request"]


def test_each_request_is_one_json_line_with_id_method_path_status_duration(json_lines: Capture) -> None:
    response = Client().get("/healthz?probe=1", REMOTE_ADDR=CLIENT_ADDRESS, HTTP_USER_AGENT=USER_AGENT)
    (entry,) = _requests(json_lines.lines)
    assert set(entry) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
    assert (entry["method"], entry["path"], entry["status"], entry["level"]) == (
        "GET",
        "/healthz",
        200,
        "INFO",
    )
    assert entry["request_id"] == response["X-Request-ID"] and len(str(entry["request_id"])) == 32
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert str(entry["time"]).endswith("+00:00")


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(json_lines: Capture) -> None:
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    replaced = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert kept["X-Request-ID"] == "nginx-0123456789abcdef"
    assert "<" not in replaced["X-Request-ID"] and len(replaced["X-Request-ID"]) == 32
    assert [e["request_id"] for e in _requests(json_lines.lines)] == [
        kept["X-Request-ID"],
        replaced["X-Request-ID"],
    ]


def test_an_anonymous_submission_leaves_no_trace_of_its_sender_in_the_logs(
    units: Org, json_lines: Capture, settings: object
) -> None:
    client = Client(REMOTE_ADDR=CLIENT_ADDRESS, HTTP_USER_AGENT=USER_AGENT)
    created = client.post(
        "/api/v1/opinions?from=phone-13800000000",
        data=json.dumps({"text": "澡堂热水不够", "anonymous": True}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    receipt = created.json()["receipt_code"]
    followed = client.get(f"/api/v1/opinions/{receipt}")
    assert followed.status_code == 200
    page = client.get(f"/r/{receipt}/")
    assert page.status_code in {200, 302}
    text = "\n".join(json_lines.lines)
    for secret in (CLIENT_ADDRESS, USER_AGENT, "13800000000", receipt, receipt.replace("-", "")):
        assert secret not in text
    paths = [e["path"] for e in _requests(json_lines.lines)]
    assert paths == ["/api/v1/opinions", "/api/v1/opinions/*", "/r/*/"]


def test_records_written_during_a_request_carry_its_id(json_lines: Capture) -> None:
    logger = logging.getLogger("taizhang.ops.health")

    def checked() -> bool:
        logger.warning("checked")
        return True

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("taizhang.ops.health.database_ok", checked)
        response = Client().get("/healthz")
    entries = [json.loads(line) for line in json_lines.lines]
    (warning,) = [e for e in entries if e["message"] == "checked"]
    assert warning["request_id"] == response["X-Request-ID"] and warning["level"] == "WARNING"


def test_the_plain_format_masks_receipt_codes_too() -> None:
    record = logging.makeLogRecord(
        {"msg": "GET %s 404", "args": ("/r/7KX4-9QPM/withdraw/",), "levelname": "INFO", "levelno": 20}
    )
    RequestIdFilter().filter(record)
    line = PlainFormatter("%(levelname)s [%(request_id)s] %(message)s").format(record)
    assert line == "INFO [-] GET /r/*/withdraw/ 404"
    assert mask_path("/open311/v2/requests/ABC123.json") == "/open311/v2/requests/*.json"
    assert mask_path("/problems/12/") == "/problems/12/"
