#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# sctp-launch-line.sh SOURCE_DIR: runs the example launch line of
# secsctpenc's doc block (ext/sctp/gstsecsctpenc.c, docs/elements/
# secsctpenc.md) as it is written there: both ends of an SCTP association
# over DTLS over UDP on 127.0.0.1, in one gst-launch-1.0 process. Only two
# things change: the UDP ports 5000 and 5001 become free ones, and
# "gst-launch-1.0" becomes "exec gst-launch-1.0", so that the PID this
# script starts is gst-launch's own and is stopped by it.
#
# The check: both secsctpdec post sctp-connected within SECONDS_MAX
# (default 20) and nothing reports an error or a warning.
# Exit status 0, 1 on failure, 77 (skip) when a program is missing.
set -euo pipefail

SOURCE_DIR=${1:?usage: sctp-launch-line.sh SOURCE_DIR}
SECONDS_MAX=${SECONDS_MAX:-20}

command -v openssl >/dev/null || { echo "SKIP: no openssl" >&2; exit 77; }
command -v gst-launch-1.0 >/dev/null || { echo "SKIP: no gst-launch-1.0" >&2; exit 77; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# the code block between |[ and ]| in the doc comment
line=$(sed -n '/^ \* |\[$/,/^ \* \]|/p' "$SOURCE_DIR/ext/sctp/gstsecsctpenc.c" \
  | sed -e '1d' -e '$d' -e 's/^ \* \{0,1\}//')
[ -n "$line" ] || { echo "FAIL: no launch line in gstsecsctpenc.c" >&2; exit 1; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
p0=$(free_port)
p1=$(free_port)
while [ "$p1" = "$p0" ]; do p1=$(free_port); done
line=${line//port=5000/port=$p0}
line=${line//port=5001/port=$p1}
line=${line/gst-launch-1.0/exec gst-launch-1.0}

cd "$work"
for end in a b; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -days 30 -subj /CN=$end -keyout $end.key -out $end.crt 2>/dev/null
  cat $end.crt $end.key > $end.pem
done
bash -c "$line" > out.log 2>&1 &
pid=$!
for _ in $(seq $((SECONDS_MAX * 10))); do
  [ "$(grep -c 'sctp-connected' out.log || true)" -ge 2 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ "$(grep -c 'sctp-connected' out.log || true)" -lt 2 ]; then
  cat out.log >&2
  echo "FAIL: no sctp-connected from both ends within $SECONDS_MAX s" >&2
  exit 1
fi
if grep -E '^(ERROR|WARNING)|\(error\)|\(warning\)' out.log >&2; then
  echo "FAIL: an error or warning" >&2
  exit 1
fi
grep -o 'sctp-connected, association-id=(string)[ab]' out.log
echo "OK: both ends connected"
