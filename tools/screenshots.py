"""Render every screen of the desktop app to PNG, with a realistic demo wallet.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/screenshots.py --out /tmp/shots
    ... --all                      every page at 1024x768, 1280x800 and 1920x1080, light and dark
    ... --docs --out docs/img      what the docs keep: every page light at 1280x800 and a few more
    ... --lang zh_CN               the window in Chinese (needs a CJK font: fonts-wqy-microhei)

The demo wallet is built through the Wallet API (profiles, projects, budgets, a top-up, a month
of calls recorded with a replayed clock); the window hosts the real proxy in front of the fake
upstream from tests/fakes only while a few live calls (streams in flight, one refused) run for the
live meter; then the providers get their real addresses back, so no picture shows a test set-up.
The meter listens on 8787 (or the next free port). Prints each file it wrote.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fake upstream (fakes.upstream) lives with the tests

from tokenwallet.core.money import Amount, parse_amount  # noqa: E402 - after the sys.path line above
from tokenwallet.core.usage import Usage  # noqa: E402
from tokenwallet.paths import ENV_HOME, wallet_file  # noqa: E402

PROFILES = [("alice", "member"), ("bob", "member"), ("sam", "member"), ("ci-agent", "agent"),
            ("research-bot", "agent")]  # fmt: skip
PROJECTS = [("acme-site", "ACME Corp"), ("blog-rewrite", "Northwind Traders")]
# (provider, model, weight, input range, output range) per profile
HABITS: dict[str, list[tuple[str, str, int, tuple[int, int], tuple[int, int]]]] = {
    "alice": [
        ("openai", "gpt-4o", 3, (800, 6000), (200, 900)),
        ("openai", "gpt-4o-mini", 5, (300, 3000), (100, 600)),
        ("anthropic", "claude-sonnet-4-5", 2, (1500, 9000), (300, 1200)),
    ],
    "bob": [
        ("openai", "gpt-4o-mini", 6, (200, 2000), (50, 500)),
        ("gemini", "gemini-2.5-flash", 3, (500, 5000), (100, 800)),
    ],
    "ci-agent": [
        ("openai", "gpt-4.1-mini", 6, (2000, 12000), (100, 700)),
        ("anthropic", "claude-haiku-4-5", 3, (1000, 8000), (100, 600)),
    ],
    "research-bot": [
        ("deepseek", "deepseek-chat", 5, (3000, 20000), (400, 2000)),
        ("openai", "o3-mini", 1, (1000, 6000), (500, 3000)),
    ],
}
PREVIEW_PROMPT = """You are a careful technical editor. Rewrite the release notes below so that a \
non-technical customer understands what changed, what they need to do, and what stays the same. \
Keep it under 200 words, use plain language, and end with one sentence on where to get help.

Release 4.2 (sync engine)
- Fixed a race in the sync engine that could duplicate invoices when two devices edited the same \
draft within a second.
- Offline edits are now merged field by field instead of last-writer-wins; conflicting fields are \
flagged in the activity feed.
- The export to CSV includes the tax breakdown per line and the currency of each amount.
- Attachments larger than 25 MB upload in the background and resume after a lost connection.
- Deprecated: the v1 webhook payload. It keeps working until March; v2 adds the customer id.
- Performance: opening a workspace with 10,000 invoices is about three times faster.

Known issues
- Search does not find invoices by their PDF text yet.
- On older Android tablets the signature pad may lag.
"""
# the same task for the Chinese screenshots (--lang zh_CN): a Chinese user's prompt is Chinese
PREVIEW_PROMPT_ZH = """你是一位细心的技术编辑。请把下面的版本说明改写成非技术背景的客户也能看懂的文字：\
改了什么、他们需要做什么、哪些保持不变。不超过 300 字，语言平实，最后用一句话说明去哪里获得帮助。

