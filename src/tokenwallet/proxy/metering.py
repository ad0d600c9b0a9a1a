"""The wallet side of a call: who is calling, what it may cost, the hold, and the settlement.

Everything here runs inline on the proxy's event loop: the wallet's reserve/settle are short
SQLite transactions (well under a millisecond), token counting is tiktoken on the prompt, and the
price book caches its lookups. Settings and provider configs are cached for a second, so a change
made in the GUI or the CLI (another process sharing the wallet file) applies within a second
without a read per request.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tokenwallet.core.money import format_tokens, format_usd, nano_to_usd, usd_to_nano
from tokenwallet.core.usage import Usage
from tokenwallet.proxy.errors import ProxyError
from tokenwallet.proxy.model_policy import ModelPolicy
from tokenwallet.proxy.offline import unreachable
from tokenwallet.proxy.routes import TABLES
from tokenwallet.wallet.errors import NotFound, WalletError
from tokenwallet.wallet.offline_journal import Float
from tokenwallet.wallet.types import EnvelopeStatus, KeyBinding, ProviderConfig, StaleHold

if TYPE_CHECKING:
    from tokenwallet.core.events import EventBus
    from tokenwallet.pricing.book import PriceBook
    from tokenwallet.pricing.model_price import ModelPrice
    from tokenwallet.proxy.offline import Offline
    from tokenwallet.wallet import Wallet

#: Ledger names of the endpoints metered by ``media.py`` (images, speech, transcription, video).
MEDIA_ENDPOINTS = frozenset(
    row.endpoint
    for rows in TABLES.values()
    for row in rows
    if row.meter in ("images", "speech", "transcription", "video")
)
SETTINGS_TTL = 1.0  # seconds a cached setting / provider config / price book stays fresh
CHANGE_TTL = 0.05  # at most this often when another connection committed (PRAGMA data_version)
DEFAULT_MAX_BODY = 32 * 1024 * 1024
DEFAULT_MAX_LOCAL_BODY = 4 * 1024 * 1024

_HOW_TO_GET_KEY = (
    "Token Wallet needs a wallet key (tw-…) here, not a provider's own API key. Create one with "
    "`tokenwallet profile add NAME` (or `tokenwallet profile new-key NAME`) and use it as your tool's "
    "API key; the provider key stays in the keychain (`tokenwallet key set PROVIDER`)."
)


def _setting(wallet: Wallet, name: str, default: Any, profile: str | None = None) -> Any:
    try:
        value = wallet.get_setting(name, profile=profile) if profile else wallet.get_setting(name)
    except (WalletError, LookupError, ValueError):  # a setting this wallet does not declare
        return default
    return default if value is None else value


@dataclass(frozen=True, slots=True)
class Settings:
    """The wallet settings the proxy reads on every call (cached)."""

    paused: bool
    passthrough_profile: str | None
    max_body_bytes: int
    store_prompts: bool
    allowed_hosts: frozenset[str] = frozenset()
    allowed_origins: frozenset[str] = frozenset()
    max_local_body_bytes: int = DEFAULT_MAX_LOCAL_BODY


def remaining_header(status: EnvelopeStatus | None) -> str:
    """``X-Tokenwallet-Remaining``: ``4.25 USD; envelope=profile:alice (month)`` or ``unlimited``."""
    if status is None:
        return "unlimited"
    env = status.envelope
    if env.unit == "usd":
        amount = f"{nano_to_usd(status.available).normalize():f} USD"
    else:
        amount = f"{status.available} tokens"
    return f"{amount}; envelope={env.label}"


def describe_available(status: EnvelopeStatus) -> str:
    if status.envelope.unit == "usd":
        return format_usd(max(status.available, 0), places=4)
    return format_tokens(max(status.available, 0)) + " tokens"


class Meter:
    """Authentication, pricing and the wallet calls for one proxy (used on its loop only)."""

    def __init__(self, wallet: Wallet, *, loopback: bool, bus: EventBus | None = None) -> None:
        from tokenwallet.core.events import EventBus as Bus
        from tokenwallet.proxy.guarding import Guarding
        from tokenwallet.proxy.sessions import SessionTracker

        self.wallet = wallet
        self.loopback = loopback
        self.guarding = Guarding(wallet, bus or Bus())
        self.sessions = SessionTracker(wallet)
        self._stamp = -1.0
        self._checked = -1.0
        self._version = -1
        self._settings = Settings(False, None, DEFAULT_MAX_BODY, False)
        self._providers: dict[str, ProviderConfig | None] = {}
        self._projects: dict[str, tuple[int, str]] = {}
        self._store_prompts: dict[str, bool] = {}
        self._allow_unmetered: dict[str, bool] = {}
        self.suggestion_cache: dict[tuple[str, str, int, int, bool], list[Any]] = {}
        self._book_signature: object = None
        self._book: PriceBook | None = None
        self._prices: dict[tuple[str, str], tuple[ModelPrice, str]] = {}
        self.models = ModelPolicy(wallet)  # which models each profile may call (model_policy.py)
        # A shared (PostgreSQL) wallet's offline journal, set by the proxy server (offline.py).
        self.offline: Offline | None = None
        self.models.frozen = self.sessions.frozen = self.wallet_down

    def wallet_down(self) -> bool:
        """Is the shared wallet known to be out of reach (metering into the offline journal)?"""
        return self.offline is not None and self.offline.down

    # -- caches ----------------------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Re-read settings, providers and prices when the cache is older than SETTINGS_TTL.

        With an offline journal, a database out of reach keeps what was read last (offline.py).
        """
        off = self.offline
        if off is None:
            return self._refresh(force=force)
        if off.down:
            return None
        try:
            self._refresh(force=force)
        except (WalletError, sqlite3.Error) as exc:
            if not unreachable(exc):
                raise
            off.went_down(exc)
        return None

    def _refresh(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._stamp < SETTINGS_TTL:
            # Another process (the CLI, the app, another meter) committed since: re-read now, so a
            # guard, a rule or a pause it wrote applies to the next call — at most every 50 ms, so a
            # second meter writing its ledger does not make every call re-read everything.
            if now - self._checked < CHANGE_TTL:
                return
            self._checked = now
            version = self.wallet.data_version()
            if version == self._version:
                return
            self._version = version
        else:
            self._version = self.wallet.data_version()
        self._stamp = now
        if force:  # an edit made in the app: model rules apply from the next call too
            self.models.refresh(force=True)
        w = self.wallet
        passthrough = _setting(w, "passthrough_profile", None)
        self._settings = Settings(
            paused=bool(_setting(w, "paused", False)),
            passthrough_profile=str(passthrough) if passthrough else None,
            max_body_bytes=int(_setting(w, "max_body_bytes", DEFAULT_MAX_BODY)),
            store_prompts=bool(_setting(w, "store_prompts", False)),
            allowed_hosts=frozenset(_setting(w, "allowed_hosts", ())),
            allowed_origins=frozenset(_setting(w, "allowed_origins", ())),
            max_local_body_bytes=int(_setting(w, "max_local_body_bytes", DEFAULT_MAX_LOCAL_BODY)),
        )
        providers = w.providers()
        self._providers = {p.name: p for p in providers}
        self.guarding.refresh()
        self.sessions.idle_s = 60.0 * int(_setting(w, "session_idle_minutes", 30))
        self._projects.clear()
        self._store_prompts.clear()
        self._allow_unmetered.clear()
        signature = (
            tuple(w.price_overrides()),
            _setting(w, "unknown_model_policy", "block"),
            _setting(w, "fallback_input_mtok", None),
            _setting(w, "fallback_output_mtok", None),
            frozenset(p.name for p in providers if p.local),
            _setting(w, "cny_per_usd", None),  # a new rate prices the next calls, not earlier ones
        )
        if signature != self._book_signature:  # rebuilt lazily, only when prices can have changed
            self._book_signature = signature
            self._book = None
            self._prices.clear()
            self.suggestion_cache.clear()
        if self.offline is not None:
            self.offline.float = Float(
                usd_to_nano(_setting(w, "offline_float_usd", Decimal(1))),
                int(_setting(w, "offline_float_tokens", 50_000)),
            )

    @property
    def settings(self) -> Settings:
        self.refresh()
        return self._settings

    def store_prompts(self, profile: str) -> bool:
        """Whether this profile keeps prompt text in the history (opt-in, per profile)."""
        self.refresh()
        hit = self._store_prompts.get(profile)
        if hit is None:
            hit = bool(_setting(self.wallet, "store_prompts", self._settings.store_prompts, profile))
            self._store_prompts[profile] = hit
        return hit

    def allow_unmetered(self, profile: str) -> bool:
        """Whether this profile opted in to calls the meter cannot price (``unmetered.py``)."""
        self.refresh()
        hit = self._allow_unmetered.get(profile)
        if hit is None:
            hit = bool(_setting(self.wallet, "allow_unmetered_endpoints", False, profile))
            self._allow_unmetered[profile] = hit
        return hit

    def provider(self, name: str) -> ProviderConfig | None:
        self.refresh()
        return self._providers.get(name)

    @property
    def book(self) -> PriceBook:
        self.refresh()
        if self._book is None:
            from tokenwallet.pricing import pricebook_for

            self._book = pricebook_for(self.wallet)
        return self._book

    def price(self, provider: str, model: str) -> tuple[ModelPrice, str]:
        """The price in force now and its JSON (the JSON goes into every ledger row).

        The book is asked every time (a dict hit, ~1–2 µs): it follows time-dependent rates
        (DeepSeek's off-peak hours, announced price changes) and opt-in price updates. Only the
        JSON is cached, for as long as the book hands back the same price object.
        """
        from tokenwallet.pricing.model_price import UnknownModelError

        try:
            price = self.book.lookup(provider, model)
        except UnknownModelError as exc:
            raise ProxyError(400, str(exc), "unknown_model") from None
        hit = self._prices.get((provider, model))
        if hit is None or hit[0] is not price:
            hit = (price, price.to_json())
            self._prices[(provider, model)] = hit
        return hit

    # -- who is calling --------------------------------------------------------------------------

    def authenticate(self, wire: str, key: str | None, project: str | None) -> tuple[KeyBinding, bool]:
        """(binding, passthrough) for the key a client sent; ProxyError 401/403 otherwise.

        ``passthrough`` is True when the client sent a provider's own key and the user switched on
        pass-through metering: that key is then forwarded upstream as is.
        """
        settings = self.settings
        if settings.paused:
            raise ProxyError(
                503,
                "Token Wallet metering is paused: calls are refused until it is resumed "
                "(`tokenwallet settings set paused false`, or Settings in the app).",
                "metering_paused",
            )
        binding: KeyBinding | None = None
        passthrough = False
        if key and key.startswith("tw-"):
            binding = self._resolve_key(key)
            if binding is None:
                raise ProxyError(
                    401, "This wallet key is unknown or was revoked. " + _HOW_TO_GET_KEY, "invalid_wallet_key"
                )
        elif settings.passthrough_profile:
            binding = self._passthrough_binding(settings.passthrough_profile)
            passthrough = True
        elif key:
            raise ProxyError(
                401, "A provider API key was sent to Token Wallet. " + _HOW_TO_GET_KEY, "provider_key_sent"
            )
        else:
            raise ProxyError(401, "No API key was sent. " + _HOW_TO_GET_KEY, "missing_key")
        if binding.paused:
            raise ProxyError(
                403,
                f"Profile {binding.profile!r} is paused: its calls are refused until it is "
                f"resumed (`tokenwallet profile resume {binding.profile}`).",
                "profile_paused",
            )
        if project and binding.project is None:
            binding = self._with_project(binding, project)
        return binding, passthrough

    def _resolve_key(self, key: str) -> KeyBinding | None:
        off = self.offline
        if off is None:
            return self.wallet.resolve_key(key)
        if off.down:
            return off.known_key(key)
        try:
            binding = self.wallet.resolve_key(key)
        except (WalletError, sqlite3.Error) as exc:
            if not unreachable(exc):
                raise
            off.went_down(exc)
            return off.known_key(key)
        off.remember_key(key, binding)
        return binding

    def _passthrough_binding(self, profile: str) -> KeyBinding:
        try:
            p = self.wallet.profile(profile)
        except NotFound:
            raise ProxyError(
                401,
                f"Pass-through metering names profile {profile!r}, which does not exist. " + _HOW_TO_GET_KEY,
                "passthrough_profile_missing",
            ) from None
        return KeyBinding(
            key_id=0, profile_id=p.id, profile=p.name, project_id=None, project=None, paused=p.paused
        )

    def _with_project(self, binding: KeyBinding, name: str) -> KeyBinding:
        hit = self._projects.get(name)
        if hit is None:
            try:
                project = self.wallet.project(name)
            except (NotFound, WalletError):
                raise ProxyError(
                    400,
                    f"Unknown project {name!r} in X-Tokenwallet-Project "
                    f"(create it with `tokenwallet project add {name}`).",
                    "unknown_project",
                ) from None
            hit = (project.id, project.name)
            self._projects[name] = hit
        return replace(binding, project_id=hit[0], project=hit[1])

    # -- crash recovery --------------------------------------------------------------------------

    def price_stale_hold(self, hold: StaleHold) -> tuple[int, str, str]:
        """Cost of a hold left by a dead process: input + checkpointed output, at today's price.

        An image, audio or video call is charged its whole hold: what the provider made of it is unknown.
        """
        if hold.endpoint in MEDIA_ENDPOINTS:
            return hold.held_cost_nano, '{"media_hold": true}', "media hold (recovered)"
        try:
            price, price_json = self.price(hold.provider, hold.model)
        except ProxyError:
            return hold.held_cost_nano, "{}", "unknown"
        usage = Usage(input_tokens=hold.input_tokens, output_tokens=hold.output_tokens)
        return self.book.cost(price, usage), price_json, price.source
