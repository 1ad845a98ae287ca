#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# ice-launch-lines.sh: every gst-launch-1.0 line of the ICE documentation
# runs as written.
#
#   ice-launch-lines.sh [FILE.md ...]
#
# The lines come from the fenced code blocks of the given Markdown files
# (default: docs/elements/secicesrc.md, docs/elements/secicesink.md and
# docs/ice.md). ICE needs signaling, which a launch line cannot do, so
# these lines are fragments of a call (the documentation says so and
# points to tests/examples/python/ice_pair.py, the complete example);
# what this test checks is that each one runs as written: it parses (no
# unknown property or element), its secicesrc or secicesink reaches
# PLAYING, and nothing posts an error or a warning before the line is
# stopped with SIGINT, after which gst-launch-1.0 must exit with status 0.
#
# Run it where the plugins are installed, or from a build tree:
#   meson devenv -C build -w . tests/examples/ice-launch-lines.sh
# Environment: SECONDS_MAX (default 20) bounds each wait, KEEP_LOGS=1
# keeps the work directory. Exit status: 0 when every line runs, 1 when
# one does not, 77 (skip) when a program or element it needs is missing.
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
  set -- "$SOURCE_ROOT/docs/elements/secicesrc.md" \
    "$SOURCE_ROOT/docs/elements/secicesink.md" "$SOURCE_ROOT/docs/ice.md"
fi

command -v "$GST_LAUNCH" >/dev/null || skip "$GST_LAUNCH is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
for element in secicesrc secicesink; do
  "$GST_INSPECT" "$element" >/dev/null 2>&1 ||
    skip "element $element not found (install gst-secwebrtc, or run" \
      "inside 'meson devenv -C build')"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ice-launch-lines.XXXXXX")
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

# the ICE element reaches PLAYING (the pipeline may not: its sink waits
# for a first buffer, which only a connected peer sends)
PLAYING='^Got message #[0-9]+ from element "secice(src|sink)[0-9]+" \(state-changed\): .*new-state=\(GstState\)playing'
TROUBLE='^(ERROR|WARNING: erroneous pipeline)|^WARNING: from element [^ ]*GstSecIce|\((error|warning)\):'

n=0
while read -r line; do
  n=$((n + 1))
  log="$WORK/line-$n.log"
  echo "line $n: $line"
  (
    eval "set -- $line"
    shift # gst-launch-1.0
    exec "$GST_LAUNCH" -m "$@" >"$log" 2>&1
  ) &
  PID=$!
  deadline=$(($(date +%s) + SECONDS_MAX))
  while ! grep -aqE "$PLAYING" "$log" 2>/dev/null; do
    if ! kill -0 "$PID" 2>/dev/null; then
      cat "$log" >&2
      fail "line $n ended before it reached PLAYING"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      cat "$log" >&2
      fail "line $n did not reach PLAYING within $SECONDS_MAX s"
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
  echo "  ran: reached PLAYING, no error or warning, stopped cleanly"
done <"$WORK/lines"
echo "OK: $n launch lines ran as written"
