#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# webrtc-launch-lines.sh: every gst-launch-1.0 line of secwebrtcbin's page
# runs as written.
#
#   webrtc-launch-lines.sh [FILE.md ...]
#
# The lines come from the fenced code blocks of the given Markdown files
# (default: docs/elements/secwebrtcbin.md, whose example launch line is
# the element's doc block in gst/webrtc/gstsecwebrtcbin.c). A launch line
# cannot do signaling, so it is a fragment of a call (the page says so and
# shows the complete programs); what this test checks is that each line
# runs as written: it parses (no unknown property or element), its
# pipeline and its secwebrtcbin reach PLAYING, and nothing posts an error
# or a warning before the line is stopped with SIGINT, after which
# gst-launch-1.0 must exit with status 0 within 10 s.
#
# Run it where the plugins are installed, or from a build tree:
#   meson devenv -C build -w . tests/examples/webrtc-launch-lines.sh
# Environment: SECONDS_MAX (default 20) bounds each wait, KEEP_LOGS=1
# keeps the work directory. Exit status: 0 when every line runs, 1 when
# one does not, 77 (skip) when a program or element it needs is missing
# (never when CI is set).
set -euo pipefail

SECONDS_MAX=${SECONDS_MAX:-20}
GST_LAUNCH=${GST_LAUNCH:-gst-launch-1.0}
GST_INSPECT=${GST_INSPECT:-gst-inspect-1.0}
SOURCE_ROOT=${MESON_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

skip() {
  [ -z "${CI:-}" ] || fail "$* (and CI must run this test)"
  echo "SKIP: $*" >&2
  exit 77
}

if [ $# -eq 0 ]; then
  set -- "$SOURCE_ROOT/docs/elements/secwebrtcbin.md"
fi

command -v "$GST_LAUNCH" >/dev/null || skip "$GST_LAUNCH is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
"$GST_INSPECT" secwebrtcbin >/dev/null 2>&1 ||
  skip "element secwebrtcbin not found (install gst-secwebrtc, or run" \
    "inside 'meson devenv -C build')"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/webrtc-launch-lines.XXXXXX")
PID=""

cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [ "${KEEP_LOGS:-0}" = 1 ]; then
    echo "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# Every gst-launch-1.0 command of the fenced blocks, one a line,
# continuation lines joined.
python3 - "$@" >"$WORK/lines" <<'PY'
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
PY
[ -s "$WORK/lines" ] || fail "no gst-launch-1.0 line in $*"

STATE='\(state-changed\): .*new-state=\(GstState\)playing'
TROUBLE='^(ERROR|WARNING: erroneous pipeline)|^WARNING: from element|\((error|warning)\):'

n=0
while read -r line; do
  n=$((n + 1))
  log="$WORK/line-$n.log"
  echo "line $n: $line"
  # the bin's name: name=... after secwebrtcbin, else secwebrtcbin0
  bin=$(printf '%s\n' "$line" |
    sed -n 's/.*secwebrtcbin\( [^!]*\)\{0,1\}name=\([^ !]*\).*/\2/p')
  bin=${bin:-secwebrtcbin0}
  (
    eval "set -- $line"
    shift # gst-launch-1.0
    exec "$GST_LAUNCH" -m "$@" >"$log" 2>&1
  ) &
  PID=$!
  deadline=$(($(date +%s) + SECONDS_MAX))
  until grep -aqE "^Got message #[0-9]+ from element \"$bin\" $STATE" \
    "$log" 2>/dev/null &&
    grep -aqE "^Got message #[0-9]+ from element \"pipeline0\" $STATE" \
      "$log" 2>/dev/null; do
    if ! kill -0 "$PID" 2>/dev/null; then
      cat "$log" >&2
      fail "line $n ended before $bin and its pipeline reached PLAYING"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      cat "$log" >&2
      fail "line $n: $bin and its pipeline not PLAYING within" \
        "$SECONDS_MAX s"
    fi
    sleep 0.1
  done
  kill -INT "$PID"
  tenths=0
  while kill -0 "$PID" 2>/dev/null && [ "$tenths" -lt 100 ]; do
    sleep 0.1
    tenths=$((tenths + 1))
  done
  if kill -0 "$PID" 2>/dev/null; then
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
    fail "line $n did not stop within 10 s of SIGINT"
  fi
  status=0
  wait "$PID" || status=$?
  PID=""
  if grep -aE "$TROUBLE" "$log" >&2; then
    fail "line $n posted the error or warning above"
  fi
  [ "$status" -eq 0 ] || {
    cat "$log" >&2
    fail "line $n exited with status $status"
  }
  echo "  ran: $bin reached PLAYING, no error or warning, stopped cleanly"
done <"$WORK/lines"
echo "OK: $n launch lines ran as written"
