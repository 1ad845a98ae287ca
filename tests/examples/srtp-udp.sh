#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# srtp-udp.sh: the SRTP sender and receiver launch lines of the
# documentation, run as two gst-launch-1.0 processes on 127.0.0.1.
#
#   srtp-udp.sh [FILE.md ...]
#
# The launch lines are taken from the fenced code blocks of the given
# Markdown files (default: docs/elements/secsrtpenc.md and
# docs/elements/secsrtpdec.md, generated from the elements' doc blocks):
# the first "gst-launch-1.0 ..." command with "secsrtpenc key=" is the
# sender, the first with "secsrtpdec key=" the receiver (README.md's
# "SRTP with keys from the application" works too). They run as written except
# for two things: port 5004 becomes a free port (so that the test cannot
# meet another program there), and the receiver gets gst-launch-1.0's
# -m -v, to see its bus messages and caps.
#
# 1. As written: decoded audio must come out of the receiver's decoder
#    (its caps are printed once it decoded a packet), and secsrtpdec must
#    post no warning.
# 2. The receiver with another key (one hex digit changed): no audio, and
#    gst-launch-1.0 -m must show secsrtpdec's warning that packets fail
#    authentication, saying to check the key and the profile, without
#    any key bytes.
#
# Run it where the plugins are installed, or from a build tree:
#   meson devenv -C build -w . tests/examples/srtp-udp.sh
# Environment: SECONDS_MAX (default 20) bounds each wait, KEEP_LOGS=1
# keeps the work directory. Exit status: 0 when both checks pass, 1 when
# one fails, 77 (skip) when a program or element it needs is missing.
set -euo pipefail

SECONDS_MAX=${SECONDS_MAX:-20}
GST_LAUNCH=${GST_LAUNCH:-gst-launch-1.0}
GST_INSPECT=${GST_INSPECT:-gst-inspect-1.0}
SOURCE_ROOT=${MESON_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

skip() {
  echo "SKIP: $*" >&2
  exit 77
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

if [ $# -eq 0 ]; then
  set -- "$SOURCE_ROOT/docs/elements/secsrtpenc.md" \
    "$SOURCE_ROOT/docs/elements/secsrtpdec.md"
fi

command -v "$GST_LAUNCH" >/dev/null || skip "$GST_LAUNCH is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"

# Every gst-launch-1.0 command of the fenced blocks of the files, one a
# line, continuation lines joined.
launch_lines() {
  python3 - "$@" <<'EOF'
import re
import sys

for path in sys.argv[1:]:
    text = open(path, encoding='utf-8').read()
    for block in re.findall(r'^```[a-z]*\n(.*?)^```', text, re.S | re.M):
        joined = re.sub(r'\\\n\s*', ' ', block)
        for line in joined.split('\n'):
            line = line.strip()
            if line.startswith('gst-launch-1.0 '):
                print(re.sub(r'\s+', ' ', line))
EOF
}

SENDER=$(launch_lines "$@" | grep -m1 ' secsrtpenc key=' || true)
RECEIVER=$(launch_lines "$@" | grep -m1 ' secsrtpdec key=' || true)
[ -n "$SENDER" ] || fail "no gst-launch-1.0 line with secsrtpenc key= in $*"
[ -n "$RECEIVER" ] || fail "no gst-launch-1.0 line with secsrtpdec key= in $*"

for element in $(echo "$SENDER $RECEIVER" | tr ' ' '\n' |
    grep -E '^[a-z][a-z0-9]*$' | grep -v '^gst-launch' | sort -u); do
  # the words that name elements (not properties or caps)
  "$GST_INSPECT" "$element" >/dev/null 2>&1 || {
    case "$element" in
      secsrtpenc | secsrtpdec)
        skip "element $element not found (install gst-secwebrtc, or run" \
          "inside 'meson devenv -C build')" ;;
      *) skip "element $element not found" ;;
    esac
  }
done

KEY=$(echo "$RECEIVER" | sed -n 's/.*secsrtpdec key=\([0-9a-fA-F]*\).*/\1/p')
[ -n "$KEY" ] || fail "the receiver's line has no secsrtpdec key=..."
# the same key with its last hex digit changed
last=${KEY: -1}
case "$last" in
  0) other=1 ;;
  *) other=0 ;;
esac
OTHER_KEY=${KEY%?}$other

