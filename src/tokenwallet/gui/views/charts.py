"""Spend-over-time charts (QtCharts): stacked bars per day and a share donut for the range.

Chart values are floats for drawing only; the exact amounts stay in the labels and tooltips.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from tokenwallet.core.money import NANO_PER_USD
from tokenwallet.gui.display import Display, short_tokens
from tokenwallet.gui.views.dashboard_data import DashboardData

PALETTE = ["#1f6feb", "#2da44e", "#d4a72c", "#cf222e", "#8250df", "#1b7c83", "#8c959f"]


def _chart() -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # a refresh must not replay animations
    chart.setBackgroundRoundness(6)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(chart.margins() * 0)
    return chart


def _side_legend(chart: QChart) -> None:
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignRight)
    font = legend.font()
    font.setPointSize(8)
    legend.setFont(font)


class DailyChart(QChartView):
    """Stacked bars: one bar per day, one colour per key; money or tokens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_chart(), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)

    def show_data(self, data: DashboardData, metric: str, display: Display) -> None:
        chart = _chart()
        series = QStackedBarSeries()
        top = 0.0
        per_day = [0.0] * len(data.days)
        for i, s in enumerate(data.series):
            bar = QBarSet(s.key)
            bar.setColor(QColor(PALETTE[i % len(PALETTE)]))
            bar.setBorderColor(QColor(PALETTE[i % len(PALETTE)]))
            values = (
                [float(c * display.rate) / NANO_PER_USD for c in s.cost]
                if metric == "money"
                else [float(t) for t in s.tokens]
            )
            for d, v in enumerate(values):
                per_day[d] += v
            bar.append(values)
            series.append(bar)
        top = max(per_day, default=0.0)
        chart.addSeries(series)
        # a value axis with labels every third day (ending today): category labels for 30 bars would
        # be elided to "…" by QtCharts
        axis_x = QCategoryAxis()
        axis_x.setRange(-0.5, len(data.days) - 0.5)
        axis_x.setStartValue(-0.5)
        axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis_x.setGridLineVisible(False)
        last = len(data.days) - 1
        for pos, day in enumerate(data.days):
            if (last - pos) % 3 == 0:
                axis_x.append(f"{day.day} {day:%b}", pos)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, top * 1.1 if top > 0 else 1)
        # QtCharts' printf-style label format mangles a non-ASCII sign (¥, €, £): those currencies
        # are named in the axis title instead
        ascii_sign = display.symbol.isascii()
        axis_y.setLabelFormat(f"{display.symbol if ascii_sign else ''}%.2f" if metric == "money" else "%.0f")
        if metric == "money" and not ascii_sign:
            axis_y.setTitleText(display.currency)
        axis_y.setTickCount(5)
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        what = "spend" if metric == "money" else "tokens"
        if data.grouped:
            chart.setTitle(f"Daily {what} by {data.group_by}, last {len(data.days)} days")
        else:
            chart.setTitle(f"Daily {what} of profile {data.profile}, last {len(data.days)} days")
        if not data.series:
            chart.setTitle("No calls in the last 30 days yet")
        old = self.chart()
        self.setChart(chart)
        old.deleteLater()


class ShareChart(QChartView):
    """A donut: each key's share of the range's spend (or tokens)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_chart(), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(460, 260)

    def show_data(self, data: DashboardData, metric: str, display: Display) -> None:
        chart = _chart()
        pie = QPieSeries()
        pie.setHoleSize(0.45)
        if not data.grouped:
            for i, (model, tokens) in enumerate(data.token_mix[:7]):
                sl = pie.append(f"{model}: {short_tokens(tokens)}", float(tokens))
                sl.setColor(QColor(PALETTE[i % len(PALETTE)]))
                sl.setBorderColor(QColor("#ffffff"))
            chart.addSeries(pie)
            _side_legend(chart)
            chart.setTitle(f"Tokens of {data.profile} by model")
            self._swap(chart)
            return
        for i, s in enumerate(data.series):
            total_cost, total_tok = sum(s.cost), sum(s.tokens)
            value = float(total_cost) if metric == "money" else float(total_tok)
            if value <= 0:
                continue
            label = (
                f"{s.key}: {display.money(total_cost)}"
                if metric == "money"
                else f"{s.key}: {short_tokens(total_tok)}"
            )
            sl = pie.append(label, value)
            sl.setColor(QColor(PALETTE[i % len(PALETTE)]))
            sl.setBorderColor(QColor("#ffffff"))
        chart.addSeries(pie)
        _side_legend(chart)
        chart.setTitle(f"Share by {data.group_by}")
        self._swap(chart)

    def _swap(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        old.deleteLater()
