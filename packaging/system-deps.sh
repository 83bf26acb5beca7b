#!/usr/bin/env sh
# Installs the Debian/Ubuntu packages podplayer needs, only those missing. Usage: system-deps.sh run|test
set -eu

# libvlc for playback (libvlc-bin builds the plugin cache); the libraries Qt's xcb platform loads.
RUN_PACKAGES="libvlc5 vlc-plugin-base libvlc-bin libxcb-icccm4 libxcb-cursor0 libxcb-image0 libxcb-keysyms1 \
libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 \
libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core python3-venv"
# A virtual display, a session bus with an MPRIS client, and the desktop-file validators for the tests.
# The screen-reader tests: the AT-SPI bus, Debian's pyatspi (read by the system python3), a window
# manager that gives dialogs the keyboard, and xdotool to type. gnome-keyring: a real Secret Service
# for the password tests (tests/desktop/test_secret_service.py).
TEST_PACKAGES="xvfb xauth dbus dbus-x11 playerctl desktop-file-utils appstream libglib2.0-bin \
at-spi2-core python3-pyatspi gir1.2-atspi-2.0 openbox xdotool gnome-keyring"

case "${1:-run}" in
  run) wanted="$RUN_PACKAGES" ;;
  test) wanted="$RUN_PACKAGES $TEST_PACKAGES" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

missing=""
for package in $wanted; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "podplayer needs these packages, and this system has no apt-get to install them:$missing" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing system packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