PORT=$(python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

WORK=$(mktemp -d "${TMPDIR:-/tmp}/srtp-udp.XXXXXX")
RECEIVER_PID=""
SENDER_PID=""

cleanup() {
  local pid
  for pid in "$SENDER_PID" "$RECEIVER_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${KEEP_LOGS:-0}" = 1 ]; then
    echo "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# The command's words as the shell would split them (the lines quote
# their caps), after the substitutions.
run_line() {
  local line=$1 log=$2
  line=${line//port=5004/port=$PORT}
  eval "set -- $line"
  shift # gst-launch-1.0
  exec "$GST_LAUNCH" "$@" >"$log" 2>&1
}

stop() {
  local pid=$1 tenths=0
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null || true
    while [ "$tenths" -lt 50 ] && kill -0 "$pid" 2>/dev/null; do
      sleep 0.1
      tenths=$((tenths + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Waits (bounded) until @pattern appears in @log; fails if a process
# exits first.
wait_for() {
  local pattern=$1 log=$2 deadline
  deadline=$(($(date +%s) + SECONDS_MAX))
  while ! grep -aqE "$pattern" "$log" 2>/dev/null; do
    kill -0 "$RECEIVER_PID" 2>/dev/null || return 1
    kill -0 "$SENDER_PID" 2>/dev/null || return 1
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

show_logs() {
  local log
  for log in "$@"; do
    echo "--- last lines of $(basename "$log"):" >&2
    grep -a -v '(state-changed)\|(stream-status)' "$log" | tail -n 15 >&2 ||
      true
  done
}

# run <receiver line> <tag>: starts both processes
run() {
  local receiver=$1 tag=$2
  (run_line "${receiver/gst-launch-1.0 /gst-launch-1.0 -m -v }" \
    "$WORK/receiver-$tag.log") &
  RECEIVER_PID=$!
  (run_line "$SENDER" "$WORK/sender-$tag.log") &
  SENDER_PID=$!
}

DECODED='GstOpusDec:[a-z0-9]*\.GstPad:src: caps = audio/x-raw'
WARNING_LINE='^WARNING: from element [^ ]*GstSecSrtpDec:[^ ]*: '

echo "sender:   $SENDER"
echo "receiver: $RECEIVER"
echo "(port 5004 -> $PORT)"

# --- 1. as written ------------------------------------------------------
run "$RECEIVER" good
if ! wait_for "$DECODED" "$WORK/receiver-good.log"; then
  show_logs "$WORK/receiver-good.log" "$WORK/sender-good.log"
  fail "no decoded audio from the receiver within $SECONDS_MAX s"
fi
stop "$SENDER_PID"
stop "$RECEIVER_PID"
SENDER_PID=""
RECEIVER_PID=""
if grep -aE "$WARNING_LINE" "$WORK/receiver-good.log"; then
  fail "secsrtpdec warned although sender and receiver share key and profile"
fi
echo "OK: as written, the receiver decrypted and decoded the sender's audio"

# --- 2. another key on the receiver -------------------------------------
run "${RECEIVER/key=$KEY/key=$OTHER_KEY}" wrong-key
if ! wait_for "$WARNING_LINE" "$WORK/receiver-wrong-key.log"; then
  show_logs "$WORK/receiver-wrong-key.log" "$WORK/sender-wrong-key.log"
  fail "no warning from secsrtpdec within $SECONDS_MAX s with a wrong key"
fi
stop "$SENDER_PID"
stop "$RECEIVER_PID"
SENDER_PID=""
RECEIVER_PID=""
LINE=$(grep -a -m1 -E "$WARNING_LINE" "$WORK/receiver-wrong-key.log")
echo "gst-launch-1.0 -m printed: $LINE"
case "$LINE" in
  *"fail authentication"*"Check that the key and the protection profile match the sender's"*) ;;
  *) fail "the warning does not say to check key and profile" ;;
esac
if grep -aqE "$DECODED" "$WORK/receiver-wrong-key.log"; then
  fail "audio was decoded under a wrong key"
fi
for k in "$KEY" "$OTHER_KEY" "${KEY:0:16}" "${KEY: -16}"; do
  if grep -aqi "$k" "$WORK/receiver-wrong-key.log"; then
    fail "key bytes ($k) in the receiver's output"
  fi
done
echo "OK: with another key, no audio and the warning above"
