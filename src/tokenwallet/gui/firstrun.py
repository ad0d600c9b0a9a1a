"""First run: what the welcome's checklist reads from the wallet, the lines per tool, the test call.

Nothing here imports Qt: the welcome dialog (``gui/welcome.py``) and the dashboard's checklist
(``gui/views/checklist.py``) show what these functions work out.

The checklist is derived from the wallet and the keychain, never kept as flags of its own:

======================  ===========================================================================
step                    done when
======================  ===========================================================================
provider key            a key for a provider that needs one is in the keychain, or a call to a
                        local provider (Ollama, LM Studio) went through the meter
blocking budget         some envelope refuses calls when it runs out (action ``block``)
tool connected          the meter recorded a call that was not the welcome's test call
test call               the meter recorded the welcome's test call (its session starts ``first-run-``)
======================  ===========================================================================
"""

from __future__ import annotations

import secrets
import shlex
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.wallet.providers import LOCAL_PROVIDERS
from tokenwallet.wallet.types import HistoryFilter, LedgerRow

if TYPE_CHECKING:
    from tokenwallet.core.money import Amount
    from tokenwallet.secrets import KeyStore
    from tokenwallet.wallet import Wallet

TEST_SESSION_PREFIX = "first-run-"
RECENT_CALLS = 200  # the newest calls are enough to tell whether a tool and the test call came through
KEYED_PROVIDERS = ("openai", "anthropic", "gemini")  # the welcome offers these; Settings has the rest
LOCAL_CHOICES = {"ollama": "Ollama", "lmstudio": "LM Studio"}
TEST_MODELS = {
    "openai": "gpt-4o-mini",
    "anthropic": "claude-3-5-haiku-latest",
    "gemini": "gemini-2.0-flash",
    "ollama": "llama3.2",
    "lmstudio": "qwen2.5-7b-instruct",
}
STEPS = ("key", "budget", "tool", "test")
STEP_TITLES = {
    "key": QT_TR_NOOP("Provider key (or local models)"),
    "budget": QT_TR_NOOP("A budget that blocks"),
    "tool": QT_TR_NOOP("A tool connected (a call seen)"),
    "test": QT_TR_NOOP("A test call through the meter"),
}


@dataclass(frozen=True, slots=True)
class Checklist:
    key: bool
    budget: bool
    tool: bool
    test: bool

    @property
    def done(self) -> bool:
        return self.key and self.budget and self.tool and self.test

    def state(self, step: str) -> bool:
        return bool(getattr(self, step))

    def count(self) -> int:
        return sum(self.state(s) for s in STEPS)


def _metered(wallet: Wallet) -> list[LedgerRow]:
    rows = wallet.history(HistoryFilter(), limit=RECENT_CALLS)
    return [r for r in rows if r.source == "meter" and 200 <= r.status < 300]


def has_provider_key(wallet: Wallet, keystore: KeyStore) -> bool:
    """A key in the keychain for some provider that needs one (a missing keychain means no)."""
    from tokenwallet.secrets import KeyStoreError

    names = [c.name for c in wallet.providers() if not c.local]
    names.sort(key=lambda n: (n not in KEYED_PROVIDERS, n))  # the likely ones first: fewer round trips
    try:
        return any(keystore.get(name) is not None for name in names)
    except KeyStoreError:
        return False


def tool_call_seen(wallet: Wallet) -> bool:
    """Did the meter record a call that was not the welcome's test call?"""
    return any(not r.session.startswith(TEST_SESSION_PREFIX) for r in _metered(wallet))


def load_checklist(wallet: Wallet, keystore: KeyStore) -> Checklist:
    """The checklist as the wallet and keychain tell it (reads the keychain: call off the GUI thread)."""
    calls = _metered(wallet)
    tested = any(r.session.startswith(TEST_SESSION_PREFIX) for r in calls)
    tool = any(not r.session.startswith(TEST_SESSION_PREFIX) for r in calls)
    local = any(r.provider in LOCAL_PROVIDERS for r in calls)
    budget = any(env.action == "block" for env in wallet.envelopes())
    key = local or has_provider_key(wallet, keystore)
    return Checklist(key=key, budget=budget, tool=tool, test=tested)


def is_empty(wallet: Wallet) -> bool:
    """A wallet nobody set up yet: no profile and no call. The welcome opens on such a wallet."""
    return not wallet.profiles() and not wallet.history(HistoryFilter(), limit=1)


def profile_budget(
    wallet: Wallet, name: str, *, amount: Amount, period: str, action: str, key: str | None
) -> str:
    """Make profile ``name`` (or take the existing one) with a budget; returns a key of its to show:
    ``key`` when one was shown already this session, else a new one."""
    from tokenwallet.wallet.types import Scope

    if name not in {p.name for p in wallet.profiles()}:
        _, key = wallet.add_profile(name)
    elif not key:
        key = wallet.new_key(name, label="welcome")
    wallet.set_budget(Scope("profile", name), amount, period=period, action=action)
    return key


def cli_command() -> str:
    """How to type ``tokenwallet`` here: the name when it is on PATH, else this installation's program."""
    if shutil.which("tokenwallet"):
        return "tokenwallet"
    beside = Path(sys.executable).parent / "tokenwallet"
    return str(beside) if beside.exists() else "tokenwallet"


# ---- connect: the lines for each tool --------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Tool:
    title: str
    run: str | None  # what follows ``tokenwallet run --profile P --``; None: no wrapper for it
    reads: tuple[str, ...]  # which wire format it speaks: "openai", "anthropic", "gemini"
    note: str


