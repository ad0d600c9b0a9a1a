"""Rows read from agents' own logs (issue 11, ``tokenwallet.importers``): written in batches.

An imported request is a ledger row like a metered one (same columns, same daily roll-up, its
price snapshot), dated when it happened, with ``source`` ``imported:<tool>``. By default it charges
no budget: that money was spent outside the meter, usually on a subscription, and a budget that
refused nothing cannot be overdrawn after the fact. ``charge_budgets`` charges the envelopes'
current periods, as a metered call would.

Writes are idempotent on the row's ``call_id`` (derived from the request's id), so two importers
running at once (the app's watcher and a ``tokenwallet import``) cannot count a request twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from tokenwallet.core.events import BudgetCrossed
from tokenwallet.core.usage import Usage
from tokenwallet.wallet.calls import _INSERT_LEDGER, _UPSERT_DAILY, CallsMixin
from tokenwallet.wallet.db import immediate, to_us
from tokenwallet.wallet.state import EnvState, charge, crossed_thresholds
from tokenwallet.wallet.types import CallRecord, SettleResult

_INSERT_OR_IGNORE = _INSERT_LEDGER.replace("INSERT INTO", "INSERT OR IGNORE INTO", 1)
_IDS_PER_QUERY = 500  # SQLite's bound-parameter limit is far above; keeps each query small
_TWIN = (
    "SELECT id FROM ledger WHERE at_us BETWEEN ? AND ? AND source = ? AND provider = ? AND model = ?"
    " AND input_tokens = ? AND cache_read_tokens = ? AND output_tokens = ? AND reasoning_tokens = ? LIMIT 1"
)


@dataclass(frozen=True, slots=True)
class FileMark:
    """Where the import of one log file stopped, and which file it was."""

    tool: str
    path: str
    dev: int
    ino: int
    size: int
    mtime_ns: int
    head: str  # hash of the file's first bytes: a file replaced in place is read again
    read_to: int
    state: dict[str, object]


@dataclass(frozen=True, slots=True)
class ImportedSession:
    """An agent session an import found: the tool's own id, and when its first and last request ran."""

    id: str
    profile: str
    project: str | None
    label: str
    first_us: int
    last_us: int


