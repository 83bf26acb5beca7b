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
# beeps.m4a with three chapters (Nero chpl and a QuickTime chapter track; moov after mdat):
# 0 Intro, 3 s Middle, 7 s Outro.
printf ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=3000\ntitle=Intro\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=3000\nEND=7000\ntitle=Middle\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=7000\nEND=20000\ntitle=Outro\n' > chapters.txt
ffmpeg -hide_banner -loglevel error -y -i beeps.m4a -i chapters.txt -map_metadata 1 -map_chapters 1 -c copy chapters.m4a
rm chapters.txt

# The shapes podcast files come in (tests/engine/test_shapes.py), 10 s each, beeps as above. The
# 2 MB ID3v2 tag with artwork and the ID3v1 tag are added by the tests (tests/engine/shapes.py).
mkdir -p shapes
shape() {
  rate=$1; shift
  ffmpeg -hide_banner -loglevel error -y -f lavfi \
    -i "aevalsrc=0.5*sin(2*PI*(400+100*floor(t))*t)*lt(mod(t\,1)\,0.1):s=$rate:d=10" \
    -map_metadata -1 "$@"
}
shape 44100 -ac 2 -c:a libmp3lame -b:a 128k -write_xing 1 shapes/cbr-128k-info.mp3
shape 44100 -ac 2 -c:a libmp3lame -q:a 6 -write_xing 1 shapes/vbr-xing.mp3
shape 44100 -ac 2 -c:a libmp3lame -q:a 6 -write_xing 0 shapes/vbr-no-xing.mp3
shape 22050 -ac 1 -c:a libmp3lame -b:a 32k -write_xing 1 shapes/mono-22k.mp3
shape 48000 -ac 2 -c:a libmp3lame -b:a 64k -write_xing 1 shapes/stereo-48k.mp3
shape 44100 -ac 1 -c:a aac -b:a 32k shapes/moov-at-end.m4a
shape 48000 -ac 1 -c:a libopus -b:a 24k shapes/speech.opus
shape 44100 -ac 1 -c:a libvorbis -q:a 0 shapes/speech.ogg
