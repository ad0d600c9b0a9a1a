"""Energy and CO₂ on the ledger: filled after the fact, summed per period, model, profile, client.

The meter's settle never computes energy (``core/energy.py``: ~1 ms a call). :meth:`fill_energy`
computes it for rows that have none yet — in id order, a batch at a time, outside any write
transaction, then writes the batch in one short one — so every reader (the app, the CLI, an
import run) brings the ledger up to date before it shows energy. Rows are filled in id order, so
the rows left are those above the highest filled id: found without an index or a full scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tokenwallet.core import energy as en
from tokenwallet.core.energy_zone import zone_for_timezone
from tokenwallet.wallet.base import WalletBase
from tokenwallet.wallet.db import immediate, to_us

if TYPE_CHECKING:
    from tokenwallet.pricing.suggest import Tiers

FILL_BATCH = 500
#: Endpoints that are not text generation: ecologits has no model for them, so no energy.
_NOT_TEXT = ("embedding", "image", "audio", "moderation", "rerank")


@dataclass(frozen=True, slots=True)
class EnergyTotal:
    """Energy and CO₂ of a group of calls (µWh, µg) with the tokens they produced."""

    key: str | None  # model ("provider/model"), profile or client name; None for all
    calls: int  # calls with an energy figure
    output_tokens: int
    uwh_min: int
    uwh_max: int
    ug_min: int
    ug_max: int
    estimated_calls: int  # of which by tier estimate or local watts

    @property
    def wh_mid(self) -> float:
        return (self.uwh_min + self.uwh_max) / 2_000_000

    @property
    def tokens_per_wh(self) -> float | None:
        """Output tokens per Wh at the middle of the range (None with no energy)."""
        mid = self.wh_mid
        return self.output_tokens / mid if mid > 0 else None


def skip_energy(endpoint: str, units: str) -> bool:
    """A call ecologits cannot model: embeddings, images, audio (``units`` marks media calls)."""
    return bool(units) or any(word in endpoint for word in _NOT_TEXT)


_SUMS = (
    "COUNT(*), COALESCE(SUM(l.output_tokens), 0), COALESCE(SUM(l.energy_uwh_min), 0),"
    " COALESCE(SUM(l.energy_uwh_max), 0), COALESCE(SUM(l.gco2_ug_min), 0), COALESCE(SUM(l.gco2_ug_max), 0),"
    " COALESCE(SUM(CASE WHEN l.energy_method != 'ecologits' THEN 1 ELSE 0 END), 0)"
)
_GROUPS = {
    None: "NULL",
    "model": "l.provider || '/' || l.model",
    "profile": "p.name",
    "project": "j.name",
}


class EnergyMixin(WalletBase):
    def energy_zone(self) -> str:
        """The electricity-mix zone: the ``energy_zone`` setting, else the time zone's country."""
        conn = self._conn()
        chosen = self._raw_setting(conn, "energy_zone")
        return str(chosen) if chosen else zone_for_timezone(str(self._raw_setting(conn, "timezone")))

    def energy_pending(self) -> int:
        """Ledger rows without an energy figure yet."""
        conn = self._conn()
        return int(
            conn.execute(
                "SELECT COUNT(*) FROM ledger WHERE id > ? AND energy_method IS NULL", (self._filled_to(conn),)
            ).fetchone()[0]
        )

    def _filled_to(self, conn: Any) -> int:
        row = conn.execute(
            "SELECT id FROM ledger WHERE energy_method IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return int(row[0]) if row else 0

    def fill_energy(self, *, limit: int | None = None, tiers: Tiers | None = None) -> int:
        """Compute energy and CO₂ for rows that have none (at most ``limit``); returns how many.

        Safe to run from several threads or processes at once: a row already filled is left as is.
        """
        conn = self._conn()
        zone = self.energy_zone()
        watts = int(self._raw_setting(conn, "gpu_watts"))
        if tiers is None:
            from tokenwallet.pricing.suggest import Tiers

            tiers = Tiers.load(self.path.parent)
        done = 0
        after = self._filled_to(conn)  # found once: a wallet never filled has nothing to find it by
        while limit is None or done < limit:
            batch = FILL_BATCH if limit is None else min(FILL_BATCH, limit - done)
            rows = conn.execute(
                "SELECT id, provider, model, endpoint, output_tokens, duration_ms, units FROM ledger"
                " WHERE id > ? AND energy_method IS NULL ORDER BY id LIMIT ?",
                (after, batch),
            ).fetchall()
            if not rows:
                break
            after = rows[-1][0]
            values: list[tuple[int | None, int | None, int | None, int | None, str, str, int]] = []
            for row_id, provider, model, endpoint, out, duration_ms, units in rows:
                impact = None
                if not skip_energy(endpoint, units):
                    impact = en.energy_for(
                        provider, model, out, duration_ms / 1000, zone, gpu_watts=watts, tiers=tiers
                    )
                if impact is None:
                    values.append((None, None, None, None, en.NONE, zone, row_id))
                else:
                    i = impact
                    values.append(
                        (
                            i.wh_min_micro,
                            i.wh_max_micro,
                            i.gco2_min_micro,
                            i.gco2_max_micro,
                            i.method,
                            zone,
                            row_id,
                        )
                    )
            with immediate(conn):
                conn.executemany(
                    "UPDATE ledger SET energy_uwh_min=?, energy_uwh_max=?, gco2_ug_min=?, gco2_ug_max=?,"
                    " energy_method=?, energy_zone=? WHERE id=? AND energy_method IS NULL",
                    values,
                )
            done += len(rows)
        return done

    def energies(self, call_ids: list[str]) -> dict[str, en.Impact]:
        """The energy of each of these calls that has one (the live meter's column)."""
        out: dict[str, en.Impact] = {}
        conn = self._conn()
        for start in range(0, len(call_ids), 500):  # SQLite's bound-parameter limit, with room
            chunk = call_ids[start : start + 500]
            rows = conn.execute(
                "SELECT call_id, energy_uwh_min, energy_uwh_max, gco2_ug_min, gco2_ug_max, energy_method,"
                f" energy_zone FROM ledger WHERE call_id IN ({','.join('?' * len(chunk))})"
                " AND energy_uwh_min IS NOT NULL",
                chunk,
            )
            for r in rows:
                out[r[0]] = en.Impact(int(r[1]), int(r[2]), int(r[3]), int(r[4]), str(r[5]), str(r[6]))
        return out

    def energy_totals(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        by: str | None = None,
        profile: str | None = None,
        project: str | None = None,
    ) -> list[EnergyTotal]:
        """Energy of the filled calls in ``[since, until)``, optionally per model, profile or client.

        ``by="model"`` keys are ``provider/model``; ordered by energy, largest first.
        """
        key = _GROUPS.get(by)
        if key is None and by is not None:
            raise ValueError(f"cannot group energy by {by!r}")
        conn = self._conn()
        where = ["l.energy_method IS NOT NULL", "l.energy_method != 'none'"]
        args: list[Any] = []
        if since is not None:
            where.append("l.at_us >= ?")
            args.append(to_us(since))
        if until is not None:
            where.append("l.at_us < ?")
            args.append(to_us(until))
        if profile is not None:
            where.append("l.profile_id = ?")
            args.append(self._profile_id(conn, profile))
        if project is not None:
            where.append("l.project_id = ?")
            args.append(self._project_id(conn, project))
        rows = conn.execute(
            f"SELECT {key}, {_SUMS} FROM ledger l JOIN profile p ON p.id = l.profile_id"
            " LEFT JOIN project j ON j.id = l.project_id"
            f" WHERE {' AND '.join(where)} GROUP BY 1 ORDER BY 5 DESC, 1",
            args,
        )
        return [EnergyTotal(r[0], *(int(x) for x in r[1:])) for r in rows if r[1]]
