"""Every setting, declared once: name, type, default, scope and what it does.

Values are stored as JSON in the ``setting`` table. Scope ``wallet`` settings have one value;
scope ``profile`` settings have a wallet-wide value that a profile may override. Anything a user
types (CLI strings) or a program passes (Python values) goes through :meth:`Setting.parse`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from tokenwallet.core.periods import PeriodError, week_start_index, zone
from tokenwallet.wallet.errors import WalletError

Kind = Literal[
    "str",
    "int",
    "bool",
    "decimal",
    "optional_rate",
    "thresholds",
    "optional_str",
    "timezone",
    "weekday",
    "hosts",
    "origins",
    "energy_zone",
]


def system_timezone() -> str:
    """The machine's IANA zone name ($TZ, /etc/timezone, the /etc/localtime link), else UTC."""
    candidates: list[str] = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            zone(name)
        except PeriodError:
            continue
        return name
    return "UTC"


@dataclass(frozen=True)
class Setting:
    name: str
    kind: Kind
    default: Any | Callable[[], Any]
    scope: Literal["wallet", "profile"]
    doc: str
    choices: tuple[str, ...] = ()

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def parse(self, value: Any) -> Any:
        """A checked Python value from a Python value or a string the user typed."""
        bad = WalletError(f"setting {self.name}: cannot use {value!r} ({self.doc})")
        k = self.kind
        if k == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise bad
        if k == "int":
            if isinstance(value, bool):
                raise bad
            try:
                number = int(str(value).replace("_", "")) if not isinstance(value, int) else value
            except ValueError:
                raise bad from None
            if number < 0:
                raise bad
            return number
        if k == "decimal":
            try:
                d = Decimal(str(value))
            except InvalidOperation:
                raise bad from None
            if not d.is_finite() or d < 0:
                raise bad
            return d
        if k == "optional_rate":  # an exchange rate: above zero, or unset (None: the dated default)
            if value is None or str(value).strip().lower() in ("", "none", "default"):
                return None
            try:
                d = Decimal(str(value).strip())
            except InvalidOperation:
                raise bad from None
            if not d.is_finite() or d <= 0:
                raise bad
            return d
        if k == "thresholds":
            items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
            try:
                pcts = tuple(sorted({int(x) for x in items}))
            except (TypeError, ValueError):
                raise bad from None
            if any(not 1 <= p <= 100 for p in pcts):
                raise bad
            return pcts
        if k in ("hosts", "origins"):
            return _names(value, origins=k == "origins", bad=bad)
        if k == "optional_str":
            if value is None or str(value).strip().lower() in ("", "none", "off"):
                return None
            return str(value).strip()
        if k == "timezone":
            try:
                zone(str(value))
            except PeriodError:
                raise bad from None
            return str(value)
        if k == "energy_zone":
            return _energy_zone(value, bad)
        if k == "weekday":
            try:
                from tokenwallet.core.periods import WEEKDAYS

                return WEEKDAYS[week_start_index(value)]
            except PeriodError:
                raise bad from None
        text = str(value).strip()
        if self.choices and text not in self.choices:
            raise WalletError(f"setting {self.name}: {text!r} is not one of {', '.join(self.choices)}")
        return text

    def to_json(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, tuple):
            return list(value)
        return value

    def from_json(self, raw: Any) -> Any:
        return self.parse(raw) if raw is not None or self.kind == "optional_str" else self.default_value()


def _energy_zone(value: Any, bad: WalletError) -> str | None:
    """An electricity-mix zone ecologits knows (``FRA``, ``WOR``…), or None: from the time zone."""
    if value is None or str(value).strip().lower() in ("", "auto", "none"):
        return None
    from tokenwallet.core.energy_zone import known_zones

    text = str(value).strip().upper()
    if text not in known_zones():
        raise bad
    return text


