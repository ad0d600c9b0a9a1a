"""What each wallet setting does, marked for the CLI's catalog (``settings list`` shows it
translated). The core keeps these texts in ``tokenwallet.wallet.settings``; a test checks that
each one here is still the core's word for word, so a changed text cannot lose its translation
silently.
"""

from __future__ import annotations

from tokenwallet.commands.i18n import N_

DOCS = {
    "timezone": N_("IANA time zone for period resets and days"),
    "week_start": N_("first day of a week period (monday … sunday)"),
    "currency": N_("display currency code"),
    "setup_checklist": N_("the app's dashboard shows the first-run checklist"),
    "currency_rate": N_("display currency units per USD"),
    "cny_per_usd": N_(
        "your CNY per 1 USD rate for prices set in yuan (unset: the dated default, see `tokenwallet fx`)"
    ),
    "theme": N_("the window's colours: system, light or dark"),
    "default_thresholds": N_("warning thresholds in % (1-100)"),
    "unknown_model_policy": N_("what to do with a model that has no price: block or fallback"),
    "fallback_input_mtok": N_("fallback input USD per 1M tokens"),
    "fallback_output_mtok": N_("fallback output USD per 1M tokens"),
    "store_prompts": N_("keep prompt text in the history (opt-in)"),
    "session_idle_minutes": N_("a wallet key's calls after this many idle minutes start a new agent session"),
    "allow_unmetered_endpoints": N_(
        "let calls the meter cannot price (batches, fine-tuning, unknown "
        "endpoints) through, recorded at $0 and flagged; never for household "
        "members or under a blocking budget"
    ),
    "price_updates": N_("fetch newer prices in the background (opt-in)"),
    "proxy_host": N_("address the metering proxy listens on"),
    "proxy_port": N_("port the metering proxy listens on"),
    "paused": N_("metering paused: the proxy refuses calls"),
    "passthrough_profile": N_("profile charged for calls without a key"),
    "desktop_notifications": N_(
        "show budget warnings, guard trips and refused calls as desktop notifications"
    ),
    "max_body_bytes": N_("largest request body the proxy accepts"),
    "allowed_hosts": N_("Host names the proxy answers to besides loopback ones (e.g. tools.lan, box:8787)"),
    "allowed_origins": N_(
        "web pages (origins, e.g. https://app.example) allowed to call the proxy besides loopback ones"
    ),
    "max_local_body_bytes": N_("largest request body the /tokenwallet/ endpoints accept (preview included)"),
    "header_timeout_s": N_("seconds a client has to send a request's headers (read at proxy start)"),
    "reconcile_openai_url": N_("where 'reconcile' reads OpenAI's organization Usage and Costs APIs"),
    "reconcile_anthropic_url": N_("where 'reconcile' reads Anthropic's Admin API usage and cost reports"),
    "reconcile_openrouter_url": N_("where 'reconcile' reads OpenRouter's /api/v1/key and /api/v1/credits"),
    "reconcile_timeout_s": N_("seconds 'reconcile' waits for a provider's answer"),
    "import_watch": N_(
        "the app imports Claude Code, Codex and Gemini CLI logs continuously "
        "in the background (usage that bypassed the meter; see `tokenwallet "
        "import`)"
    ),
    "import_profile": N_("profile that imported agent usage is recorded under (unset: the only profile)"),
    "energy_zone": N_(
        "electricity mix for energy and CO₂: ISO alpha-3 country (FRA, USA…) "
        "or WOR (world); auto: the country of the time zone"
    ),
    "gpu_watts": N_("watts your GPU draws while a local model (Ollama, LM Studio) answers, for its energy"),
    "max_connections": N_("open connections the proxy serves at once; more get 503 (read at proxy start)"),
    "foreign_hold_timeout_s": N_(
        "seconds before a device settles, as an estimate, a hold another device left behind"
        " on a shared wallet (longer than any call runs)"
    ),
    "offline_float_usd": N_(
        "USD a device may meter per budget while the shared (PostgreSQL) wallet is unreachable"
    ),
    "offline_float_tokens": N_(
        "tokens a device may meter per token budget while the shared wallet is unreachable"
    ),
}