4.2 版（同步引擎）
- 修复了同步引擎中的竞态问题：两台设备在一秒内编辑同一份草稿时，可能生成重复的发票。
- 离线编辑现在按字段合并，不再是“最后写入者覆盖”；有冲突的字段会在动态中标出。
- 导出 CSV 时包含每一行的税额明细以及每个金额的币种。
- 大于 25 MB 的附件在后台上传，断网后可续传。
- 弃用：v1 webhook 数据格式。三月前仍可使用；v2 增加了客户 ID。
- 性能：打开含 10,000 张发票的工作区，速度约为原来的三倍。

已知问题
- 搜索暂时无法按 PDF 中的文字查找发票。
- 在较旧的安卓平板上，签名板可能会有延迟。
"""
CALLS_PER_DAY = {"alice": 14, "bob": 9, "ci-agent": 22, "research-bot": 6}


def add_billing_demo(w: Any, data_dir: Path) -> None:
    """Billing terms for the two demo clients and a household of three with a month of calls."""
    from tokenwallet.billing import clients as cl
    from tokenwallet.billing import household as hh
    from tokenwallet.pricing import pricebook_for
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import CallRecord

    cl.set_issuer(
        w, name="Alice Example", address="12 Harbour Lane\nBristol BS1 4XX", email="alice@example.com"
    )
    cl.add_client(w, "acme-site", markup=15, tax=20, currency="EUR", rate="0.92", budget=parse_amount("$25"),
                  legal_name="ACME Ltd")  # fmt: skip
    cl.add_client(w, "blog-rewrite", markup=10, tax=0, currency="USD", rate=1, budget=parse_amount("$40"),
                  period="engagement", legal_name="Blog & Co")  # fmt: skip
    pin = "2468"
    hh.init_household(w, "alice", pin)
    rng = random.Random(7)
    now = datetime.now(UTC)
    # the children's calls are written with a replayed clock (as the meter would have, day by day),
    # on the small models their household default allows
    clock = [now]
    replay = Wallet.open(wallet_file(data_dir), clock=lambda: clock[0])
    book = pricebook_for(replay)
    try:
        for name, allowance, period, calls in (("mia", "$5", "week", 30), ("leo", "1M tokens", "month", 50)):
            _, key = hh.add_member(w, name, parse_amount(allowance), period=period, hard=True, pin=pin)
            binding = replay.resolve_key(key)
            days = 6 if period == "week" else 20
            for i, at in enumerate(sorted(now - timedelta(days=rng.random() * days) for _ in range(calls))):
                model = rng.choice(["gpt-4o-mini", "gpt-4o-mini", "gpt-4.1-mini"])
                usage = Usage(input_tokens=rng.randrange(300, 2500), output_tokens=rng.randrange(100, 900))
                price = book.lookup("openai", model)
                clock[0] = at
                replay.record(
                    CallRecord(f"demo-{name}-{i}", binding, "openai", model, "chat/completions", 200, True,
                               usage, book.cost(price, usage), price.to_json(), price.source, False, False,
                               rng.randrange(600, 4000), started_at=at - timedelta(seconds=2))
                )  # fmt: skip
    finally:
        replay.close()


def add_subscription_demo(data_dir: Path, now: datetime, seed: int = 11) -> None:
    """Sam on Claude Max 5x (weekly reset Thursdays 20:00 UTC) and a month of Claude Code use
    imported from its logs: Sonnet with a warm prompt cache, a few hours a day, busy right now; and
    on ChatGPT Plus, with some Codex use. Rows are written at their request time (a replayed clock),
    as the importer dates them."""
    from tokenwallet.billing.plans import Plan
    from tokenwallet.core.windows import US_PER_HOUR
    from tokenwallet.pricing import pricebook_for
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.db import to_us
    from tokenwallet.wallet.types import CallRecord

    rng = random.Random(seed)
    clock = [now]
    w = Wallet.open(wallet_file(data_dir), clock=lambda: clock[0])
    thursday = (now - timedelta(days=(now.weekday() - 3) % 7)).replace(
        hour=20, minute=0, second=0, microsecond=0
    )
    w.set_plan(
        Plan(profile="sam", tool="claude-code", kind="claude-max-5x", price_nano=100 * 10**9,
             window_us=5 * US_PER_HOUR, window_start="hour", weekly=True, week_anchor_us=to_us(thursday),
             window_limit=None, week_limit=parse_amount("$400"))
    )  # fmt: skip
    w.set_plan(
        Plan(profile="sam", tool="codex", kind="chatgpt-plus", price_nano=20 * 10**9,
             window_us=5 * US_PER_HOUR, window_start="first", weekly=True, week_anchor_us=None,
             window_limit=None, week_limit=None)
    )  # fmt: skip
    book = pricebook_for(w)
    price = book.lookup("anthropic", "claude-sonnet-4-5")
    codex = book.lookup("openai", "gpt-5-codex")
    binding = w.binding_for("sam")
    times = [now - timedelta(minutes=m) for m in range(3, 120, 9)]  # the running session
    for day in range(1, 29):
        start = now - timedelta(days=day) + timedelta(hours=rng.randrange(-3, 3))
        times += [start + timedelta(minutes=rng.randrange(0, 300)) for _ in range(rng.randrange(10, 26))]
    try:
        for at in sorted(times):
            usage = Usage(
                input_tokens=rng.randrange(5, 80),
                cache_read_tokens=rng.randrange(30_000, 120_000),
                cache_write_tokens=rng.randrange(500, 6000),
                output_tokens=rng.randrange(200, 2000),
            )
            clock[0] = at
            w.record(
                CallRecord(uuid.uuid4().hex, binding, "anthropic", "claude-sonnet-4-5", "messages", 200, True,
                           usage, book.cost(price, usage), price.to_json(), price.source, False, False, 0,
                           source="imported:claude-code", started_at=at)
            )  # fmt: skip
            if rng.random() < 0.25:  # Codex on the side, on the ChatGPT plan
                usage = Usage(
                    input_tokens=rng.randrange(2000, 9000),
                    cache_read_tokens=rng.randrange(10_000, 40_000),
                    output_tokens=rng.randrange(300, 3000),
                    reasoning_tokens=200,
                )
                w.record(
                    CallRecord(uuid.uuid4().hex, binding, "openai", "gpt-5-codex", "responses", 200, True,
                               usage, book.cost(codex, usage), codex.to_json(), codex.source, False, False, 0,
                               source="imported:codex", started_at=at)
                )  # fmt: skip
    finally:
        w.close()


def build_demo(data_dir: Path, *, seed: int = 4, now: datetime | None = None) -> dict[str, str]:
    """A wallet with four profiles, two client projects, budgets, a top-up and 30 days of calls.

    Returns each profile's wallet key.
    """
    from tokenwallet.pricing import pricebook_for
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import CallRecord, Scope

    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    clock = [now - timedelta(days=31)]  # budgets exist from before the replayed month
    w = Wallet.open(wallet_file(data_dir), clock=lambda: clock[0])
    try:
        w.set_setting("setup_checklist", False)  # a wallet in use for a month: past the first-run list
        keys: dict[str, str] = {}
        for name, role in PROFILES:
            _, keys[name] = w.add_profile(name, role=role)
        for name, client in PROJECTS:
            w.add_project(name, client=client, contact=f"billing@{name.split('-')[0]}.example")
        w.set_budget(Scope("wallet"), parse_amount("$150"), period="month", action="warn")
        w.set_budget(Scope("profile", "alice"), parse_amount("$40"), period="month", action="downgrade")
        w.set_budget(Scope("profile", "sam"), parse_amount("$60"), period="month", action="warn")
        w.set_budget(Scope("profile", "bob"), parse_amount("3M tokens"), period="month", action="block")
        w.set_budget(Scope("profile", "ci-agent"), parse_amount("$9"), period="week", action="block")
        w.set_budget(Scope("profile", "research-bot"), parse_amount("$15"), period="none", action="block")
        w.set_budget(
            Scope("project", "acme-site"), parse_amount("$25"), period="month", action="warn", rollover=True
        )
        w.topup(
            Scope("profile", "research-bot"),
            Amount("usd", 10 * 10**9),
            expires_at=now + timedelta(days=45),
            note="prepaid for the literature review",
        )
        book = pricebook_for(w)
        bindings = {name: w.resolve_key(key) for name, key in keys.items()}
        project_keys = {
            "acme-site": w.resolve_key(w.new_key("alice", project="acme-site", label="acme")),
            "blog-rewrite": w.resolve_key(w.new_key("bob", project="blog-rewrite", label="blog")),
        }
        start = now - timedelta(days=30)
        events: list[tuple[datetime, str]] = []
        for day in range(30):
            for name, per_day in CALLS_PER_DAY.items():
                busy = 1.0 + 0.6 * (day / 30) + (0.5 if (start + timedelta(days=day)).weekday() < 5 else -0.4)
                for _ in range(max(0, int(rng.gauss(per_day * busy, per_day * 0.25)))):
                    events.append(
                        (start + timedelta(days=day, seconds=rng.randrange(8 * 3600, 23 * 3600)), name)
                    )
        events.sort()
        for at, name in events:
            if at >= now:
                continue
            provider, model, _, (i0, i1), (o0, o1) = rng.choices(HABITS[name], [h[2] for h in HABITS[name]])[
                0
            ]
            binding = bindings[name]
            if name == "alice" and rng.random() < 0.35:
                binding = project_keys["acme-site"]
            elif name == "bob" and rng.random() < 0.3:
                binding = project_keys["blog-rewrite"]
            assert binding is not None
            usage = Usage(
                input_tokens=rng.randrange(i0, i1),
                output_tokens=rng.randrange(o0, o1),
                cache_read_tokens=rng.choice([0, 0, 0, 1024, 2048]),
            )
            price = book.lookup(provider, model)
            clock[0] = at
            try:
                w.record(
                    CallRecord(
                        call_id=uuid.uuid4().hex,
                        binding=binding,
                        provider=provider,
                        model=model,
                        endpoint="chat/completions",
                        status=200,
                        stream=rng.random() < 0.6,
                        usage=usage,
                        cost_nano=book.cost(price, usage),
                        price_json=price.to_json(),
                        price_source=price.source,
                        estimated=False,
                        unpriced=price.unpriced,
                        duration_ms=rng.randrange(400, 9000),
                        started_at=at - timedelta(seconds=2),
                    )
                )
            except Exception as exc:  # a blocking budget in the replay: real calls would be refused too
                print(f"skipped one call: {exc}", file=sys.stderr)
        return keys
    finally:
        w.close()


def reconcile_demo(admin: Any, session: Any, keystore: Any) -> None:
    """The fake OpenAI admin API reports what the demo wallet metered this month, except a day on
    which one gpt-4o call bypassed the meter ($12.34 more) and gpt-4o-mini priced a little higher."""
    from decimal import Decimal

    from fakes.admin_apis import OPENAI_KEY
    from tokenwallet.reconcile.dates import month_range
    from tokenwallet.reconcile.ledger import wallet_lines

    today = datetime.now(UTC).date()
    start, end = month_range(None, today)
    lines = [x for x in wallet_lines(session.wallet_path, "openai", start, end) if x.day < today]
    planted = next((x for x in lines if x.model == "gpt-4o"), None)
    for x in lines:
        cost = Decimal(x.metered_nano + x.imported_nano) / 10**9
        out = x.usage.output_tokens
        if x is planted:
            cost += Decimal("12.34")
            out += 1_234_000  # $12.34 of gpt-4o output at $10 per 1M tokens
        elif x.model == "gpt-4o-mini":
            cost = cost * Decimal("1.02")
        admin.openai_day(
            x.day, x.model, cost=str(cost.quantize(Decimal("0.000001"))), input_tokens=x.usage.input_tokens,
            cached=x.usage.cache_read_tokens, output_tokens=out, requests=x.calls + (x is planted),
        )  # fmt: skip
    session.wallet.set_setting("reconcile_openai_url", admin.url)
    keystore.set("openai-admin", OPENAI_KEY)


DEMO_PORTS = range(8787, 8800)  # the meter's usual port: a random one would show in every picture
SIZES = {"small": (1024, 768), "docs": (1280, 800), "large": (1920, 1080)}
# what docs/img/ keeps besides every page light at 1280x800: a few dark and small-screen ones
DOCS_EXTRA = {
    ("dark", "docs"): ("dashboard-wallet", "live-meter", "household", "settings"),
    ("light", "small"): ("dashboard-wallet", "cost-preview", "household", "profiles"),
}


def free_port() -> int:
    import socket

    for port in DEMO_PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return 0


def demo_keystore(keys: dict[str, str]) -> Any:
    """The demo's provider keys, in memory (this script must not touch the user's keychain), named
    as a Linux desktop's keychain would be, so the pictures show what a user sees."""
    from tokenwallet.secrets import MemoryKeyStore

    class DemoKeyStore(MemoryKeyStore):
        def backend_name(self) -> str:
            return "SecretService Keyring"

    return DemoKeyStore(keys)


