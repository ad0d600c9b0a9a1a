"""The dashboard chart's axes: nice steps with enough decimals to tell them apart, day labels
thinned to the width, and words instead of an empty chart."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tokenwallet.gui.views.charts import day_stride, nice_step, value_labels


def test_value_axis_steps_are_nice_and_never_repeat_a_label() -> None:
    assert nice_step(0.034) == 0.01
    assert nice_step(0.8) == 0.2
    assert nice_step(3.0) == 1.0
    labels = [text for _, text in value_labels(0.034, True, "$")]
    assert labels == ["$0.00", "$0.01", "$0.02", "$0.03", "$0.04"]
    assert len(set(labels)) == len(labels)  # never "$0.00, $0.01, $0.01, $0.01"
    tiny = [text for _, text in value_labels(0.0036, True, "$")]
    assert tiny == ["$0.000", "$0.001", "$0.002", "$0.003", "$0.004"]
    assert [t for _, t in value_labels(2.7, True, "€")] == ["€0", "€1", "€2", "€3"]
    assert [t for _, t in value_labels(4_100_000, False, "")] == ["0", "2.0M", "4.0M", "6.0M"]


def test_day_labels_are_thinned_to_fit() -> None:
    assert day_stride(30, 900, 40) == 2
    assert day_stride(30, 400, 40) == 5
    assert day_stride(30, 2000, 40) == 1


def test_an_empty_wallet_says_so_in_both_charts(qtbot: QtBot) -> None:
    from datetime import UTC, date, datetime, timedelta

    from tokenwallet.gui.display import Display
    from tokenwallet.gui.views.charts import EMPTY_DAILY, EMPTY_SHARE, DailyChart, ShareChart
    from tokenwallet.gui.views.dashboard_data import DashboardData

    days = tuple(date(2026, 11, 1) + timedelta(days=i) for i in range(30))
    data = DashboardData(None, "model", datetime.now(UTC), (), days, (), 0, 0, 0, 0, 0)
    daily, share = DailyChart(), ShareChart()
    qtbot.addWidget(daily)
    qtbot.addWidget(share)
    daily.show_data(data, "money", Display())
    share.show_data(data, "money", Display())
    assert daily.chart().title() == EMPTY_DAILY
    assert share.view.chart().title() == EMPTY_SHARE