class ImportsMixin(CallsMixin):
    def record(self, rec: CallRecord, *, charge_budgets: bool = True) -> SettleResult:
        """A ledger row for a call that had no hold (a passthrough, an imported call).

        ``charge_budgets=False`` writes the row without charging any envelope (imports by default).
        """
        if charge_budgets:
            return self.settle(None, rec)
        ids = self.record_imported([rec], charge_budgets=False)
        return SettleResult(ids[0] or self._ledger_id(rec.call_id), [], [])

    def ledger_id(self, call_id: str) -> int:
        """The ledger row of a call id, or 0 when the call has none (yet)."""
        return self._ledger_id(call_id)

    def _ledger_id(self, call_id: str) -> int:
        row = self._conn().execute("SELECT id FROM ledger WHERE call_id = ?", (call_id,)).fetchone()
        return int(row[0]) if row else 0

    def record_imported(
        self,
        recs: Sequence[CallRecord],
        *,
        charge_budgets: bool = False,
        sessions: Iterable[ImportedSession] = (),
        marks: Iterable[FileMark] = (),
    ) -> list[int]:
        """Write imported rows in one transaction; returns the new ledger ids (0 for a row that was
        there already), in the order of ``recs``.

        ``sessions`` are created (source ``imported``) or stretched to cover their requests;
        ``marks`` are saved with the rows, so a file's position moves only with what it gave.
        """
        conn = self._conn()
        now = self._now_us()
        out: list[int] = []
        crossed: list[BudgetCrossed] = []
        new_prices: dict[str, int] = {}
        envs_of: dict[tuple[int, int | None], list[EnvState]] = {}
        with immediate(conn):
            for s in sessions:
                self._touch_session(conn, s)
            for rec in recs:
                b = rec.binding
                at = now if rec.at is None else to_us(rec.at)
                price_id = self._price_ids.get(rec.price_json) or new_prices.get(rec.price_json)
                if price_id is None:
                    price_id = new_prices[rec.price_json] = self._price_id(conn, rec.price_json)
                u = rec.usage
                usage = (u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.cache_write_1h_tokens,
                         u.output_tokens, u.reasoning_tokens)  # fmt: skip
                started = None if rec.started_at is None else to_us(rec.started_at)
                cur = conn.execute(
                    _INSERT_OR_IGNORE,
                    (rec.call_id, at, started, b.key_id, b.profile_id, b.project_id, rec.provider, rec.model,
                     rec.requested_model, rec.endpoint, rec.status, int(rec.stream), *usage, rec.cost_nano,
                     price_id, rec.price_source, int(rec.estimated), int(rec.unpriced), rec.duration_ms,
                     rec.error, rec.prompt_text, rec.flags, rec.units, b.session, rec.source,
                     rec.response_id, u.input_audio_tokens, u.output_audio_tokens, u.input_image_tokens,
                     u.input_video_tokens, u.cache_audio_read_tokens, u.output_image_tokens),
                )  # fmt: skip
                if cur.rowcount != 1:
                    out.append(0)  # written already (another importer, an earlier run)
                    continue
                out.append(int(cur.lastrowid or 0))
                conn.execute(
                    _UPSERT_DAILY,
                    (self._day_of(conn, at), b.profile_id, b.project_id or 0, rec.provider, rec.model,
                     int(rec.estimated), *usage, rec.cost_nano),
                )  # fmt: skip
                if charge_budgets:
                    scope = (b.profile_id, b.project_id)
                    if scope not in envs_of:
                        envs_of[scope] = self._applicable(conn, b, now)
                    for env in envs_of[scope]:
                        charge(conn, env, env.charge_of(rec.cost_nano, u.total_tokens), now)
                        for t in crossed_thresholds(env):
                            crossed.append(
                                BudgetCrossed(env.id, env.envelope().label, t, env.used_pct, env.available,
                                              env.unit, env.action)
                            )  # fmt: skip
                        env.save(conn)
            for m in marks:
                conn.execute(
                    "INSERT OR REPLACE INTO import_file (tool, path, dev, ino, size, mtime_ns, head, read_to,"
                    " state_json, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (m.tool, m.path, m.dev, m.ino, m.size, m.mtime_ns, m.head, m.read_to,
                     json.dumps(m.state, separators=(",", ":")), now),
                )  # fmt: skip
        self._price_ids.update(new_prices)  # only after COMMIT: the rows now exist for everyone
        self._publish(crossed)
        return out

    def _touch_session(self, conn: sqlite3.Connection, s: ImportedSession) -> None:
        pid = self._profile_id(conn, s.profile)
        proj = None if s.project is None else self._project_id(conn, s.project)
        conn.execute(
            "INSERT OR IGNORE INTO agent_session (id, profile_id, project_id, source, label, started_us,"
            " ended_us) VALUES (?, ?, ?, 'imported', ?, ?, ?)",
            (s.id, pid, proj, s.label[:500], s.first_us, s.last_us),
        )
        conn.execute(
            "UPDATE agent_session SET started_us = MIN(started_us, ?),"
            " ended_us = MAX(COALESCE(ended_us, 0), ?) WHERE id = ? AND source = 'imported'",
            (s.first_us, s.last_us, s.id),
        )

    def import_marks(self, tool: str) -> dict[str, FileMark]:
        """Every file of ``tool`` read before, by path."""
        rows = self._conn().execute(
            "SELECT path, dev, ino, size, mtime_ns, head, read_to, state_json FROM import_file"
            " WHERE tool = ?",
            (tool,),
        )
        return {
            r[0]: FileMark(tool, r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7])) for r in rows
        }

    def known_answers(self, response_ids: Iterable[str]) -> dict[str, str]:
        """Which of these provider answer ids the ledger holds already: id → the row's ``source``."""
        ids = [i for i in set(response_ids) if i]
        conn = self._conn()
        found: dict[str, str] = {}
        for n in range(0, len(ids), _IDS_PER_QUERY):
            part = ids[n : n + _IDS_PER_QUERY]
            marks = ",".join("?" * len(part))
            sql = f"SELECT response_id, source FROM ledger WHERE response_id IN ({marks})"
            for rid, source in conn.execute(sql, part):
                if found.get(rid) != "meter":  # "metered" wins: it is the reason to skip
                    found[rid] = source
        return found

    def metered_twin(
        self, provider: str, model: str, at_us: int, usage: Usage, *, within: timedelta, source: str = "meter"
    ) -> int | None:
        """A row of ``source`` for the same model with exactly this usage near ``at_us`` (its ledger id).

        For logs that do not keep the provider's answer id (Codex, Gemini CLI): the same four counts
        from the same model within minutes is the same request seen twice.
        """
        span = int(within.total_seconds() * 1_000_000)
        row = (
            self._conn()
            .execute(
                _TWIN,
                (
                    at_us - span,
                    at_us + span,
                    source,
                    provider,
                    model,
                    usage.input_tokens,
                    usage.cache_read_tokens,
                    usage.output_tokens,
                    usage.reasoning_tokens,
                ),
            )
            .fetchone()
        )
        return None if row is None else int(row[0])
