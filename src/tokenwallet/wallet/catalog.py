"""Providers (presets + the user's settings) and the user's price overrides."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from tokenwallet.core.events import WalletChanged
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import immediate
from tokenwallet.wallet.errors import NotFound, WalletError
from tokenwallet.wallet.providers import KINDS, LOCAL_PROVIDERS, PRESETS
from tokenwallet.wallet.types import PriceOverrideEntry, ProviderConfig


def _decimal(name: str, value: Decimal | str | int | None, *, optional: bool = False) -> str | None:
    if value is None:
        if optional:
            return None
        raise WalletError(f"{name} is required")
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise WalletError(f"{name}: not a number: {value!r}") from None
    if not d.is_finite() or d < 0:
        raise WalletError(f"{name}: must be a non-negative number, got {value!r}")
    return str(d)


class CatalogMixin(WalletBase):
    # -- providers ------------------------------------------------------------------------------
    def set_provider(
        self, name: str, *, kind: str | None = None, base_url: str | None = None, local: bool | None = None
    ) -> ProviderConfig:
        """Point a known provider elsewhere, or add an OpenAI-compatible one of your own."""
        name = name.strip().lower()
        if not name or not all(c.isalnum() or c in "-_" for c in name):
            raise WalletError(f"bad provider name {name!r} (letters, digits, - and _)")
        base = self.provider_config(name)
        if kind is not None and kind not in KINDS:
            raise WalletError(f"unknown provider kind {kind!r} (one of {', '.join(KINDS)})")
        if base_url is not None and not base_url.startswith(("http://", "https://")):
            raise WalletError(f"base URL must start with http:// or https://: {base_url!r}")
        if base is None and base_url is None:
            raise WalletError(f"provider {name!r} is new: give its --base-url")
        cfg = ProviderConfig(
            name,
            kind or (base.kind if base else "openai-compatible"),
            (base_url or (base.base_url if base else "")).rstrip("/"),
            local if local is not None else (base.local if base else name in LOCAL_PROVIDERS),
        )
        conn = self._conn()
        with immediate(conn):
            conn.execute(
                "INSERT OR REPLACE INTO provider (name, kind, base_url, local) VALUES (?, ?, ?, ?)",
                (cfg.name, cfg.kind, cfg.base_url, int(cfg.local)),
            )
        self._publish([WalletChanged("providers")])
        return cfg

    def reset_provider(self, name: str) -> None:
        """Forget the user's settings for ``name`` (a preset goes back to its defaults)."""
        conn = self._conn()
        with immediate(conn):
            cur = conn.execute("DELETE FROM provider WHERE name=?", (name,))
        if cur.rowcount == 0 and name not in PRESETS:
            raise NotFound(f"no provider named {name!r}")
        self._publish([WalletChanged("providers")])

    def provider_config(self, name: str) -> ProviderConfig | None:
        row = (
            self._conn()
            .execute("SELECT name, kind, base_url, local FROM provider WHERE name=?", (name,))
            .fetchone()
        )
        if row is not None:
            return ProviderConfig(row[0], row[1], row[2], bool(row[3]))
        return PRESETS.get(name)

    def providers(self) -> list[ProviderConfig]:
        """Presets merged with the user's own settings, sorted by name."""
        merged = dict(PRESETS)
        for r in self._conn().execute("SELECT name, kind, base_url, local FROM provider"):
            merged[r[0]] = ProviderConfig(r[0], r[1], r[2], bool(r[3]))
        return [merged[k] for k in sorted(merged)]

    # -- price overrides ------------------------------------------------------------------------
    def set_price_override(
        self,
        provider: str,
        model: str,
        *,
        input_mtok: Decimal | str | int,
        output_mtok: Decimal | str | int,
        cache_read_mtok: Decimal | str | int | None = None,
        cache_write_mtok: Decimal | str | int | None = None,
    ) -> PriceOverrideEntry:
        """The user's own price for a model, USD per million tokens (replaces an earlier one)."""
        values = (
            _decimal("input price", input_mtok),
            _decimal("output price", output_mtok),
            _decimal("cache read price", cache_read_mtok, optional=True),
            _decimal("cache write price", cache_write_mtok, optional=True),
        )
        if not provider or not model:
            raise WalletError("a price override needs a provider and a model")
        conn = self._conn()
        with immediate(conn):
            conn.execute(
                "INSERT OR REPLACE INTO price_override (provider, model, input_mtok, output_mtok,"
                " cache_read_mtok, cache_write_mtok, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (provider, model, *values, self._now_us()),
            )
        self._publish([WalletChanged("prices")])
        return _override((provider, model, *values))

    def price_overrides(self) -> list[PriceOverrideEntry]:
        rows = self._conn().execute(
            "SELECT provider, model, input_mtok, output_mtok, cache_read_mtok, cache_write_mtok"
            " FROM price_override ORDER BY provider, model"
        )
        return [_override(r) for r in rows]

    def remove_price_override(self, provider: str, model: str) -> None:
        conn = self._conn()
        with immediate(conn):
            cur = conn.execute("DELETE FROM price_override WHERE provider=? AND model=?", (provider, model))
        if cur.rowcount == 0:
            raise NotFound(f"no price override for {provider}/{model}")
        self._publish([WalletChanged("prices")])


def _override(r: tuple[Any, ...]) -> PriceOverrideEntry:
    return PriceOverrideEntry(
        r[0],
        r[1],
        Decimal(r[2]),
        Decimal(r[3]),
        None if r[4] is None else Decimal(r[4]),
        None if r[5] is None else Decimal(r[5]),
    )
