"""Reads for the CLI and the GUI: history pages, usage mix and daily spend (from roll-ups)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any, Literal

from tokenwallet.core.energy import Impact
from tokenwallet.core.periods import local_day
from tokenwallet.core.usage import Usage
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import from_us, opt_from_us, to_us
from tokenwallet.wallet.errors import WalletError
from tokenwallet.wallet.types import DailySpend, HistoryFilter, LedgerRow

_LEDGER_COLS = (
    "l.id, l.call_id, l.at_us, l.started_us, p.name, j.name, l.provider, l.model, l.requested_model,"
    " l.endpoint, l.status, l.stream, l.input_tokens, l.cache_read_tokens, l.cache_write_tokens,"
    " l.cache_write_1h_tokens, l.output_tokens, l.reasoning_tokens, l.cost_nano, l.price_source,"
    " s.price_json, l.estimated, l.unpriced, l.duration_ms, l.error, l.prompt_text, l.flags, l.units,"
    " l.session, l.source, l.response_id, l.energy_uwh_min, l.energy_uwh_max, l.gco2_ug_min,"
    " l.gco2_ug_max, l.energy_method, l.energy_zone, l.input_audio_tokens, l.output_audio_tokens,"
    " l.input_image_tokens, l.input_video_tokens, l.cache_audio_read_tokens, l.output_image_tokens"
)
_USAGE_SUMS = (
    "SUM(input_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cache_write_1h_tokens),"
    " SUM(output_tokens), SUM(reasoning_tokens)"
)
GroupBy = Literal["model", "profile", "project", "provider"]


def _row(r: tuple[Any, ...]) -> LedgerRow:
    usage = Usage(r[12], r[13], r[14], r[15], r[16], r[17], *r[37:43])
    return LedgerRow(
        r[0], r[1], from_us(r[2]), opt_from_us(r[3]), r[4], r[5], r[6], r[7], r[8], r[9], r[10], bool(r[11]),
        usage, r[18], r[19], r[20], bool(r[21]), bool(r[22]), r[23], r[24], r[25], r[26], r[27], r[28],
        r[29], r[30], _impact(r[31:37]),
    )  # fmt: skip


def _impact(r: tuple[Any, ...]) -> Impact | None:
    """The row's energy, if it has been computed and there was something to compute."""
    if r[4] is None or r[0] is None:
        return None
    return Impact(int(r[0]), int(r[1]), int(r[2]), int(r[3]), str(r[4]), str(r[5]))


def _usage(r: tuple[Any, ...]) -> Usage:
    return Usage(*(int(x or 0) for x in r))


