"""Open311 GeoReport v2 bodies: XML (text/xml, no namespace) and JSON by the Spark convention.

A repeated XML child becomes a JSON array and its container disappears; list roots (services, service
requests, errors) are bare JSON arrays, discovery and service_definition are objects.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # we only write XML here, never parse it
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'

#: container element → the element each item becomes (the Spark convention's arrays).
CHILDREN = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all (control characters other than tab, newline, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

type Data = Mapping[str, Any] | Sequence[Mapping[str, Any]]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for name, item in value.items():
            _fill(ET.SubElement(element, name), item)
    elif isinstance(value, list | tuple):
        child = CHILDREN[element.tag]
        for item in value:
            _fill(ET.SubElement(element, child), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Data) -> str:
    element = ET.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def to_json(data: Data) -> str:
    return json.dumps(data, ensure_ascii=False)


def format_of(request: HttpRequest) -> str:
    """The format the path asks for; XML (the mandatory one) when it names none we know."""
    return "json" if request.path.endswith(".json") else "xml"


def respond(request: HttpRequest, fmt: str, root: str, data: Data, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(to_json(data), status=status, content_type=JSON_TYPE)
    return HttpResponse(to_xml(root, data), status=status, content_type=XML_TYPE)


def error_response(request: HttpRequest, status: int, errors: Sequence[tuple[int, str]]) -> HttpResponse:
    """`<errors><error><code/><description/></error></errors>` or `[{"code":…, "description":…}]`."""
    body = [{"code": code, "description": description} for code, description in errors]
    return respond(request, format_of(request), "errors", body, status=status)
