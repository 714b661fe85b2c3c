"""Start an evaluation: describe the interaction (or reuse one) and choose a published form."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.date_format import centre_moment
from qa_monitor.core.forms import Channel
from qa_monitor.core.records import Direction, EvaluationKind, InteractionData
from qa_monitor.services import Services
from qa_monitor.ui.date_texts import centre_day, date_pattern, date_style, moment_text
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit

LAST_FORM_KEY = "new_evaluation/form_version"
CHANNEL_ROLE = Qt.ItemDataRole.UserRole + 1


class NewEvaluationDialog(QDialog):
    """Collects what ``start_evaluation`` needs: a queued interaction (``interaction_id``) or
    a new one (``interaction_data``), plus ``form_version_id`` and ``kind``. Nothing is
    stored until the caller acts."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New evaluation"))
        self.setMinimumWidth(640)
        self.interaction_data: InteractionData | None = None
        self.interaction_id: int | None = None
        self.form_version_id: int | None = None
        self.kind = EvaluationKind.REGULAR
        layout = QVBoxLayout(self)
        common = QFormLayout()
        form = QFormLayout()
        self.form_combo = QComboBox()
        # version id -> the channels its form is made for (empty: any channel)
        self._form_channels: dict[int, tuple[Channel, ...]] = {}
        for version in services.forms.published_versions():
            self.form_combo.addItem(f"{version.form.title} (v{version.version})", version.id)
            self._form_channels[version.id] = tuple(version.form.channels)
        self._select_form(QSettings().value(LAST_FORM_KEY))
        self.agent = QComboBox()
        self.agent.setEditable(False)
        for agent in services.people.list_agents(active_only=True):
            self.agent.addItem(agent.name, agent.id)
        # Typed and shown in the centre's time zone, as every moment is; stored in UTC.
        self._zone = services.settings.centre().timezone
        now = centre_moment(services.clock(), self._zone).replace(tzinfo=None, second=0)
        self.started = QDateTimeEdit(QDateTime(now), calendarPopup=True)
        set_up_date_edit(self.started, centre_day(services))
        self.started.setDisplayFormat(f"{date_pattern()} {date_style().time_pattern}")
        self.started.setToolTip(self.tr("When the call started, in the centre's time zone ({0})")
                                .format(self._zone))  # fmt: skip
        self.channel = QComboBox()
        for channel in Channel:
            self.channel.addItem(self.tr(channel.value.capitalize()), channel)
        self.direction = QComboBox()
        for direction in Direction:
            self.direction.addItem(self.tr(direction.value.capitalize()), direction)
        self.kind_combo = QComboBox()
        for kind in EvaluationKind:
            self.kind_combo.addItem(self.tr(kind.value.capitalize()), kind)
        self.external_id = QLineEdit(placeholderText=self.tr("Call or ticket id from your system"))
        self.duration = QSpinBox(maximum=24 * 3600, suffix=self.tr(" s"))
        self.customer = QLineEdit(placeholderText=self.tr("Customer reference"))
        self.reason = QLineEdit(placeholderText=self.tr("e.g. billing question, cancellation"))
        self.recording = QLineEdit(placeholderText=self.tr("Audio file (optional)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        rec_row = QHBoxLayout()
        rec_row.addWidget(self.recording, 1)
        rec_row.addWidget(browse)
        self.transcript = QPlainTextEdit(
            placeholderText=self.tr("Paste a chat or email transcript (optional)")
        )
        self.transcript.setMaximumHeight(120)
        for label, widget in (
            (self.tr("&Form"), self.form_combo),
            (self.tr("&Kind"), self.kind_combo),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            common.addRow(label, widget)
        layout.addLayout(common)
        self.tabs = QTabWidget()
        self.queue = self._queue_list(services)
        self.tabs.addTab(self.queue, self.tr("From the &queue ({0})").format(self.queue.count()))
        rows = [
            (self.tr("&Agent"), self.agent),
            (self.tr("&Started"), self.started),
            (self.tr("&Channel"), self.channel),
            (self.tr("&Direction"), self.direction),
            (self.tr("&External id"), self.external_id),
            (self.tr("D&uration"), self.duration),
            (self.tr("Customer"), self.customer),
            (self.tr("Contact &reason"), self.reason),
        ]
        for label, widget in rows:
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label, widget)
        form.addRow(self.tr("Recording"), rec_row)
        form.addRow(self.tr("Transcript"), self.transcript)
        new_page = QWidget()
        new_page.setLayout(form)
        self.tabs.addTab(new_page, self.tr("&New interaction"))
        if not self.queue.count():
            self.tabs.setCurrentIndex(1)
        layout.addWidget(self.tabs)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start evaluation"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.queue.currentItemChanged.connect(lambda *_: self._default_form())
        self.channel.currentIndexChanged.connect(lambda _i: self._default_form())
        self.tabs.currentChanged.connect(lambda _i: self._default_form())
        self._default_form()
        # Most evaluations start from the queue: the first call is one Enter away.
        first: QWidget = self.queue if self.queue.count() else self.agent
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _channel(self) -> Channel | None:
        if self.tabs.currentIndex() == 0:
            item = self.queue.currentItem()
            value = item.data(CHANNEL_ROLE) if item is not None else None
        else:
            value = self.channel.currentData()
        return Channel(value) if value else None

    def _default_form(self) -> None:
        """The form for the interaction: one made for its channel (the most specific first),
        else the form chosen last time."""
        channel = self._channel()
        fitting = [
            (len(channels), index)
            for index in range(self.form_combo.count())
            if channel in (channels := self._form_channels.get(self.form_combo.itemData(index), ()))
        ]
        if fitting and channel is not None:
            self.form_combo.setCurrentIndex(min(fitting)[1])
        else:
            self._select_form(QSettings().value(LAST_FORM_KEY))

    def _select_form(self, version_id: object) -> None:
        index = self.form_combo.findData(int(str(version_id))) if str(version_id).isdigit() else -1
        if index >= 0:
            self.form_combo.setCurrentIndex(index)

    def _queue_list(self, services: Services) -> QListWidget:
        """Interactions nobody has started evaluating yet (imported call logs), newest first."""
        names = {a.id: a.name for a in services.people.list_agents()}
        queue = QListWidget()
        queue.setAccessibleName(self.tr("Interactions waiting for evaluation"))
        zone = services.settings.centre().timezone
        for item in services.interactions.list_interactions(unevaluated_only=True, limit=500):
            started = moment_text(item.started_at, zone)
            parts = [started, names.get(item.agent_id, "?"), self.tr(item.channel.value)]
            if item.external_id:
                parts.append(f"#{item.external_id}")
            if item.contact_reason:
                parts.append(item.contact_reason)
            row = QListWidgetItem(" · ".join(parts))
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setData(CHANNEL_ROLE, item.channel.value)
            queue.addItem(row)
        if queue.count():
            queue.setCurrentRow(0)
        queue.itemDoubleClicked.connect(lambda _i: self._accept())
        return queue

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Recording"),
            "",
            self.tr("Audio (*.wav *.mp3 *.ogg *.m4a *.opus);;All files (*)"),
        )
        if path:
            self.recording.setText(path)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _accept(self) -> None:
        if self.form_combo.currentData() is None:
            self._fail(self.tr("No published form yet. Publish a form in Forms first."))
            return
        self.form_version_id = int(self.form_combo.currentData())
        QSettings().setValue(LAST_FORM_KEY, self.form_version_id)  # the default next time
        # Qt hands enum data back as plain text: rebuild the enums.
        self.kind = EvaluationKind(self.kind_combo.currentData())
        if self.tabs.currentIndex() == 0:
            current = self.queue.currentItem()
            if current is None:
                self._fail(
                    self.tr(
                        "The queue is empty: describe the interaction on the New interaction tab."
                    )
                )
                return
            self.interaction_id = int(current.data(Qt.ItemDataRole.UserRole))
            self.accept()
            return
        if self.agent.currentData() is None:
            self._fail(self.tr("No active agents yet. Add agents in People, or import a roster."))
            return
        typed = self.started.dateTime().toPython()
        started = typed.replace(tzinfo=ZoneInfo(self._zone)).astimezone(UTC)
        self.interaction_data = InteractionData(
            channel=Channel(self.channel.currentData()),
            started_at=started,
            agent_id=int(self.agent.currentData()),
            external_id=self.external_id.text().strip() or None,
            direction=Direction(self.direction.currentData()),
            duration_s=float(self.duration.value()) or None,
            customer_ref=self.customer.text().strip() or None,
            contact_reason=self.reason.text().strip() or None,
            recording_path=self.recording.text().strip() or None,
            transcript=self.transcript.toPlainText().strip() or None,
        )
        self.accept()
