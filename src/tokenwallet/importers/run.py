"""One import run: read what the logs gained, keep each request once, price it, write it.

Each request is skipped when

- another line, file or snapshot already gave it (streamed snapshots, replays, resumed sessions):
  one request is kept per key, the snapshot with the most output;
- the ledger holds its id already: imported before (a *duplicate*), or recorded by the meter
  (*already metered*: Claude Code pointed at the proxy; the meter keeps the provider's id);
- for logs without the provider's id (Codex, Gemini CLI): a metered row of the same model with the
  very same input, cached, output and reasoning counts lies within ``TWIN_WINDOW`` of it.

Rows are priced like metered calls (the wallet's price book, at the request's time); a model with no
known price is recorded at the wallet's fallback rates and marked unpriced — a request that already
happened is never refused. Rows charge no budget unless ``charge_budgets`` (see wallet/imports.py).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokenwallet.core.events import CallSettled, Event, WalletChanged
from tokenwallet.core.usage import Usage
from tokenwallet.importers import claude_code, codex, gemini_cli
from tokenwallet.importers.entries import Counts, Entry
from tokenwallet.importers.files import LineReader, default_roots, identity, is_idle, log_files, read_lines
from tokenwallet.wallet.db import to_us
from tokenwallet.wallet.imports import FileMark, ImportedSession
from tokenwallet.wallet.types import CallRecord, KeyBinding

if TYPE_CHECKING:
    from tokenwallet.pricing import ModelPrice, PriceBook
    from tokenwallet.wallet import Wallet

TOOLS = (claude_code.TOOL, codex.TOOL, gemini_cli.TOOL)
_READERS: dict[str, Callable[[Counts, dict[str, Any]], LineReader]] = {
    claude_code.TOOL: claude_code.ClaudeCodeFile,
    codex.TOOL: codex.CodexFile,
    gemini_cli.TOOL: gemini_cli.GeminiChatFile,
}
TWIN_WINDOW = timedelta(minutes=5)
PAIR_WINDOW = timedelta(seconds=5)  # a Codex response's two records are written together
LIVE_WINDOW = timedelta(minutes=10)  # rows this recent are announced one by one (the live meter)
BATCH = 2000  # rows per write transaction


@dataclass(frozen=True)
class ImportOptions:
    tool: str
    profile: str
    roots: tuple[Path, ...] = ()  # empty: the tool's default places
    project_map: tuple[tuple[Path, str], ...] = ()  # directory → project; the longest match wins
    charge_budgets: bool = False


def check_options(wallet: Wallet, opts: ImportOptions) -> None:
    """Refuse a run that names an unknown tool, profile or project (before anything is read)."""
    if opts.tool not in TOOLS:
        raise ValueError(f"unknown tool {opts.tool!r} (known: {', '.join(TOOLS)})")
    wallet.binding_for(opts.profile)
    for _, project in opts.project_map:
        wallet.binding_for(opts.profile, project)


def run_import(wallet: Wallet, opts: ImportOptions) -> Counts:
    """Import what ``opts.tool``'s logs gained since the last run; returns what was seen and done."""
    started = time.perf_counter()
    check_options(wallet, opts)
    counts = Counts()
    found, marks = _read(wallet, opts, counts)
    counts.requests = len(found)
    todo = _new_requests(wallet, list(found.values()), counts, f"imported:{opts.tool}")
    _write(wallet, opts, todo, marks, counts)
    if todo:
        # energy and CO₂ of what was imported (and of anything else still without it): ~1 ms a row,
        # here in the import's own thread rather than in whatever reads the ledger next
        wallet.fill_energy()
    counts.seconds = time.perf_counter() - started
    return counts


