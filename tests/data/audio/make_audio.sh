#!/usr/bin/env sh
# Regenerates the test audio (needs ffmpeg; tests do not). Each file is 20 s of silence with a
# 100 ms beep at every whole second k (0..19) whose pitch names the second: 400 + 100*k Hz.
# A test that hears a beep knows exactly where in the media it is, whatever get_time() says.
set -eu
cd "$(dirname "$0")"
SIGNAL="aevalsrc=0.5*sin(2*PI*(400+100*floor(t))*t)*lt(mod(t\,1)\,0.1):s=22050:d=20"
ff() { ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SIGNAL" -ac 1 -map_metadata -1 "$@"; }
ff -c:a libmp3lame -b:a 32k -write_xing 1 beeps.mp3
ff -c:a aac -b:a 32k -movflags +faststart beeps.m4a
ff -c:a libvorbis -q:a 0 beeps.ogg
ff -c:a libopus -b:a 24k beeps.opus
ff -ar 11025 -c:a pcm_s16le beeps.wav
