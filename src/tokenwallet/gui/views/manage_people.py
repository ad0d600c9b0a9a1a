"""Profiles (who spends) and projects/clients (for whom): create, rename, rotate keys, pause."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tokenwallet.core.model_patterns import RuleSet
from tokenwallet.core.money import format_tokens
from tokenwallet.gui.i18n import tr
from tokenwallet.gui.session import Session
from tokenwallet.gui.views.widgets import (
    EditorTab,
    KeyDialog,
    StatusLine,
    fill_table,
    plain_table,
)
from tokenwallet.gui.words import word

ROLES = ("member", "agent", "owner")


class ProfilesTab(EditorTab):
    """Profiles with create, rename, rotate key (shown once), new key and pause/resume."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key_dialog: KeyDialog | None = None
        self.table = plain_table(
            [
                tr("Profile"),
                tr("Role"),
                tr("State"),
                tr("Keys"),
                tr("Spent this month"),
                tr("Tokens this month"),
                tr("Created"),
                tr("May call"),
            ],
            empty=tr("No profiles yet — create one below: each person or tool gets its own key."),
        )
        self.table.itemSelectionChanged.connect(self._selected)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("e.g. alice, ci-agent"))
        self.role = QComboBox()
        self.role.setEditable(True)
        for r in ROLES:
            self.role.addItem(word(r), r)
        self.create_button = QPushButton(tr("Create profile"))
        self.create_button.clicked.connect(self.create_profile)
        self.rename_button = QPushButton(tr("Rename selected to this name"))
        self.rename_button.clicked.connect(self.rename)
        self.rotate_button = QPushButton(tr("Rotate key…"))
        self.rotate_button.setToolTip(tr("Revokes the selected profile's keys and shows a new one once."))
        self.rotate_button.clicked.connect(self.rotate)
        self.pause_button = QPushButton(tr("Pause / resume selected"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.allow = QLineEdit()
        self.allow.setPlaceholderText(tr("tier:small, gpt-4o*, anthropic/* … (empty: any model)"))
        self.deny = QLineEdit()
        self.deny.setPlaceholderText(tr("*opus*, openrouter/* …"))
        self.on_refused = QComboBox()
        self.on_refused.addItem(tr("refuse the call (403)"), "block")
        self.on_refused.addItem(tr("switch to an allowed cheaper model"), "downgrade")
        self.rules_button = QPushButton(tr("Save model rules for selected"))
        self.rules_button.clicked.connect(self.save_rules)
        self.status = StatusLine()

        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Role"), self.role)
        form.addRow(tr("May call"), self.allow)
        form.addRow(tr("Never"), self.deny)
        form.addRow(tr("Other models"), self.on_refused)
        # what makes or renames a profile, then what acts on the selected one: two short rows
        # (five buttons in one would hold the window wider than 1024 px with large fonts)
        make, selected = QHBoxLayout(), QHBoxLayout()
        for row, group in (
            (make, (self.create_button, self.rename_button)),
            (selected, (self.rotate_button, self.pause_button, self.rules_button)),
        ):
            for b in group:
                row.addWidget(b)
            row.addStretch(1)
        box = QGroupBox(tr("Profile"))
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addLayout(make)
        inner.addLayout(selected)
        inner.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        session.walletChanged.connect(self.wallet_changed)
        self.reload()

    def reload(self) -> None:
        wallet, d = self.session.wallet, self.session.display
        today = datetime.now(ZoneInfo(str(wallet.get_setting("timezone")))).date()  # the wallet's days
        spent: dict[str, tuple[int, int]] = {}
        for r in wallet.daily_spend(since=today.replace(day=1), until=today, by="profile"):
            cost, tokens = spent.get(r.key or "", (0, 0))
            spent[r.key or ""] = (cost + r.cost_nano, tokens + r.tokens)
        keys: dict[str, int] = {}
        for k in wallet.keys():  # noqa: SIM118 - Wallet.keys() lists wallet keys; a Wallet is no dict
            if k.revoked_at is None:
                keys[k.profile] = keys.get(k.profile, 0) + 1
        rows = []
        for p in wallet.profiles():
            cost, tokens = spent.get(p.name, (0, 0))
            rows.append(
                [
                    p.name,
                    p.role,
                    "paused" if p.paused else "active",
                    str(keys.get(p.name, 0)),
                    d.money(cost),
                    format_tokens(tokens),
                    p.created_at.astimezone().strftime("%Y-%m-%d"),
                    _may_call(wallet.model_rules(p.name)),
                ]
            )
        fill_table(self.table, rows)

    def selected(self) -> str | None:
        items = self.table.selectedItems()
        if not items:
            return None
        item = self.table.item(items[0].row(), 0)
        return item.text() if item is not None else None

    def _selected(self) -> None:
        name = self.selected()
        if name:
            self.name.setText(name)
            rules = self.session.wallet.model_rules(name)
            self.allow.setText(", ".join(p.text for p in rules.allow))
            self.deny.setText(", ".join(p.text for p in rules.deny))
            self.on_refused.setCurrentIndex(self.on_refused.findData(rules.action))

    def save_rules(self) -> None:
        """Replace the selected profile's model rules with the fields (owner PIN on a household)."""
        name = self.selected()
        if not name:
            self.status.error(tr("Select the profile whose models to limit."))
            return
        allow = self.allow.text().replace(",", " ").split()
        deny = self.deny.text().replace(",", " ").split()
        action = str(self.on_refused.currentData())
        wallet = self.session.wallet
        done = self.apply_edit(
            self.status,
            tr("change which models {name} may call").format(name=name),
            tr("Not saved"),
            lambda: wallet.set_model_rules(name, allow=allow, deny=deny, action=action),
        )
        if done is not None:
            self.status.ok(
                tr("{name} may call: {may_call}. The proxy applies it within a second.").format(
                    name=name, may_call=_may_call(done.value)
                )
            )

    def _show_key(self, profile: str, key: str) -> None:
        self.session.revealed_keys[profile] = key
        self.key_dialog = KeyDialog(profile, key, self)
        self.key_dialog.open()

    def create_profile(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.status.error(tr("Type a name for the new profile."))
            return
        typed = self.role.currentText().strip()
        known = self.role.findText(typed)
        role = str(self.role.itemData(known)) if known >= 0 else typed or "member"
        wallet = self.session.wallet
        done = self.apply_edit(
            self.status, tr("add a profile"), tr("Not created"), lambda: wallet.add_profile(name, role=role)
        )
        if done is None:
            return
        profile, key = done.value
        self.status.ok(
            tr("Created profile {name}. Its key is shown once — copy it now.").format(name=profile.name)
        )
        self._show_key(profile.name, key)

    def rename(self) -> None:
        old, new = self.selected(), self.name.text().strip()
        if not old:
            self.status.error(tr("Select the profile to rename in the table first."))
            return
        if not new or new == old:
            self.status.error(tr("Type the new name in the Name field."))
            return
        wallet = self.session.wallet
        if (
            self.apply_edit(
                self.status,
                tr("rename a profile"),
                tr("Not renamed"),
                lambda: wallet.rename_profile(old, new),
            )
            is None
        ):
            return
        if old in self.session.revealed_keys:
            self.session.revealed_keys[new] = self.session.revealed_keys.pop(old)
        if self.session.profile == old:
            self.session.set_profile(new)
        self.status.ok(tr("Renamed {old} to {new}; its keys keep working.").format(old=old, new=new))

    def rotate(self) -> None:
        name = self.selected()
        if not name:
            self.status.error(tr("Select the profile whose key to rotate."))
            return
        wallet = self.session.wallet
        done = self.apply_edit(
            self.status,
            tr("replace a profile's keys"),
            tr("Key not rotated"),
            lambda: wallet.rotate_key(name),
        )
        if done is None:
            return
        key = done.value
        self.status.ok(
            tr("Rotated: {name}'s old keys stop working now. The new key is shown once.").format(name=name)
        )
        self._show_key(name, key)

    def toggle_pause(self) -> None:
        name = self.selected()
        if not name:
            self.status.error(tr("Select a profile to pause or resume."))
            return
        wallet = self.session.wallet

        def flip() -> bool:
            paused = not wallet.profile(name).paused
            wallet.set_profile_paused(name, paused)
            return paused

        done = self.apply_edit(self.status, tr("pause or resume a profile"), tr("Not changed"), flip)
        if done is None:
            return
        paused = done.value
        self.status.ok(
            tr("{name} is {value}.").format(
                name=name, value=tr("paused: its calls are refused") if paused else tr("active again")
            )
        )


def _may_call(rules: RuleSet) -> str:
    return rules.describe() + (tr(" (household default)") if rules.source == "household" else "")


class ProjectsTab(EditorTab):
    """Projects (clients) that calls can be tagged with."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = plain_table(
            [tr("Project"), tr("Client"), tr("Contact"), tr("Notes")],
            empty=tr("No projects yet — add one below to bill a client."),
        )
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("e.g. acme-site"))
        self.client = QLineEdit()
        self.contact = QLineEdit()
        self.notes = QLineEdit()
        self.create_button = QPushButton(tr("Create project"))
        self.create_button.clicked.connect(self.create_project)
        self.status = StatusLine()
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Client"), self.client)
        form.addRow(tr("Contact"), self.contact)
        form.addRow(tr("Notes"), self.notes)
        box = QGroupBox(tr("New project / client"))
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addWidget(self.create_button)
        inner.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        session.walletChanged.connect(self.wallet_changed)
        self.reload()

    def reload(self) -> None:
        rows = [
            [p.name, getattr(p, "client", ""), getattr(p, "contact", ""), getattr(p, "notes", "")]
            for p in self.session.wallet.projects()
        ]
        fill_table(self.table, rows)

    def create_project(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.status.error(tr("Type a name for the project."))
            return
        fields = {
            k: w.text().strip()
            for k, w in (("client", self.client), ("contact", self.contact), ("notes", self.notes))
            if w.text().strip()
        }
        wallet = self.session.wallet
        if (
            self.apply_edit(
                self.status,
                tr("add a project"),
                tr("Not created"),
                lambda: wallet.add_project(name, **fields),
            )
            is None
        ):
            return
        for w in (self.name, self.client, self.contact, self.notes):
            w.clear()
        self.status.ok(
            tr("Created project {name}. Tag calls with the header X-Tokenwallet-Project: {name}.").format(
                name=name
            )
        )
