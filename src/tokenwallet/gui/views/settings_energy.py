"""Settings → Energy: the electricity mix that turns energy into CO₂, and the GPU's watts for local models.

A zone change applies to calls computed from then on; a row keeps the zone it was computed in.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from tokenwallet.core.energy_zone import known_zones, zone_for_timezone
from tokenwallet.gui.i18n import QT_TR_NOOP, tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.widgets import StatusLine

HINT = QT_TR_NOOP(
    "Energy per call comes from ecologits; CO₂ from the electricity mix: an ISO country code "
    "(FRA, USA…), WOR for the world average or EEE for Europe; automatic uses the country of the "
    "wallet's time zone."
)


class EnergyBox(QGroupBox):
    """The "Energy and CO₂" group of the Settings page."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(tr("Energy and CO₂"), parent)
        self.session = session
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.watts = QSpinBox()
        self.watts.setRange(1, 5000)
        self.watts.setSuffix(" W")
        self.save_button = QPushButton(tr("Save energy settings"))
        self.save_button.clicked.connect(self.save)
        self.status = StatusLine()
        hint = QLabel(tr(HINT))
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#57606a;")
        form = QFormLayout(self)
        form.addRow(tr("Electricity mix"), self.zone)
        form.addRow(tr("GPU draw (Ollama, LM Studio)"), self.watts)
        form.addRow("", hint)
        form.addRow("", self.save_button)
        form.addRow("", self.status)
        self.load()

    def load(self) -> None:
        w = self.session.wallet
        tz = str(w.get_setting("timezone"))
        self.zone.clear()
        self.zone.addItem(
            tr("automatic: {zone_for_timezone} (from the time zone {tz})").format(
                zone_for_timezone=zone_for_timezone(tz), tz=tz
            ),
            None,
        )
        for z in sorted(known_zones()):
            self.zone.addItem(z, z)
        chosen = w.get_setting("energy_zone")
        self.zone.setCurrentIndex(max(0, self.zone.findData(chosen)) if chosen else 0)
        self.watts.setValue(int(w.get_setting("gpu_watts")))

    def save(self) -> None:
        from tokenwallet.wallet.errors import WalletError
        from tokenwallet.wallet.settings import setting

        text = self.zone.currentText().strip()
        value = None if not text or text.startswith("automatic") else text  # typed or picked code
        try:
            zone = setting("energy_zone").parse(value)
        except WalletError:
            self.status.error(
                tr("Not saved: no electricity mix for {text!r} (an ISO code like FRA, or WOR)").format(
                    text=text
                )
            )
            return
        w = self.session.wallet
        w.set_setting("energy_zone", zone)
        w.set_setting("gpu_watts", self.watts.value())
        self.session.notify_changed()
        self.status.ok(
            tr("Saved: {energy_zone} mix, {value} W; applies to calls computed from now.").format(
                energy_zone=w.energy_zone(), value=self.watts.value()
            )
        )
