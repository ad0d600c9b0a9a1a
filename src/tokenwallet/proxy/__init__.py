"""The metering proxy: every call through it is counted, priced, and held to budget.

:class:`ProxyServer` runs it in a thread of its own (the desktop app hosts one);
:func:`serve_forever` runs it headless for ``tokenwallet serve``.
"""

from __future__ import annotations

from tokenwallet.proxy.server import ProxyServer, is_loopback, serve_forever

__all__ = ["ProxyServer", "is_loopback", "serve_forever"]