TOOLS: tuple[Tool, ...] = (
    Tool("Claude Code", "claude", ("anthropic",), QT_TR_NOOP("Claude Code speaks Anthropic's API.")),
    Tool(
        "Codex CLI",
        "codex",
        ("openai",),
        QT_TR_NOOP(
            "Codex reads its base URL from its config.toml, not from the environment: use the run line."
        ),
    ),
    Tool("aider", "aider", ("openai", "anthropic"), QT_TR_NOOP("aider reaches OpenAI and Anthropic models.")),
    Tool(
        QT_TR_NOOP("llm (Simon Willison's)"),
        'llm "Hello"',
        ("openai",),
        QT_TR_NOOP("llm uses the OpenAI SDK."),
    ),
    Tool(
        QT_TR_NOOP("Python / Node SDK or another tool"),
        "python my_agent.py",
        ("openai", "anthropic", "gemini"),
        QT_TR_NOOP("Any program using the official SDKs reads these variables."),
    ),
)

_VARIABLES = {
    "openai": (("OPENAI_BASE_URL", "{url}/{route}/v1"), ("OPENAI_API_KEY", "{key}")),
    "anthropic": (("ANTHROPIC_BASE_URL", "{url}/anthropic"), ("ANTHROPIC_AUTH_TOKEN", "{key}")),
    "gemini": (("GOOGLE_GEMINI_BASE_URL", "{url}/gemini"), ("GEMINI_API_KEY", "{key}")),
}


def env_lines(tool: Tool, *, url: str, key: str, provider: str) -> str:
    """``export`` lines pointing ``tool`` at the meter. Local models are OpenAI-compatible, reached
    under the meter's ``/ollama/v1`` or ``/lmstudio/v1``."""
    local = provider in LOCAL_PROVIDERS
    formats = ("openai",) if local else tool.reads
    route = provider if local else "openai"
    lines = []
    for fmt in formats:
        for name, template in _VARIABLES[fmt]:
            value = template.format(url=url.rstrip("/"), key=key, route=route)
            lines.append(f'export {name}="{value}"')
    return "\n".join(lines)


def run_line(tool: Tool, *, command: str, profile: str, provider: str) -> str | None:
    """The one ``tokenwallet run`` line for ``tool``, or None where the wrapper does not fit (no
    wrapper for the tool, or local models: ``run`` points tools at the cloud providers' routes)."""
    if tool.run is None or provider in LOCAL_PROVIDERS:
        return None
    return f"{command} run --profile {shlex.quote(profile)} -- {tool.run}"


# ---- the test call ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CallResult:
    ok: bool
    message: str  # one line: why it failed, or how long it took
    row: LedgerRow | None = None


def new_test_session() -> str:
    return f"{TEST_SESSION_PREFIX}{secrets.token_hex(4)}"


def _request(
    url: str, key: str, provider: str, kind: str, model: str
) -> tuple[str, dict[str, str], dict[str, Any]]:
    prompt = "Say OK."
    if kind == "anthropic":
        return (
            f"{url}/{provider}/v1/messages",
            {"x-api-key": key, "anthropic-version": "2023-06-01"},
            {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": prompt}]},
        )
    if kind == "gemini":
        return (
            f"{url}/{provider}/v1beta/models/{model}:generateContent",
            {"x-goog-api-key": key},
            {"contents": [{"parts": [{"text": prompt}]}], "generationConfig": {"maxOutputTokens": 1}},
        )
    return (
        f"{url}/{provider}/v1/chat/completions",
        {"Authorization": f"Bearer {key}"},
        {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": prompt}]},
    )


def send_test_call(
    wallet: Wallet,
    *,
    url: str,
    key: str,
    provider: str,
    kind: str,
    model: str,
    session: str,
    wait_s: float = 10.0,
) -> CallResult:
    """The smallest call to ``provider`` through the meter at ``url``, and the ledger row it left.

    Runs on a worker: it waits for the network and then for the meter to record the call (a
    response may reach us just before its row is written).
    """
    import httpx

    address, headers, body = _request(url.rstrip("/"), key, provider, kind, model)
    headers["X-Tokenwallet-Session"] = session
    started = time.perf_counter()
    try:
        resp = httpx.post(address, json=body, headers=headers, timeout=60.0)
    except httpx.HTTPError as exc:
        return CallResult(
            False,
            tr("the meter at {url} did not answer ({error})").format(url=url, error=type(exc).__name__),
        )
    ms = (time.perf_counter() - started) * 1000
    if resp.status_code != 200:
        return CallResult(False, f"{resp.status_code}: {_error_text(resp)}")
    deadline = time.monotonic() + wait_s
    while True:
        rows = wallet.history(HistoryFilter(session=session), limit=1)
        if rows or time.monotonic() > deadline:
            break
        time.sleep(0.05)  # waiting for the meter's write to land, with a deadline; not a timing assumption
    if not rows:
        return CallResult(False, tr("the provider answered but the meter recorded no call: see History"))
    return CallResult(True, f"{provider}/{model} answered through the meter in {ms:.0f} ms", rows[0])


def _error_text(resp: object) -> str:
    import httpx

    assert isinstance(resp, httpx.Response)
    try:
        data = resp.json()
    except ValueError:
        return resp.text[:300]
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error)[:300]
    return str(error or data)[:300]
