#!/usr/bin/env sh
# Checks a built bundle (dist/podplayer) on this machine without the venv: it starts, reports its
# version, plays a short file headless through the system libvlc, opens its window under Xvfb, and
# a second launch hands a feed link to that window.
# Usage: bundle-check.sh DIST_FOLDER
set -eu
bundle="${1:-dist/podplayer}"
program="$bundle/podplayer"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A clean environment: no venv, no PYTHONPATH, nothing from the developer's shell.
run() { env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 "$@"; }

echo "bundle size: $(du -sh "$bundle" | cut -f1) in $(find "$bundle" -type f | wc -l) files"
if find "$bundle" -name 'libvlc.so*' | grep -q .; then
  echo "note: the bundle carries its own libvlc"
else
  echo "libvlc: from the system ($(/sbin/ldconfig -p | grep -m1 'libvlc.so.5' | sed 's/.*=> //'))"
fi

version="$(run "$program" --version)"
echo "started: $version"

# Two seconds of a 440 Hz tone, written with the system's Python (no venv involved).
python3 - "$work/tone.wav" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as out:
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(22050)
    out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / 22050))) for n in range(44100)))
PY
run "$program" --selftest-play "$work/tone.wav"

# The window, and a second launch handing it a feed link: the window keeps running for 8 s
# (timeout's status 124 means it was still up), the second launch exits at once saying so.
run timeout 8 xvfb-run -a -s "-screen 0 1280x800x24" "$program" --data-dir "$work/home" \
  >"$work/gui.log" 2>&1 &
window=$!
sleep 4
handed="$(run "$program" --data-dir "$work/home" feed://127.0.0.1:9/feed.xml 2>&1 || true)"
status=0
wait "$window" || status=$?
if [ "$status" -ne 124 ]; then
  echo "the window did not keep running (exit status $status):" >&2
  cat "$work/gui.log" >&2
  exit 1
fi
test -f "$work/home/library.sqlite3"
echo "window: opened and ran for 8 s with a new library in $work/home"
case "$handed" in
  *"already running"*) echo "second launch: $handed" ;;
  *) echo "the second launch did not hand over to the window: $handed" >&2; exit 1 ;;
esac
echo "bundle-check: passed"
