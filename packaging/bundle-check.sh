#!/usr/bin/env sh
# Checks a built bundle (dist/podplayer) on this machine without the venv: it starts, reports its
# version, plays a short file headless through the system libvlc, subscribes to the demo podcast
# served on 127.0.0.1, transcribes its episode with the bundled Whisper base model (in the
# bundled worker process), searches, prints chapters and settings, keeps a secret in a real
# Secret Service (gnome-keyring), opens its window under Xvfb, and a second launch hands a feed
# link to that window.
# Usage: bundle-check.sh DIST_FOLDER
set -eu
bundle="${1:-dist/podplayer}"
program="$bundle/podplayer"
demo="$bundle/_internal/resources/demo"
work="$(mktemp -d)"
server=""
trap 'if [ -n "$server" ]; then kill "$server"; fi; rm -rf "$work"' EXIT
# A clean environment: no venv, no PYTHONPATH, nothing from the developer's shell.
run() { env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 "$@"; }
fail() { echo "bundle-check: $1" >&2; if [ -n "${2:-}" ]; then cat "$2" >&2; fi; exit 1; }
# expect FILE TEXT WHAT: FILE (a command's output) must contain TEXT.
expect() { grep -qF -- "$2" "$1" || fail "$3 (no \"$2\" in its output):" "$1"; }

echo "bundle size: $(du -sh "$bundle" | cut -f1) in $(find "$bundle" -type f | wc -l) files"
if find "$bundle" -name 'libvlc.so*' | grep -q .; then
  echo "note: the bundle carries its own libvlc"
else
  echo "libvlc: from the system ($(/sbin/ldconfig -p | grep -m1 'libvlc.so.5' | sed 's/.*=> //'))"
fi
# faster-whisper runs on the CPU here: GPU libraries would be hundreds of MB for nothing.
cuda="$(find "$bundle" -name '*.so*' \
  | grep -E '/lib(cudart|cublas|cublasLt|cudnn[a-z_]*|cufft|curand|cusolver|cusparse|nvrtc|nvJitLink|nccl)[.-]' \
  || true)"
[ -z "$cuda" ] || fail "CUDA libraries came along: $(echo "$cuda" | head -3)"

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

# The library: the bundled demo podcast served on 127.0.0.1 (a feed may not name local files).
python3 - "$demo" "$work/port" 2>/dev/null <<'PY' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2] + ".part", "w") as out:
    out.write(str(server.server_port))
__import__("os").replace(sys.argv[2] + ".part", sys.argv[2])
server.serve_forever()
PY
server=$!
tries=0
until [ -f "$work/port" ]; do
  tries=$((tries + 1)); [ "$tries" -le 100 ] || fail "the demo's web server did not start"
  sleep 0.1
done
lib() { run "$program" --data-dir "$work/library" "$@"; }
lib subscribe "http://127.0.0.1:$(cat "$work/port")/feed.xml" >"$work/out" 2>&1 \
  || fail "subscribe failed:" "$work/out"
expect "$work/out" "Subscribed to podplayer demo" "subscribe"

# Speech recognition in the bundle: its worker process, PyAV, ctranslate2, the voice detector
# (onnxruntime) and Whisper base reassembled from its two packages, all offline.
started=$(date +%s)
lib transcribe 1 >"$work/cues" 2>"$work/transcribe.log" || fail "transcribe failed:" "$work/transcribe.log"
expect "$work/cues" "Welcome to" "transcribe"
expect "$work/cues" "speed" "transcribe"
echo "transcribed the demo episode in $(($(date +%s) - started)) s: $(wc -l <"$work/cues") cues, e.g."
sed -n '1,2p' "$work/cues"

# The transcript just made is indexed: a word said in the episode but not in its show notes.
lib search straight >"$work/out" 2>&1 || fail "search failed:" "$work/out"
expect "$work/out" "transcript" "search"
expect "$work/out" "[straight]" "search"
lib chapters 1 >"$work/out" 2>&1 || fail "chapters failed:" "$work/out"
expect "$work/out" "Sleep timer" "chapters"
lib config list >"$work/out" 2>&1 || fail "config list failed:" "$work/out"
expect "$work/out" "transcription.model" "config list"
echo "library: subscribe, transcribe, search, chapters and config list work"

# A secret goes to the desktop keyring through keyring's Secret Service backend (secretstorage,
# jeepney): gnome-keyring on a private session bus. A bundle without that backend would fall
# back to config/secrets.json.
mkdir -m 700 "$work/runtime"
printf 'podindex-secret' | run XDG_RUNTIME_DIR="$work/runtime" dbus-run-session -- sh -c '
  printf bundle-check | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
  keyring=$!
  tries=0
  until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets | grep -q true; do
    tries=$((tries + 1)); [ "$tries" -le 100 ] || { echo "no Secret Service started"; exit 1; }
    sleep 0.1
  done
  "$1" --data-dir "$2" config set directories.podcastindex.secret - &&
    "$1" --data-dir "$2" config list
  status=$?
  kill "$keyring"
  exit "$status"
' sh "$program" "$work/secrets" >"$work/out" 2>&1 || fail "the keyring check failed:" "$work/out"
expect "$work/out" "podcastindex.secret  (set, hidden)" "config set of a secret"
if [ -e "$work/secrets/config/secrets.json" ]; then
  fail "the secret went to config/secrets.json, not to the keyring:" "$work/out"
fi
echo "keyring: a secret kept in the Secret Service (gnome-keyring), none in a file"

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
