"""JSON handlers that validate size and shape before any learner state changes."""

from __future__ import annotations

import functools
import json
import logging

from webob import Response

log = logging.getLogger(__name__)

# A step of a simulation or a whole quiz submission is well under 8 KB.
MAX_REQUEST_BYTES = 16 * 1024


class HandlerError(Exception):
    """Raised by a handler body to answer with a JSON error; nothing is saved."""

    def __init__(self, message: str, status: int = 400, code: str = "invalid_request"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


def json_response(payload: dict, status: int = 200) -> Response:
    return Response(
        body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )


def error_response(message: str, status: int, code: str) -> Response:
    return json_response({"error": {"code": code, "message": message}}, status=status)


def validated_json_handler(max_bytes: int = MAX_REQUEST_BYTES, methods: tuple[str, ...] = ("POST",)):
    """Wrap a handler body ``func(self, data: dict, suffix)`` that returns a dict.

    Put ``@XBlock.handler`` above it so the runtime routes requests to it.

    The wrapper rejects other HTTP methods (405), bodies over ``max_bytes``
    (413), invalid UTF-8 or JSON and non-object payloads (400). A
    ``HandlerError`` raised by the body becomes a JSON error with its status.
    Messages go through the block's ``_`` so the learner reads them in their
    language. Every error response is JSON.
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            translate = getattr(self, "_", lambda message: message)
            if request.method not in methods:
                return error_response(translate("This action needs a POST request."), 405, "method_not_allowed")

            body = request.body or b""
            if len(body) > max_bytes:
                message = translate("The request is too large ({size} bytes; the limit is {limit} bytes).")
                return error_response(message.format(size=len(body), limit=max_bytes), 413, "too_large")
            try:
                data = json.loads(body.decode("utf-8")) if body else {}
            except (UnicodeDecodeError, ValueError):
                return error_response(translate("The request is not valid JSON."), 400, "invalid_json")
            if not isinstance(data, dict):
                return error_response(translate("The request must be a JSON object."), 400, "invalid_json")

            try:
                payload = func(self, data, suffix)
            except HandlerError as error:
                return error_response(error.message, error.status, error.code)
            return json_response(payload)

        return wrapper

    return decorator
