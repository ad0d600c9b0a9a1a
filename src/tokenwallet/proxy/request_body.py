"""Reading a metered request's JSON body: refused with a 400, never a 500, whatever it holds.

Nesting is bounded at :data:`MAX_DEPTH`. Python's parser gives up near its recursion limit with a
RecursionError, and a body nested just below that would later break the token counter's own
``json.dumps`` deeper in the stack; real requests (messages, tool schemas) nest a few dozen levels
at most. The bound costs nothing for most bodies: a body with fewer brackets than the bound cannot
nest deeper than it, and only the others are walked once, level by level (~2 ms for a
1,500-message conversation, where counting its tokens takes far longer).

A key named twice in one object is refused too: Python keeps the last value, a provider's parser
may keep the first, and then the meter would price a different model or cap than the one billed.
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


class _DuplicateKey(ValueError):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


def _too_deep() -> ProxyError:
    return ProxyError(
        400,
        f"The request body nests JSON deeper than Token Wallet reads ({MAX_DEPTH} levels).",
        "invalid_json",
    )


def parse_request(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a ProxyError 400 naming what is wrong with it."""
    try:
        req = json.loads(body, object_pairs_hook=_unique)
    except RecursionError:
        raise _too_deep() from None
    except _DuplicateKey as exc:
        raise ProxyError(
            400,
            f"The request body names {str(exc.args[0])[:80]!r} twice in one object: the provider might "
            "read the other one, so Token Wallet cannot know what it would be billed.",
            "invalid_json",
        ) from None
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