def save_png(widget: Any, path: Path) -> None:
    """The window as a PNG at the strongest compression Qt offers (quality 0 = zlib level 9)."""
    widget.grab().toImage().save(str(path), "PNG", 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    parser.add_argument(
        "--sizes", default="docs", help=f"comma-separated: {', '.join(SIZES)} or WxH (default: docs)"
    )
    parser.add_argument("--themes", default="light", help="comma-separated: light, dark (default: light)")
    parser.add_argument("--all", action="store_true", help="every size and both themes")
    parser.add_argument(
        "--docs", action="store_true", help="what docs/img/ keeps: every page light at 1280x800, a few more"
    )
    parser.add_argument(
        "--lang", default="en", choices=("en", "zh_CN"), help="the window's language (default: en)"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.all or args.docs:
        args.sizes, args.themes = ("docs,small,large" if args.all else "docs,small"), "light,dark"
    sizes = [SIZES.get(x) or tuple(int(v) for v in x.split("x")) for x in args.sizes.split(",")]
    themes = args.themes.split(",")

    import openai
    from PySide6.QtCore import QDate, QPoint
    from PySide6.QtWidgets import QScrollArea

    from fakes.admin_apis import FakeAdminAPIs
    from fakes.upstream import FakeUpstream
    from tokenwallet.gui import i18n, theme
    from tokenwallet.gui.app import build, ensure_app
    from tokenwallet.gui.workers import pending_tasks
    from tokenwallet.wallet import Wallet
    from tokenwallet.wallet.types import Scope

    home = Path(tempfile.mkdtemp(prefix="tw-demo-"))
    # the demo wallet is "the" wallet of this process: Connect shows plain commands, no --data-dir
    os.environ[ENV_HOME] = str(home)
    keys = build_demo(home)
    app = ensure_app([])
    i18n.install(args.lang)
    written: list[Path] = []
    providers = ("openai", "deepseek", "anthropic", "gemini")
    with FakeUpstream() as upstream:
        # the live calls go to a local stand-in for the providers; the real addresses come back after
        w = Wallet.open(wallet_file(home))
        for provider in ("openai", "deepseek"):
            w.set_provider(provider, base_url=upstream.openai_base_url)
        w.set_provider("anthropic", base_url=upstream.url)
        w.set_provider("gemini", base_url=upstream.url)
        w.close()
        keystore = demo_keystore(
            {"openai": "sk-demo", "anthropic": "sk-ant-demo", "gemini": "AIza-demo", "deepseek": "sk-ds-demo"}
        )
        session, window = build(home, keystore=keystore, use_tray=False, port=free_port())
        window.resize(*sizes[0])
        window.show()

        def settle(ms: int = 400) -> None:
            end = time.monotonic() + 10
            while pending_tasks() and time.monotonic() < end:
                app.processEvents()
                time.sleep(0.01)
            stop = time.monotonic() + ms / 1000
            while time.monotonic() < stop:
                app.processEvents()
                time.sleep(0.01)

        def shot(name: str, widget: Any = None) -> None:
            settle()
            path = args.out / f"{name}.png"
            save_png(widget or window, path)
            written.append(path)
            print(path)

        while session.mode in ("idle", "starting"):
            settle(50)

        # a new profile's key, shown once (before the household exists: then every money edit
        # asks the owner PIN, a modal dialog this script could not answer)
        manage: Any = window.show_page("wallet")
        manage.tabs.setCurrentWidget(manage.profiles)
        manage.profiles.name.setText("new-intern")
        manage.profiles.create_profile()
        settle()
        if manage.profiles.key_dialog is not None:
            shot("key-shown-once", manage.profiles.key_dialog)
            manage.profiles.key_dialog.close()

        # live meter: finished calls, streams in flight, one refused by a blocking budget
        window.show_page("meter")
        base = session.proxy_url

        def call(profile: str, model: str, stream: bool, prompt: str) -> None:
            client = openai.OpenAI(base_url=base + "/openai/v1", api_key=keys[profile], max_retries=0)
            try:
                if stream:
                    for _ in client.chat.completions.create(
                        model=model, stream=True, messages=[{"role": "user", "content": prompt}]
                    ):
                        pass
                else:
                    client.chat.completions.create(
                        model=model, messages=[{"role": "user", "content": prompt}]
                    )
            except openai.APIStatusError:
                pass  # the refused one: the window shows it
            finally:
                client.close()

        for prof, model in (("alice", "gpt-4o"), ("bob", "gpt-4o-mini"), ("alice", "gpt-4o-mini")):
            call(prof, model, False, "Draft a polite reminder about the invoice. " * 30)
        upstream.scenario(chunks=400, chunk_delay=0.02)
        threads = [
            threading.Thread(
                target=call, args=(p, m, True, "Write a long report on caching. " * 40), daemon=True
            )
            for p, m in (("alice", "gpt-4o"), ("bob", "gpt-4o-mini"), ("ci-agent", "gpt-4.1-mini"))
        ]
        for t in threads:
            t.start()
            time.sleep(0.3)
        w = session.wallet
        w.set_budget(Scope("profile", "research-bot"), parse_amount("$0.01"), period="day", action="block")
        session.notify_changed()
        call("research-bot", "gpt-4o", False, "Summarise these 40 papers. " * 400)
        settle(1500)
        shot("live-meter-streaming")
        window.show_page("dashboard")
        shot("limit-banner")
        for t in threads:
            t.join(timeout=20)
        upstream.reset()
        w.remove_budget(
            next(e.id for e in w.envelopes() if str(e.scope) == "profile:research-bot" and e.period == "day")
        )
        for provider in providers:
            w.reset_provider(provider)
        session.notify_changed()
        for n in list(window.banner.notices):
            window.banner._remove(n)

    # the rest of the demo: a family, a freelancer's two clients, subscriptions, a reconciliation
    add_billing_demo(session.wallet, home)
    add_subscription_demo(home, datetime.now(UTC))
    session.wallet.add_webhook("http://127.0.0.1:8090/family-alerts", topics="refusals,guards")
    session.notify_changed()
    with FakeAdminAPIs(page_size=7) as admin:
        reconcile_demo(admin, session, keystore)
        page: Any = window.show_page("reconcile")
        page.provider.setCurrentText("openai")
        page.run()
        settle(800)
    session.wallet.set_setting("reconcile_openai_url", "https://api.openai.com")

    def profile(name: str | None) -> None:
        window.profile_box.setCurrentIndex(max(0, window.profile_box.findData(name or "")))

    def pages(suffix: str) -> None:
        profile(None)
        dashboard: Any = window.show_page("dashboard")
        settle(900)
        dashboard.findChild(QScrollArea).verticalScrollBar().setValue(0)
        shot(f"dashboard-wallet{suffix}")
        profile("sam")
        settle(900)
        if dashboard.plan_cards:  # the subscriptions at the top, the charts above them cut off
            top = dashboard.plans_title.mapTo(dashboard.findChild(QScrollArea).widget(), QPoint(0, 0)).y()
            dashboard.findChild(QScrollArea).verticalScrollBar().setValue(top - 8)
        shot(f"dashboard-subscriptions{suffix}")
        profile(None)
        window.show_page("meter")
        shot(f"live-meter{suffix}")
        preview: Any = window.show_page("preview")
        preview.model_box.setCurrentText("openai/gpt-4o")
        profile("alice")
        preview.editor.setPlainText(PREVIEW_PROMPT_ZH if args.lang == "zh_CN" else PREVIEW_PROMPT)
        settle(900)
        shot(f"cost-preview{suffix}")
        profile(None)
        manage.tabs.setCurrentWidget(manage.profiles)
        window.show_page("wallet")
        shot(f"profiles{suffix}")
        manage.tabs.setCurrentWidget(manage.projects)
        shot(f"projects{suffix}")
        manage.tabs.setCurrentWidget(manage.budgets)
        manage.budgets.table.selectRow(1)
        shot(f"budgets{suffix}")
        manage.tabs.setCurrentWidget(manage.money)
        shot(f"topups-transfers{suffix}")
        connect: Any = window.show_page("connect")
        profile("alice")
        connect.key_field.setText(keys["alice"])
        shot(f"connect{suffix}")
        profile(None)
        history: Any = window.show_page("history")
        history.since_on.setChecked(True)
        history.since.setDate(QDate.currentDate().addDays(-30))
        shot(f"history{suffix}")
        window.show_page("reconcile")
        shot(f"reconcile{suffix}")
        household: Any = window.show_page("household")
        household.member.setCurrentText("mia")
        shot(f"household{suffix}")
        clients_page: Any = window.show_page("clients")
        settle()
        clients_page.table.selectRow(0)
        clients_page.show_report()
        shot(f"clients{suffix}")
        settings_page: Any = window.show_page("settings")
        settings_page.load_general()
        settings_page.findChild(QScrollArea).verticalScrollBar().setValue(0)
        shot(f"settings{suffix}")
        settings_page.findChild(QScrollArea).ensureWidgetVisible(settings_page.alerts, 0, 0)
        settings_page.alerts.url.setText("https://ntfy.sh/your-secret-topic")
        shot(f"settings-alerts{suffix}")
        settings_page.alerts.url.clear()

    for name in themes:
        session.wallet.set_setting("theme", name)
        theme.apply(app, name)
        for width, height in sizes:
            window.resize(width, height)
            settle(300)
            pages("" if (name, (width, height)) == ("light", SIZES["docs"]) else f"-{name}-{width}x{height}")
    welcome = window.open_welcome("")
    for step in ("key", "budget", "tool", "test", "done"):
        welcome.go(step)
        shot(f"welcome-{step}", welcome)
    welcome.reject()
    if args.docs:  # keep what the docs show, drop the rest
        keep = {
            args.out / "key-shown-once.png",
            args.out / "live-meter-streaming.png",
            args.out / "limit-banner.png",
        }
        keep |= {p for p in written if "-light-" not in p.name and "-dark-" not in p.name}
        for (name, size), names in DOCS_EXTRA.items():
            w_, h_ = SIZES[size]
            suffix = "" if (name, size) == ("light", "docs") else f"-{name}-{w_}x{h_}"
            keep |= {args.out / f"{n}{suffix}.png" for n in names}
        for p in written:
            if p not in keep:
                p.unlink(missing_ok=True)
        written = [p for p in written if p in keep]
    window.hide()
    session.close()
    print(f"{len(written)} screenshots in {args.out} (demo wallet: {home})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
