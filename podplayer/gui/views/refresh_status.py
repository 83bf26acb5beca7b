"""Refresh progress in the status bar, and a non-modal list of each feed's result."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.feeds.service import RefreshResult
from podplayer.gui.accessibility import announce
from podplayer.gui.text import plain_tooltip

FAILED_MARK = "⚠"
OK_MARK = "✓"


def summary_sentence(results: list[RefreshResult]) -> str:
    """One line about a whole refresh."""
    if not results:
        return "The refresh did not finish."
    failed = sum(result.failed for result in results)
    with_new = sum(bool(result.counts and result.counts.added) for result in results)
    new = sum(result.counts.added for result in results if result.counts)
    text = f"Refreshed {len(results)} podcast{'s' if len(results) != 1 else ''}: "
    if new:
        text += f"{new} new episode{'s' if new != 1 else ''} in {with_new}"
    else:
        text += "no new episodes"
    if failed:
        text += f", {failed} failed (marked {FAILED_MARK} in the list; see Details)"
    return text + "."


def _with_title(result: RefreshResult) -> str:
    """The result's sentence, led by the podcast's title unless it already is."""
    if result.message.startswith(result.title):
        return result.message
    return f"{result.title}: {result.message}"


class RefreshReportDialog(QDialog):
    """Each podcast's result of the last refresh, as plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Refresh results")
        self.setModal(False)
        self.resize(620, 380)
        self.list = QListWidget()
        self.list.setAccessibleName("Refresh results")
        self.list.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)

    def show_results(self, results: list[RefreshResult]) -> None:
        self.list.clear()
        for result in sorted(results, key=lambda r: (not r.failed, r.title.casefold())):
            mark = FAILED_MARK if result.failed else OK_MARK
            item = QListWidgetItem(f"{mark} {_with_title(result)}")
            item.setToolTip(plain_tooltip("\n".join([result.message, *result.warnings])))
            self.list.addItem(item)


class RefreshStatusWidget(QWidget):
    """A progress bar and the latest feed's result while refreshing; Details afterwards."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Refresh progress")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_button = QToolButton()
        self.details_button.setText("Details")
        self.details_button.setAccessibleName("Refresh details")
        self.details_button.setToolTip("Show how each podcast's last refresh went")
        self.report = RefreshReportDialog(self)
        self.details_button.clicked.connect(self.report.show)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.details_button)
        self.progress.hide()
        self.details_button.hide()
        self._results: list[RefreshResult] = []
        self._running = False

    def started(self, total: int) -> None:
        self._running = True
        self._results = []
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.show()
        self.details_button.hide()
        self.label.setText(f"Refreshing {total} podcast{'s' if total != 1 else ''} …")

    def advanced(self, result: RefreshResult, done: int, total: int) -> None:
        if not self._running:
            return  # news from a refresh that has already been reported
        self._results.append(result)
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.label.setText(f"{done}/{total} {_with_title(result)}")

    def finished(self, results: list[RefreshResult]) -> None:
        self._running = False
        self.progress.hide()
        self._results = results or self._results
        self.label.setText(summary_sentence(self._results))
        announce(self, self.label.text())
        self.report.show_results(self._results)
        self.details_button.setVisible(bool(self._results))