def _read(wallet: Wallet, opts: ImportOptions, counts: Counts) -> tuple[dict[str, Entry], list[FileMark]]:
    tool = opts.tool
    known = wallet.import_marks(tool)
    found: dict[str, Entry] = {}
    marks: list[FileMark] = []
    for path in log_files(tool, opts.roots or default_roots(tool)):
        counts.files += 1
        try:
            ident = identity(path)
            mark = known.get(str(path))
            if mark is not None and ident.unchanged(mark):
                counts.files_unchanged += 1
                continue
            resume = mark is not None and ident.same_file(mark)
            start, state = (mark.read_to, dict(mark.state)) if mark is not None and resume else (0, {})
            if tool == gemini_cli.TOOL and path.suffix == ".json":  # the older, rewritten document
                data = path.read_bytes()
                counts.bytes_read += len(data)
                entries = gemini_cli.read_chat(data, counts)
                if entries is None:
                    continue  # being rewritten: next run
                read_to = len(data)
                for e in entries:
                    e.cwd = e.cwd or gemini_cli.project_root(path)
            else:
                if tool == gemini_cli.TOOL and "cwd" not in state:
                    state["cwd"] = gemini_cli.project_root(path)
                reader: LineReader = _READERS[tool](counts, state)
                idle = is_idle(ident)
                end = read_lines(path, start, reader, counts, idle=idle)
                entries, read_to = reader.finish(end, idle)
                state = reader.state
        except OSError as exc:
            counts.files_unreadable += 1
            counts.problems.append(f"{path}: {exc.strerror or exc}")
            continue
        marks.append(ident.mark(tool, path, read_to, state))
        for e in entries:
            e.resumed = start > 0
            have = found.get(e.key)
            if have is None:
                found[e.key] = e
            else:
                counts.duplicates += 1  # the same request in another file (a resumed or forked session)
                if e.usage.output_tokens > have.usage.output_tokens:
                    found[e.key] = e
    return found, marks


def _new_requests(wallet: Wallet, entries: list[Entry], counts: Counts, source: str) -> list[Entry]:
    seen = wallet.known_answers(e.response_id for e in entries)
    out: list[Entry] = []
    ids: set[str] = set()
    paired: dict[tuple[str, Usage], list[tuple[datetime, str]]] = {}
    # Codex's records (with the provider's id) before its token counts: of a pair, the record is kept
    for e in sorted(entries, key=lambda e: (e.pair == "count", e.at)):
        found = seen.get(e.response_id)
        if found == "meter":
            counts.metered += 1
        elif found is not None or e.response_id in ids or _paired(wallet, e, paired, source):
            counts.duplicates += 1
        elif not e.provider_id and wallet.metered_twin(
            e.provider, e.model, to_us(e.at), e.usage, within=TWIN_WINDOW
        ):
            counts.metered += 1
        else:
            ids.add(e.response_id)
            out.append(e)
            if e.pair:
                paired.setdefault((e.model, e.usage), []).append((e.at, e.pair))
    return out


def _paired(
    wallet: Wallet, e: Entry, paired: dict[tuple[str, Usage], list[tuple[datetime, str]]], source: str
) -> bool:
    """Whether ``e`` is the other record of a response already kept (Codex writes a response's usage
    both as a ``token_usage_record`` and in a ``token_count``): same model, same usage, within
    ``PAIR_WINDOW`` — in this run, or among the rows imported before."""
    if not e.pair:
        return False
    for at, kind in paired.get((e.model, e.usage), ()):
        if kind != e.pair and abs(at - e.at) <= PAIR_WINDOW:
            return True
    if not e.resumed:
        return False  # its whole file is in this run: its pair, if any, was seen above
    return (
        wallet.metered_twin(e.provider, e.model, to_us(e.at), e.usage, within=PAIR_WINDOW, source=source)
        is not None
    )


