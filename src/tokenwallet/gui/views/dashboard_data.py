"""What the dashboard shows, computed off the GUI thread in one go (no Qt here).

:func:`load_dashboard` reads envelope statuses and the per-day spend for the selected profile (or
the whole wallet) and returns frozen numbers; the page only draws them. The benchmark times this
function against a wallet with a million ledger rows.

The range's spend is also split by where it came from (issue 11): what the meter charged, and what
was imported from tools' logs (priced like metered calls: its API-equivalent value). Imported rows
are summed through the ledger's ``(source, at_us)`` index, so the split costs no full scan; metered
is the rest of the roll-ups, so the two always add up to the total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tokenwallet.billing.subscriptions import PlanReport, subscriptions
from tokenwallet.core.model_patterns import scope_pattern
from tokenwallet.core.periods import day_bounds, zone
from tokenwallet.gui.i18n import tr

if TYPE_CHECKING:
    from tokenwallet.wallet import Wallet

TOP_KEYS = 6
OTHER = "other"


@dataclass(frozen=True)
class Series:
    """Per-day values for one key (a model, profile, project or provider)."""

    key: str
    cost: tuple[int, ...]  # nano-USD per day, aligned with DashboardData.days
    tokens: tuple[int, ...]


@dataclass(frozen=True)
class DashboardData:
    profile: str | None
    group_by: str
    now: datetime
    statuses: tuple[Any, ...]  # EnvelopeStatus
    days: tuple[date, ...]
    series: tuple[Series, ...]  # largest first, at most TOP_KEYS + "other"
    total_cost: int
    total_tokens: int
    total_calls: int
    today_cost: int
    today_tokens: int
    grouped: bool = True  # False: the daily series is the selected profile, not split by group_by
    token_mix: tuple[tuple[str, int], ...] = ()  # (model, tokens) over the range when not grouped
    period_tokens: dict[int, int] = field(default_factory=dict)  # money envelope id → tokens this period
    imported_cost: int = 0  # of total_cost: API-equivalent value of imported use over the range
    imported_tokens: int = 0
    plans: tuple[PlanReport, ...] = ()  # the profile's (or every) subscription plan, as it stands
    tz_name: str = "UTC"  # the wallet's zone: plan windows reset at times shown in it

    @property
    def metered_cost(self) -> int:
        return self.total_cost - self.imported_cost

    @property
    def plans_price(self) -> int:
        """What the plans shown cost per month, together (nano-USD)."""
        return sum(r.plan.price_nano for r in self.plans)


def _daily(
    wallet: Wallet, since: date, until: date, group_by: str, profile: str | None
) -> tuple[list[Any], bool]:
    """Per-day spend, limited to ``profile`` when one is selected; the flag says whether it is
    grouped as asked (always, now that the wallet filters by profile itself)."""
    by: Any = group_by
    return list(wallet.daily_spend(since=since, until=until, by=by, profile=profile)), True


def scope_usage_mix(wallet: Wallet, scope: Any, *, since: datetime) -> dict[tuple[str, str], Any]:
    """Tokens per (provider, model) since ``since`` of the calls an envelope's ``scope`` charges."""
    who = {"profile": scope.name} if scope.kind == "profile" else {}
    if scope.kind == "project":
        who = {"project": scope.name}
    elif scope.per_model and scope.profile:
        who = {"profile": scope.profile}
    mix = wallet.usage_mix(since=since, **who)
    if scope.per_model:  # only the models the envelope is for
        p = scope_pattern(scope.kind, scope.name or "")
        mix = {k: u for k, u in mix.items() if p.matches(*k)}
    return mix


def load_dashboard(
    wallet: Wallet,
    *,
    profile: str | None,
    group_by: str = "model",
    days: int = 30,
    now: datetime | None = None,
) -> DashboardData:
    """Envelope statuses and ``days`` days of spend grouped by ``group_by``."""
    now = now or datetime.now(UTC)
    statuses = tuple(wallet.status(now=now, profile=profile))
    period_tokens: dict[int, int] = {}
    for st in statuses:  # tokens beside money: what each money envelope's scope used this period
        env = st.envelope
        if env.unit != "usd":
            continue
        scope_mix = scope_usage_mix(wallet, env.scope, since=st.period_start)
        period_tokens[env.id] = sum(u.total_tokens for u in scope_mix.values())
    until = now.astimezone().date()
    since = until - timedelta(days=days - 1)
    rows, grouped = _daily(wallet, since, until, group_by, profile)
    mix: tuple[tuple[str, int], ...] = ()
    if not grouped:  # the share chart still splits the profile's tokens by model (exact counts)
        start = datetime.combine(since, datetime.min.time()).astimezone()
        usage = wallet.usage_mix(profile=profile, since=start)
        mix = tuple(sorted(((m, u.total_tokens) for (_p, m), u in usage.items()), key=lambda kv: -kv[1]))
    day_list = tuple(since + timedelta(days=i) for i in range(days))
    pos = {d: i for i, d in enumerate(day_list)}
    cost: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    tokens: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    total_cost = total_tokens = total_calls = 0
    for r in rows:
        i = pos.get(r.day)
        if i is None:
            continue
        key = r.key or tr("(none)")
        cost[key][i] += r.cost_nano
        tokens[key][i] += r.tokens
        total_cost += r.cost_nano
        total_tokens += r.tokens
        total_calls += r.calls
    ranked = sorted(cost, key=lambda k: (sum(cost[k]), sum(tokens[k])), reverse=True)
    series = [Series(k, tuple(cost[k]), tuple(tokens[k])) for k in ranked[:TOP_KEYS]]
    rest = ranked[TOP_KEYS:]
    if rest:
        series.append(
            Series(
                OTHER,
                tuple(sum(cost[k][i] for k in rest) for i in range(days)),
                tuple(sum(tokens[k][i] for k in rest) for i in range(days)),
            )
        )
    last = days - 1
    tz_name = str(wallet.get_setting("timezone"))
    tz = zone(tz_name)
    imported = wallet.imported_totals(
        since=day_bounds(since, tz)[0], until=day_bounds(until, tz)[1], profile=profile
    ).values()
    return DashboardData(
        profile=profile,
        group_by=group_by,
        now=now,
        statuses=statuses,
        days=day_list,
        series=tuple(series),
        total_cost=total_cost,
        total_tokens=total_tokens,
        total_calls=total_calls,
        today_cost=sum(s.cost[last] for s in series),
        today_tokens=sum(s.tokens[last] for s in series),
        grouped=grouped,
        token_mix=mix,
        period_tokens=period_tokens,
        imported_cost=sum(cost for cost, _tokens, _calls in imported),
        imported_tokens=sum(tokens for _cost, tokens, _calls in imported),
        plans=tuple(subscriptions(wallet, now=now, profile=profile)),
        tz_name=tz_name,
    )