class ReadsMixin(WalletBase):
    def _where(self, conn: sqlite3.Connection, f: HistoryFilter) -> tuple[str, list[Any]]:
        parts: list[str] = []
        args: list[Any] = []
        if f.since is not None:
            parts.append("l.at_us >= ?")
            args.append(to_us(f.since))
        if f.until is not None:
            parts.append("l.at_us < ?")
            args.append(to_us(f.until))
        if f.profile is not None:
            parts.append("l.profile_id = ?")
            args.append(self._profile_id(conn, f.profile))
        if f.project is not None:
            parts.append("l.project_id = ?")
            args.append(self._project_id(conn, f.project))
        if f.provider is not None:
            parts.append("l.provider = ?")
            args.append(f.provider)
        if f.model is not None:
            parts.append("l.model = ?")
            args.append(f.model)
        if f.session is not None:
            parts.append("l.session = ?")
            args.append(f.session)
        return (" WHERE " + " AND ".join(parts)) if parts else "", args

    def history(
        self, f: HistoryFilter, *, limit: int, offset: int = 0, before: tuple[datetime, int] | None = None
    ) -> list[LedgerRow]:
        """Ledger rows matching ``f``, newest first, one page at a time.

        ``before=(row.at, row.id)`` of the last row shown gives the next page by keyset, which
        stays as fast deep into a million rows as the first page (OFFSET has to skip rows).
        """
        if limit < 0 or offset < 0:
            raise WalletError("limit and offset must not be negative")
        conn = self._conn()
        where, args = self._where(conn, f)
        if before is not None:
            at = to_us(before[0])
            where += " AND " if where else " WHERE "
            where += "(l.at_us < ? OR (l.at_us = ? AND l.id < ?))"
            args += [at, at, before[1]]
        rows = conn.execute(
            f"SELECT {_LEDGER_COLS} FROM ledger l JOIN profile p ON p.id = l.profile_id"
            f" LEFT JOIN project j ON j.id = l.project_id JOIN price_snapshot s ON s.id = l.price_id"
            f"{where} ORDER BY l.at_us DESC, l.id DESC LIMIT ? OFFSET ?",
            (*args, limit, offset),
        )
        return [_row(r) for r in rows]

    def history_count(self, f: HistoryFilter) -> int:
        conn = self._conn()
        where, args = self._where(conn, f)
        return int(conn.execute(f"SELECT COUNT(*) FROM ledger l{where}", args).fetchone()[0])

    def ledger_row(self, call_id: str) -> LedgerRow | None:
        """One call by its id (None if it was never settled)."""
        row = (
            self._conn()
            .execute(
                f"SELECT {_LEDGER_COLS} FROM ledger l JOIN profile p ON p.id = l.profile_id"
                " LEFT JOIN project j ON j.id = l.project_id JOIN price_snapshot s ON s.id = l.price_id"
                " WHERE l.call_id = ?",
                (call_id,),
            )
            .fetchone()
        )
        return None if row is None else _row(row)

    def usage_mix(
        self, *, profile: str | None = None, project: str | None = None, since: datetime
    ) -> dict[tuple[str, str], Usage]:
        """Tokens per (provider, model) from the daily roll-ups, from ``since``'s local day on."""
        conn = self._conn()
        tz, _ = self._calendar(conn)
        sql = f"SELECT provider, model, {_USAGE_SUMS} FROM daily WHERE day >= ?"
        args: list[Any] = [local_day(since, tz).isoformat()]
        if profile is not None:
            sql += " AND profile_id = ?"
            args.append(self._profile_id(conn, profile))
        if project is not None:
            sql += " AND project_id = ?"
            args.append(self._project_id(conn, project))
        rows = conn.execute(sql + " GROUP BY provider, model", args)
        return {(r[0], r[1]): _usage(r[2:]) for r in rows}

    def daily_spend(
        self,
        *,
        since: date,
        until: date,
        by: GroupBy | None = None,
        profile: str | None = None,
        project: str | None = None,
    ) -> list[DailySpend]:
        """Spend per local day in ``[since, until]`` (both inclusive), optionally per model/profile/…

        ``profile`` / ``project`` narrow it to one spender or one client (by name).
        """
        key = {
            None: "NULL",
            "model": "d.model",
            "provider": "d.provider",
            "profile": "p.name",
            "project": "j.name",
        }.get(by)
        if key is None:
            raise WalletError(f"cannot group daily spend by {by!r}")
        rows = self._conn().execute(
            f"SELECT d.day, {key}, SUM(d.cost_nano), SUM(d.calls), {_USAGE_SUMS.replace('SUM(', 'SUM(d.')}"
            " FROM daily d JOIN profile p ON p.id = d.profile_id LEFT JOIN project j ON j.id = d.project_id"
            f" WHERE d.day >= ? AND d.day <= ?"
            " AND (? IS NULL OR p.name = ?) AND (? IS NULL OR j.name = ?)"
            f" GROUP BY d.day, {key} ORDER BY d.day, {key}",
            (since.isoformat(), until.isoformat(), profile, profile, project, project),
        )
        out = []
        for r in rows:
            usage = _usage(r[4:])
            out.append(
                DailySpend(date.fromisoformat(r[0]), r[1], int(r[2]), int(r[3]), usage.total_tokens, usage)
            )
        return out
