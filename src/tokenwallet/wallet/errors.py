"""Wallet errors: every message is one line a CLI can print as-is."""

from __future__ import annotations


class WalletError(Exception):
    """Something about the wallet file or a wallet operation went wrong (one-line message)."""


class NotFound(WalletError):
    """A named profile, project, envelope, key or hold does not exist."""


class Refused(WalletError):
    """An operation was refused because an envelope cannot cover it (e.g. a transfer)."""
