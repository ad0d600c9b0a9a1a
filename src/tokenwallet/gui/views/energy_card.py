"""The dashboard's energy card: this month's energy with a comparison people know, CO₂, tokens per Wh."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core.energy_text import co2_text, range_text, wh_text
from tokenwallet.gui.display import month_name
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.views.energy_data import EnergyData
from tokenwallet.gui.views.energy_text import EV_SOURCE_TEXT, ev_km

TABLE_HEADERS = [QT_TR_NOOP("Model"), QT_TR_NOOP("Tokens per Wh"), QT_TR_NOOP("Energy"), QT_TR_NOOP("Calls")]


class EnergyCard(QFrame):
    """Shows one :class:`EnergyData`; ``show_data`` redraws it in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("energyCard")
        self.setStyleSheet(
            "QFrame#energyCard{background:#ffffff; border:1px solid #d0d7de; border-radius:8px;}"
            " QFrame#energyCard QLabel{color:#1f2328;}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        self.title = QLabel(tr("<b>Energy</b>"))
        self.title.setStyleSheet("font-size:14px;")
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size:15px;")
        self.headline.setToolTip(tr(EV_SOURCE_TEXT))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("color:#57606a;")
        self.table = QTableWidget(0, len(TABLE_HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in TABLE_HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(TABLE_HEADERS)):
            self.table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip(tr("Output tokens per watt-hour: more is greener. ~ marks an estimate."))
        for w in (self.title, self.headline, self.detail, self.table):
            layout.addWidget(w)

    def show_data(self, data: EnergyData) -> None:
        t = data.total
        pending = (
            tr(" · computing energy for {pending:,} more calls…").format(pending=data.pending)
            if data.pending
            else ""
        )
        if t is None:
            self.headline.setText(tr("{month}: no energy figures yet").format(month=month_name(data.month)))
            self.detail.setText(
                tr("Electricity mix: {zone}{pending}").format(zone=data.zone, pending=pending)
            )
            self.table.setRowCount(0)
            self.table.setVisible(False)
            return
        mid = (t.uwh_min + t.uwh_max) / 2
        self.headline.setText(
            tr("This month: <b>{wh_text}</b> {ev_km_text}").format(
                wh_text=wh_text(mid), ev_km_text=ev_km(mid)
            )
        )
        estimated = (
            tr(", {estimated_calls:,} estimated").format(estimated_calls=t.estimated_calls)
            if t.estimated_calls
            else ""
        )
        self.detail.setText(
            tr(
                "{range_text} · {range_text2} CO₂e in the {zone} electricity mix · {calls:,} "
                "calls{estimated} · figures by ecologits{pending}"
            ).format(
                range_text=range_text(t.uwh_min, t.uwh_max),
                range_text2=range_text(t.ug_min, t.ug_max, co2_text),
                zone=data.zone,
                calls=t.calls,
                estimated=estimated,
                pending=pending,
            )
        )
        self.table.setVisible(True)
        self.table.setRowCount(len(data.by_model))
        for r, m in enumerate(data.by_model):
            tpw = m.tokens_per_wh
            mark = "~" if m.estimated_calls else ""
            cells = [
                m.key or "",
                f"{mark}{tpw:,.0f}" if tpw is not None else "",
                f"{mark}{wh_text((m.uwh_min + m.uwh_max) / 2)}",
                f"{m.calls:,}",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        rows_h = self.table.verticalHeader().defaultSectionSize() * max(len(data.by_model), 1)
        self.table.setFixedHeight(self.table.horizontalHeader().height() + rows_h + 8)