def _write(
    wallet: Wallet, opts: ImportOptions, todo: list[Entry], marks: list[FileMark], counts: Counts
) -> None:
    from tokenwallet.pricing import pricebook_for

    if not todo and not marks:
        return  # nothing new anywhere: no write transaction (the watcher polls often)
    book = pricebook_for(wallet)
    book.unknown_policy = "fallback"  # it happened already: priced at the fallback rates, marked unpriced
    base = wallet.binding_for(opts.profile)
    bindings: dict[tuple[str, str | None], KeyBinding] = {}
    source = f"imported:{opts.tool}"
    now = datetime.now(UTC)
    events: list[Event] = []
    prices: dict[int, tuple[ModelPrice, str]] = {}  # price JSON once per price, not per row
    for n in range(0, max(len(todo), 1), BATCH):
        part = todo[n : n + BATCH]
        recs: list[CallRecord] = []
        sessions: dict[str, ImportedSession] = {}
        for e in part:
            project = _project_of(e, opts.project_map)
            b = bindings.get((e.session, project))
            if b is None:
                b = bindings[(e.session, project)] = (
                    replace(wallet.binding_for(opts.profile, project), session=e.session)
                    if project is not None
                    else replace(base, session=e.session)
                )
            if e.session:
                _stretch(sessions, e, opts.profile, project)
            recs.append(_record(book, prices, e, b, source))
        last = n + BATCH >= len(todo)
        ids = wallet.record_imported(
            recs, charge_budgets=opts.charge_budgets, sessions=sessions.values(), marks=marks if last else ()
        )
        for rec, ledger_id in zip(recs, ids, strict=True):
            if not ledger_id:
                counts.duplicates += 1
                continue
            counts.imported += 1
            counts.cost_nano += rec.cost_nano
            counts.unpriced += rec.unpriced
            at = rec.at or now
            if now - at <= LIVE_WINDOW:
                events.append(_settled(rec, ledger_id, at))
    if counts.imported:
        events.append(WalletChanged("ledger"))
    for ev in events:
        wallet.bus.publish(ev)


def _record(
    book: PriceBook, prices: dict[int, tuple[ModelPrice, str]], e: Entry, b: KeyBinding, source: str
) -> CallRecord:
    price = book.lookup(e.provider, e.model, at=e.at)
    known = prices.get(id(price))
    if known is None or known[0] is not price:
        known = prices[id(price)] = (price, price.to_json())
    return CallRecord(
        call_id="imp-"
        + hashlib.sha1(f"{source}:{e.response_id}".encode(), usedforsecurity=False).hexdigest()[:24],
        binding=b,
        provider=e.provider,
        model=e.model,
        endpoint=e.endpoint,
        status=200,
        stream=True,
        usage=e.usage,
        cost_nano=book.cost(price, e.usage),
        price_json=known[1],
        price_source=price.source,
        estimated=False,
        unpriced=price.unpriced,
        duration_ms=0,
        flags=e.flags,
        source=source,
        response_id=e.response_id,
        at=e.at,
    )


def _settled(rec: CallRecord, ledger_id: int, at: datetime) -> CallSettled:
    b = rec.binding
    return CallSettled(
        rec.call_id, ledger_id, b.profile, b.project, rec.provider, rec.model, rec.endpoint, rec.usage,
        rec.cost_nano, False, 200, None, rec.flags, at=at, source=rec.source,
    )  # fmt: skip


def _project_of(e: Entry, project_map: tuple[tuple[Path, str], ...]) -> str | None:
    best: tuple[int, str] | None = None
    for directory, project in project_map:
        d = str(directory).rstrip("/") or "/"
        hit = (
            e.cwd == d or e.cwd.startswith(d.rstrip("/") + "/")
            if e.cwd
            else bool(e.project_hash) and e.project_hash == hashlib.sha256(d.encode()).hexdigest()
        )
        if hit and (best is None or len(d) > best[0]):
            best = (len(d), project)
    return None if best is None else best[1]


def _stretch(sessions: dict[str, ImportedSession], e: Entry, profile: str, project: str | None) -> None:
    at = to_us(e.at)
    s = sessions.get(e.session)
    if s is None:
        sessions[e.session] = ImportedSession(e.session, profile, project, e.cwd or e.project_hash, at, at)
    else:
        sessions[e.session] = replace(s, first_us=min(s.first_us, at), last_us=max(s.last_us, at))