def _names(value: Any, *, origins: bool, bad: WalletError) -> tuple[str, ...]:
    """Host names (``tools.lan``, ``box:8787``) or web origins (``https://app.example``), lower-cased.

    Typed as one string (comma or space separated) or given as a list; "none" or "" clears it.
    """
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        text = str(item).strip().lower().rstrip("/")
        if text in ("", "none", "off"):
            continue
        if origins:
            scheme, sep, host = text.partition("://")
            if not sep or not scheme or not host or "/" in host:
                raise bad
        elif "/" in text or "@" in text:
            raise bad
        out.append(text)
    return tuple(sorted(set(out)))


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "timezone", "timezone", system_timezone, "wallet", "IANA time zone for period resets and days"
        ),
        Setting("week_start", "weekday", "monday", "wallet", "first day of a week period (monday … sunday)"),
        Setting("currency", "str", "USD", "wallet", "display currency code"),
        Setting(
            "setup_checklist", "bool", True, "wallet", "the app's dashboard shows the first-run checklist"
        ),
        Setting("currency_rate", "decimal", Decimal(1), "wallet", "display currency units per USD"),
        Setting(
            "cny_per_usd",
            "optional_rate",
            None,
            "wallet",
            "your CNY per 1 USD rate for prices set in yuan (unset: the dated default, see `tokenwallet fx`)",
        ),
        Setting(
            "theme",
            "str",
            "system",
            "wallet",
            "the window's colours: system, light or dark",
            choices=("system", "light", "dark"),
        ),
        Setting(
            "default_thresholds", "thresholds", (50, 80, 95), "wallet", "warning thresholds in % (1-100)"
        ),
        Setting(
            "unknown_model_policy",
            "str",
            "block",
            "wallet",
            "what to do with a model that has no price: block or fallback",
            choices=("block", "fallback"),
        ),
        Setting("fallback_input_mtok", "decimal", Decimal(10), "wallet", "fallback input USD per 1M tokens"),
        Setting(
            "fallback_output_mtok", "decimal", Decimal(40), "wallet", "fallback output USD per 1M tokens"
        ),
        Setting("store_prompts", "bool", False, "profile", "keep prompt text in the history (opt-in)"),
        Setting(
            "session_idle_minutes",
            "int",
            30,
            "wallet",
            "a wallet key's calls after this many idle minutes start a new agent session",
        ),
        Setting(
            "allow_unmetered_endpoints",
            "bool",
            False,
            "profile",
            "let calls the meter cannot price (batches, fine-tuning, unknown endpoints) through, "
            "recorded at $0 and flagged; never for household members or under a blocking budget",
        ),
        Setting("price_updates", "bool", False, "wallet", "fetch newer prices in the background (opt-in)"),
        Setting("proxy_host", "str", "127.0.0.1", "wallet", "address the metering proxy listens on"),
        Setting("proxy_port", "int", 8787, "wallet", "port the metering proxy listens on"),
        Setting("paused", "bool", False, "wallet", "metering paused: the proxy refuses calls"),
        Setting(
            "passthrough_profile", "optional_str", None, "wallet", "profile charged for calls without a key"
        ),
        Setting(
            "desktop_notifications",
            "bool",
            True,
            "wallet",
            "show budget warnings, guard trips and refused calls as desktop notifications",
        ),
        Setting(
            "max_body_bytes", "int", 32 * 1024 * 1024, "wallet", "largest request body the proxy accepts"
        ),
        Setting(
            "allowed_hosts",
            "hosts",
            (),
            "wallet",
            "Host names the proxy answers to besides loopback ones (e.g. tools.lan, box:8787)",
        ),
        Setting(
            "allowed_origins",
            "origins",
            (),
            "wallet",
            "web pages (origins, e.g. https://app.example) allowed to call the proxy besides loopback ones",
        ),
        Setting(
            "max_local_body_bytes",
            "int",
            4 * 1024 * 1024,
            "wallet",
            "largest request body the /tokenwallet/ endpoints accept (preview included)",
        ),
        Setting(
            "header_timeout_s",
            "int",
            10,
            "wallet",
            "seconds a client has to send a request's headers (read at proxy start)",
        ),
        Setting(
            "reconcile_openai_url",
            "str",
            "https://api.openai.com",
            "wallet",
            "where 'reconcile' reads OpenAI's organization Usage and Costs APIs",
        ),
        Setting(
            "reconcile_anthropic_url",
            "str",
            "https://api.anthropic.com",
            "wallet",
            "where 'reconcile' reads Anthropic's Admin API usage and cost reports",
        ),
        Setting(
            "reconcile_openrouter_url",
            "str",
            "https://openrouter.ai",
            "wallet",
            "where 'reconcile' reads OpenRouter's /api/v1/key and /api/v1/credits",
        ),
        Setting(
            "reconcile_timeout_s", "int", 30, "wallet", "seconds 'reconcile' waits for a provider's answer"
        ),
        Setting(
            "import_watch",
            "bool",
            False,
            "wallet",
            "the app imports Claude Code, Codex and Gemini CLI logs continuously in the background "
            "(usage that bypassed the meter; see `tokenwallet import`)",
        ),
        Setting(
            "import_profile",
            "optional_str",
            None,
            "wallet",
            "profile that imported agent usage is recorded under (unset: the only profile)",
        ),
        Setting(
            "energy_zone",
            "energy_zone",
            None,
            "wallet",
            "electricity mix for energy and CO₂: ISO alpha-3 country (FRA, USA…) or WOR "
            "(world); auto: the country of the time zone",
        ),
        Setting(
            "gpu_watts",
            "int",
            300,
            "wallet",
            "watts your GPU draws while a local model (Ollama, LM Studio) answers, for its energy",
        ),
        Setting(
            "max_connections",
            "int",
            1000,
            "wallet",
            "open connections the proxy serves at once; more get 503 (read at proxy start)",
        ),
        Setting(
            "foreign_hold_timeout_s",
            "int",
            3600,
            "wallet",
            "seconds before a device settles, as an estimate, a hold another device left behind"
            " on a shared wallet (longer than any call runs)",
        ),
        Setting(
            "offline_float_usd",
            "decimal",
            Decimal(1),
            "wallet",
            "USD a device may meter per budget while the shared (PostgreSQL) wallet is unreachable",
        ),
        Setting(
            "offline_float_tokens",
            "int",
            50_000,
            "wallet",
            "tokens a device may meter per token budget while the shared wallet is unreachable",
        ),
    )
}


def setting(name: str) -> Setting:
    try:
        return SETTINGS[name]
    except KeyError:
        raise WalletError(f"unknown setting {name!r} (known: {', '.join(sorted(SETTINGS))})") from None
