"""Errors in the caller's own wire format.

A tool talking to the proxy thinks it talks to OpenAI, Anthropic or Gemini, so every refusal the
proxy makes itself is shaped like that provider's errors: the SDKs then raise their usual
exception (``openai.APIStatusError``, ``anthropic.APIStatusError`` …) with our message in it.
"""

from __future__ import annotations

import json

# HTTP status → (OpenAI/Anthropic error type, Gemini status)
_TYPES: dict[int, tuple[str, str, str]] = {
    400: ("invalid_request_error", "invalid_request_error", "INVALID_ARGUMENT"),
    401: ("authentication_error", "authentication_error", "UNAUTHENTICATED"),
    402: ("insufficient_quota", "billing_error", "RESOURCE_EXHAUSTED"),
    403: ("permission_error", "permission_error", "PERMISSION_DENIED"),
    404: ("not_found_error", "not_found_error", "NOT_FOUND"),
    413: ("invalid_request_error", "request_too_large", "INVALID_ARGUMENT"),
    426: ("invalid_request_error", "invalid_request_error", "FAILED_PRECONDITION"),
    429: ("rate_limit_error", "rate_limit_error", "RESOURCE_EXHAUSTED"),
    500: ("server_error", "api_error", "INTERNAL"),
    502: ("upstream_error", "api_error", "UNAVAILABLE"),
    503: ("service_unavailable", "overloaded_error", "UNAVAILABLE"),
    504: ("timeout", "timeout_error", "DEADLINE_EXCEEDED"),
}


class ProxyError(Exception):
    """A refusal or failure the proxy answers itself, with an HTTP status and a stable code."""

    def __init__(
        self, status: int, message: str, code: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


def error_body(api: str, status: int, message: str, code: str) -> bytes:
    """The JSON body of an error for a caller speaking ``api`` ("openai", "anthropic", "gemini")."""
    openai_type, anthropic_type, gemini_status = _TYPES.get(status, ("error", "api_error", "UNKNOWN"))
    if api == "anthropic":
        body: dict[str, object] = {"type": "error", "error": {"type": anthropic_type, "message": message}}
    elif api == "gemini":
        body = {"error": {"code": status, "message": message, "status": gemini_status}}
    else:
        body = {"error": {"message": message, "type": openai_type, "param": None, "code": code}}
    return json.dumps(body, ensure_ascii=False).encode()
