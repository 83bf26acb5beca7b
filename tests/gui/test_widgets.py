"""The player bar's widgets on their own: seek bar, speed button, sleep-timer button, volume."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from podplayer.core.sleep_timer import SleepChoice, SleepTimerStatus
from podplayer.gui.text import format_rate
from podplayer.gui.widgets.seek_bar import SeekBar
from podplayer.gui.widgets.sleep_timer_button import SleepTimerButton
from podplayer.gui.widgets.speed_control import SpeedControl
from podplayer.gui.widgets.volume_control import VolumeControl
from podplayer.playback.speed import SPEED_PRESETS


def test_seek_bar_times_and_click_to_jump(qtbot: QtBot) -> None:
    bar = SeekBar()
    qtbot.addWidget(bar)
    bar.resize(600, 30)
    bar.show()
    bar.set_duration(3_600_000)
    bar.set_position(600_000)
    assert bar.elapsed_label.text() == "10:00"
    assert bar.remaining_text() == "-50:00"
    bar.set_rate(2.0)
    assert bar.remaining_text() == "-50:00 (-25:00 at 2.0x)"
    slider = bar.slider
    with qtbot.waitSignal(bar.seek_requested) as seek:
        qtbot.mouseClick(
            slider,
            Qt.MouseButton.LeftButton,
            pos=QPoint(slider.width() * 3 // 4, slider.height() // 2),
        )
    assert 2_500_000 < seek.args[0] < 2_900_000
    with qtbot.waitSignal(bar.seek_requested) as seek:
        qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    assert seek.args[0] == slider.value()


def test_speed_control_presets_steps_and_typed_rates(qtbot: QtBot) -> None:
    control = SpeedControl(SPEED_PRESETS, minimum=0.5, maximum=3.0, step=0.05)
    qtbot.addWidget(control)
    assert [a.text() for a in control.menu().actions()] == [format_rate(r) for r in SPEED_PRESETS]
    with qtbot.waitSignal(control.rate_requested) as picked:
        control.preset_action(1.25).trigger()
    assert picked.args == [1.25]
    control.set_rate(1.25)
    with qtbot.waitSignal(control.rate_requested) as step:
        qtbot.keyClick(control.spin, Qt.Key.Key_Up)
    assert step.args == [1.3]
    control.set_rate(1.35)
    assert control.text() == "1.35x"
    assert not any(a.isChecked() for a in control.menu().actions())
    control.spin.lineEdit().selectAll()
    with qtbot.waitSignal(control.rate_requested) as typed:
        qtbot.keyClicks(control.spin, "2.5")
        qtbot.keyClick(control.spin, Qt.Key.Key_Return)
    assert typed.args == [2.5]
    with qtbot.assertNotEmitted(control.rate_requested):
        control.set_rate(0.8)


def test_sleep_button_shows_what_is_set(qtbot: QtBot) -> None:
    button = SleepTimerButton()
    qtbot.addWidget(button)
    assert not button.action_for(SleepChoice.END_OF_CHAPTER).isVisible()
    button.set_chapters_available(True)
    assert button.action_for(SleepChoice.END_OF_CHAPTER).isVisible()
    button.set_status(SleepTimerStatus(SleepChoice.MINUTES_15, remaining_ms=14 * 60_000 + 500))
    assert button.text() == "☾ 14:01"
    button.set_status(SleepTimerStatus(SleepChoice.MINUTES_15, remaining_ms=4_000, fading=True))
    assert button.text() == "☾ 0:04"
    assert button.toolTip().endswith("fading out")
    button.set_status(SleepTimerStatus(SleepChoice.END_OF_EPISODE))
    assert button.text() == "☾ Episode"
    assert button.action_for(SleepChoice.END_OF_EPISODE).isChecked()


def test_volume_control_reports_and_shows(qtbot: QtBot) -> None:
    control = VolumeControl()
    qtbot.addWidget(control)
    with qtbot.waitSignal(control.volume_requested) as moved:
        control.slider.setValue(35)
    assert moved.args == [35]
    with qtbot.assertNotEmitted(control.volume_requested):
        control.set_volume(80)
    assert control.slider.value() == 80
    with qtbot.waitSignal(control.mute_requested) as muted:
        control.mute_button.click()
    assert muted.args == [True]
