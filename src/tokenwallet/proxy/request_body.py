"""Reading a metered request's JSON body: refused with a 400, never a 500, whatever it holds.

Nesting is bounded at :data:`MAX_DEPTH`. Python's parser gives up near its recursion limit with a
RecursionError, and a body nested just below that would later break the token counter's own
``json.dumps`` deeper in the stack; real requests (messages, tool schemas) nest a few dozen levels
at most. The bound costs nothing for most bodies: a body with fewer brackets than the bound cannot
nest deeper than it, and only the others are walked once, level by level (~2 ms for a
1,500-message conversation, where counting its tokens takes far longer).
"""

from __future__ import annotations

import json
from typing import Any

from tokenwallet.proxy.errors import ProxyError

MAX_DEPTH = 128


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` levels (walked level by level, no recursion)."""
    level = [value]
    for _ in range(limit):
        level = [
            child
            for item in level
            for child in (item.values() if type(item) is dict else item)
            if type(child) is dict or type(child) is list
        ]
        if not level:
            return False
    return True


def _too_deep() -> ProxyError:
    return ProxyError(
        400,
        f"The request body nests JSON deeper than Token Wallet reads ({MAX_DEPTH} levels).",
        "invalid_json",
    )


def parse_request(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a ProxyError 400 naming what is wrong with it."""
    try:
        req = json.loads(body)
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:  # also a number with more digits than Python converts
        raise ProxyError(
            400,
            f"The request body is not valid JSON ({exc.args[0] if exc.args else exc}).",
            "invalid_json",
        ) from None
    if not isinstance(req, dict):
        raise ProxyError(400, "The request body must be a JSON object.", "invalid_json")
    if body.count(b"[") + body.count(b"{") > MAX_DEPTH and _deeper_than(req, MAX_DEPTH):
        raise _too_deep()
    return req
