"""Spend-over-time charts (QtCharts): stacked bars per day and a share donut for the range.

Chart values are floats for drawing only; the exact amounts stay in the labels and tooltips.
Both axes are category axes with labels we write ourselves: the value axis gets "nice" steps
with just enough decimals to tell them apart (never "$0.01, $0.01"), the day axis as many labels
as fit the width (never "11 N…"). Colours come from the theme, so light and dark both read.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from html import escape

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QPieSeries,
    QStackedBarSeries,
)
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from tokenwallet.core.money import NANO_PER_USD
from tokenwallet.gui import theme
from tokenwallet.gui.display import Display, short_date, short_tokens
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.theme import SPACE_M
from tokenwallet.gui.views.dashboard_data import DashboardData
from tokenwallet.gui.words import word

WIDE_DAY = date(2026, 11, 29)  # a wide day label: how much room one takes on the axis
Y_TICKS = 4  # steps on the value axis
CHART_HEIGHT, EMPTY_HEIGHT = 260, 64  # px
EMPTY_DAILY = QT_TR_NOOP("No calls yet — connect a tool (Connect your tools) to see daily spend")
EMPTY_SHARE = QT_TR_NOOP("Nothing spent in the last 30 days yet")


def nice_step(top: float, ticks: int = Y_TICKS) -> float:
    """The 1-2-5 step that covers ``top`` in about ``ticks`` steps (0 → 1)."""
    if top <= 0 or not math.isfinite(top):
        return 1.0
    raw = top / ticks
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag * (1 + 1e-9):
            return m * mag
    return 10 * mag


def step_decimals(step: float) -> int:
    """Decimals that tell the axis steps apart: 0.25 → 2, 0.005 → 3, 20 → 0."""
    d = Decimal(repr(step)).normalize()
    exponent = d.as_tuple().exponent
    return max(0, -int(exponent)) if isinstance(exponent, int) else 0


def value_labels(top: float, money: bool, symbol: str) -> list[tuple[float, str]]:
    """(value, label) for the value axis, from 0 to a nice ceiling above ``top``."""
    step = nice_step(top)
    n = max(1, math.ceil(top / step - 1e-9)) if top > 0 else Y_TICKS
    # money: whole units for steps of 1 and more, else cents at least ($0.20, $0.005)
    places = (0 if step >= 1 else max(2, step_decimals(step))) if money else 0
    out = []
    for i in range(n + 1):
        v = round(i * step, 10)
        out.append((v, f"{symbol}{v:,.{places}f}" if money else short_tokens(int(v))))
    return out


def day_stride(days: int, plot_px: int, label_px: int) -> int:
    """Label every Nth day so labels keep at least half their width apart."""
    if days <= 0 or plot_px <= 0:
        return 1
    per_day = plot_px / days
    return max(1, math.ceil(label_px * 1.5 / per_day))


def _chart(title: str = "") -> QChart:
    p = theme.current()
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # a refresh must not replay animations
    chart.setBackgroundRoundness(6)
    chart.setBackgroundBrush(QBrush(QColor(p.surface)))
    chart.setBackgroundPen(QPen(QColor(p.border)))
    chart.setTitleBrush(QBrush(QColor(p.text)))
    chart.legend().setLabelColor(QColor(p.text))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(0, 0, SPACE_M, 0))  # room for the last day's label at the right edge
    chart.setTitle(title)
    return chart


def _style_axis(axis: QAbstractAxis) -> None:
    p = theme.current()
    axis.setLabelsBrush(QBrush(QColor(p.muted)))
    axis.setLinePenColor(QColor(p.border))
    axis.setGridLineColor(QColor(p.border))


def fold(widget: QWidget, empty: bool) -> None:
    """An empty chart shrinks to a strip with its words; it grows back with the first calls."""
    widget.setMinimumHeight(EMPTY_HEIGHT if empty else CHART_HEIGHT)
    widget.setMaximumHeight(EMPTY_HEIGHT if empty else (1 << 24) - 1)


class DailyChart(QChartView):
    """Stacked bars: one bar per day, one colour per key; money or tokens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_chart(), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(CHART_HEIGHT)
        self._shown: tuple[DashboardData, str, Display] | None = None
        self._stride = 0

    def show_data(self, data: DashboardData, metric: str, display: Display) -> None:
        self._shown = (data, metric, display)
        what = tr("spend") if metric == "money" else tr("tokens")
        fold(self, not data.series)
        if not data.series:
            self._swap(_chart(tr(EMPTY_DAILY)))
            return
        if data.grouped:
            title = tr("Daily {what} by {group_by}, last {len} days").format(
                what=what, group_by=word(data.group_by), len=len(data.days)
            )
        else:
            title = tr("Daily {what} of profile {profile}, last {len} days").format(
                what=what, profile=data.profile, len=len(data.days)
            )
        chart = _chart(title)
        palette = theme.current().chart
        series = QStackedBarSeries()
        per_day = [0.0] * len(data.days)
        for i, s in enumerate(data.series):
            bar = QBarSet(word(s.key))
            bar.setColor(QColor(palette[i % len(palette)]))
            bar.setBorderColor(QColor(palette[i % len(palette)]))
            values = (
                [float(c * display.rate) / NANO_PER_USD for c in s.cost]
                if metric == "money"
                else [float(t) for t in s.tokens]
            )
            for d, v in enumerate(values):
                per_day[d] += v
            bar.append(values)
            series.append(bar)
        chart.addSeries(series)
        # the donut beside shows the same keys in the same colours: a bottom legend of 7 long model
        # names would only be elided ("claude-s…"); a single profile's bars keep theirs
        chart.legend().setVisible(not data.grouped and len(data.series) <= 4)
        axis_x = QCategoryAxis()
        axis_x.setRange(-0.5, len(data.days) - 0.5)
        axis_x.setStartValue(-0.5)
        axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis_x.setGridLineVisible(False)
        metrics = QFontMetrics(axis_x.labelsFont())
        self._stride = day_stride(
            len(data.days), self._plot_width(), metrics.horizontalAdvance(short_date(WIDE_DAY))
        )
        last = len(data.days) - 1
        for pos, day in enumerate(data.days):
            if (last - pos) % self._stride == 0:  # always today, then every Nth day before it
                axis_x.append(short_date(day), pos)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        labels = value_labels(max(per_day, default=0.0), metric == "money", display.symbol)
        axis_y = QCategoryAxis()
        axis_y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis_y.setStartValue(0)
        for v, text in labels:
            axis_y.append(text, v)
        axis_y.setRange(0, labels[-1][0])
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        for axis in (axis_x, axis_y):
            _style_axis(axis)
        self._swap(chart)

    def _plot_width(self) -> int:
        return max(100, self.width() - 90)  # the value axis' labels and the margins

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._shown is not None:
            data = self._shown[0]
            label = QFontMetrics(self.font()).horizontalAdvance(short_date(WIDE_DAY))
            if data.series and day_stride(len(data.days), self._plot_width(), label) != self._stride:
                self.show_data(*self._shown)

    def sizeHint(self) -> QSize:
        return QSize(480, 300)  # QChartView's own hint (600x600) would push the dashboard into a scroll

    def _swap(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        old.deleteLater()


class ShareChart(QWidget):
    """A donut: each key's share of the range's spend (or tokens), with its legend beside it as a
    label (QtCharts elides or clips a side legend in a narrow chart: "claude-s…")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartcard")  # one framed surface around the donut and its legend
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.view = QChartView(_chart())
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumSize(180, EMPTY_HEIGHT - 4)
        self.view.setStyleSheet("background: transparent")
        self.view.setFrameShape(QChartView.Shape.NoFrame)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.legend.setContentsMargins(0, 0, SPACE_M, 0)
        self.setMinimumHeight(CHART_HEIGHT)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 1)
        row.addWidget(self.legend)

    def sizeHint(self) -> QSize:
        return QSize(360, 300)

    def show_data(self, data: DashboardData, metric: str, display: Display) -> None:
        pie = QPieSeries()
        pie.setHoleSize(0.45)
        palette, p = theme.current().chart, theme.current()
        entries: list[tuple[str, float]] = []
        if not data.grouped:
            entries = [(f"{m}: {short_tokens(t)}", float(t)) for m, t in data.token_mix[:7] if t > 0]
            title = tr("Tokens of {profile} by model").format(profile=data.profile)
        else:
            for s in data.series:
                total_cost, total_tok = sum(s.cost), sum(s.tokens)
                value = float(total_cost) if metric == "money" else float(total_tok)
                if value > 0:
                    amount = display.money(total_cost) if metric == "money" else short_tokens(total_tok)
                    entries.append((f"{word(s.key)}: {amount}", value))
            title = tr("Share by {group_by}").format(group_by=word(data.group_by))
        fold(self, not entries)
        if not entries:
            self.legend.setText("")
            self.legend.setVisible(False)
            self._swap(_chart(tr(EMPTY_SHARE)))
            return
        chart = _chart(title)
        lines = []
        for i, (label, value) in enumerate(entries):
            color = palette[i % len(palette)]
            sl = pie.append(label, value)
            sl.setColor(QColor(color))
            sl.setBorderColor(QColor(p.surface))
            lines.append(f"<span style='color:{color}'>■</span>&nbsp;{escape(label)}")
        chart.addSeries(pie)
        chart.legend().setVisible(False)
        self.legend.setText("<br>".join(lines))
        self.legend.setVisible(True)
        self._swap(chart)

    def _swap(self, chart: QChart) -> None:
        chart.setBackgroundVisible(False)  # the frame and its colour are this widget's
        old = self.view.chart()
        self.view.setChart(chart)
        old.deleteLater()
