"""The Transcripts tab: transcription jobs with their state, progress and time left, and the
actions on the selected one (pause, resume, cancel, retry, remove)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.transcription.jobs import JobState, TranscriptionJob, describe_duration
from podplayer.gui.keyboard_menus import open_menus_from_keyboard

EMPTY_TEXT = (
    "No transcripts are being made. For an episode without a transcript, the transcript pane "
    "offers to make one on this computer."
)
_ACTIONS: dict[str, tuple[str, str, frozenset[JobState]]] = {
    "pause": ("Pause", "Pause the selected job", frozenset({JobState.QUEUED, JobState.RUNNING})),
    "resume": ("Resume", "Go on with the selected job", frozenset({JobState.PAUSED})),
    "cancel": (
        "Cancel",
        "Stop the selected job; nothing of it is kept",
        frozenset({JobState.QUEUED, JobState.RUNNING, JobState.PAUSED}),
    ),
    "retry": (
        "Retry",
        "Make the selected transcript again",
        frozenset({JobState.FAILED, JobState.CANCELLED}),
    ),
    "remove": (
        "Remove",
        "Take the selected finished job off this list (a transcript made stays)",
        frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED}),
    ),
}


def job_status(job: TranscriptionJob, speed: float) -> str:
    """What the list says about a job: 'Queued', '45% · about 2 minutes left', 'Failed: …'."""
    fraction = job.fraction
    percent = f"{round(fraction * 100)}%" if fraction is not None else ""
    if job.state is JobState.QUEUED:
        return "Queued"
    if job.state is JobState.RUNNING:
        if fraction is None or not job.progress_ms:
            return job.stage or "Starting …"
        left = job.seconds_left(speed)
        return f"{percent} · {describe_duration(left)} left" if left is not None else percent
    if job.state is JobState.PAUSED:
        return f"Paused at {percent}" if percent else "Paused"
    if job.state is JobState.DONE:
        return "Done"
    if job.state is JobState.CANCELLED:
        return "Cancelled"
    return f"Failed: {job.error}"


class TranscriptionJobsView(QWidget):
    """Shows jobs as ``show_job`` is told of them; the buttons ask with the job's id."""

    action_requested = Signal(str, int)  # action name (see _ACTIONS), job id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.speed = 0.15
        self._items: dict[int, QTreeWidgetItem] = {}
        self._jobs: dict[int, TranscriptionJob] = {}
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Episode", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Transcription jobs")
        self.tree.setToolTip("Transcripts being made on this computer; select one to act on it")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._update_actions)
        heading = QLabel("Transcripts made on this computer")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        open_menus_from_keyboard(self.tree)
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.toolbar = QToolBar("Transcription actions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        for name, (label, tooltip, _) in _ACTIONS.items():
            action = QAction(label, self)
            action.setObjectName(f"transcription-{name}")
            action.setToolTip(tooltip)
            action.triggered.connect(lambda _=False, name=name: self._act(name))
            self.toolbar.addAction(action)
            self.actions_by_name[name] = action
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(f"{label} transcription")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree, 1)
        self._update_actions()
        self._update_empty()

    def show_jobs(self, jobs: list[TranscriptionJob]) -> None:
        for job in jobs:
            self.show_job(job)

    def show_job(self, job: TranscriptionJob) -> None:
        """Add or update the job's row (active jobs stay in queue order at the top)."""
        item = self._items.get(job.id)
        if item is None:
            item = QTreeWidgetItem()
            self._items[job.id] = item
            self.tree.addTopLevelItem(item)
        self._jobs[job.id] = job
        item.setText(0, job.episode_title or f"Episode {job.episode_id}")
        item.setToolTip(0, job.episode_title)
        status = job_status(job, self.speed)
        item.setText(1, status)
        item.setToolTip(1, status if job.state is JobState.FAILED else "")
        item.setData(0, Qt.ItemDataRole.UserRole, job.id)
        self._update_actions()
        self._update_empty()

    def show_only(self, jobs: list[TranscriptionJob]) -> None:
        """Show these jobs and forget the rows of any others (their episodes were removed)."""
        kept = {job.id for job in jobs}
        for job_id in [job_id for job_id in self._items if job_id not in kept]:
            self.forget_job(job_id)
        self.show_jobs(jobs)

    def forget_job(self, job_id: int) -> None:
        item = self._items.pop(job_id, None)
        self._jobs.pop(job_id, None)
        if item is not None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self._update_actions()
        self._update_empty()

    def job(self, job_id: int) -> TranscriptionJob | None:
        return self._jobs.get(job_id)

    def status_text(self, job_id: int) -> str:
        item = self._items.get(job_id)
        return item.text(1) if item is not None else ""

    def select_job(self, job_id: int) -> None:
        item = self._items.get(job_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def selected_job(self) -> TranscriptionJob | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        return self._jobs.get(int(items[0].data(0, Qt.ItemDataRole.UserRole)))

    def _act(self, name: str) -> None:
        job = self.selected_job()
        if job is not None:
            self.action_requested.emit(name, job.id)

    def _update_actions(self) -> None:
        """Only what applies to the selected job is offered (the side panel is narrow)."""
        job = self.selected_job()
        for name, (_, _, states) in _ACTIONS.items():
            applies = job is not None and job.state in states
            self.actions_by_name[name].setVisible(applies)
            self.actions_by_name[name].setEnabled(applies)

    def _menu(self, point: QPoint) -> None:
        # The Menu key or Shift+F10 asks at a point that may hold no row: the current one then.
        item = self.tree.itemAt(point) or self.tree.currentItem()
        if item is None:
            return
        self.tree.setCurrentItem(item)
        menu = QMenu(self)
        for action in self.actions_by_name.values():
            if action.isVisible():
                menu.addAction(action)
        if menu.actions():
            menu.exec(self.tree.viewport().mapToGlobal(point))

    def _update_empty(self) -> None:
        self.empty_label.setVisible(not self._items)
