#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# whip-launch-lines.sh: the WHIP block of docs/signaling.md (the one after
# its "whip-launch-lines" marker) runs as written: its setup commands make
# the key, certificate and token; its receiving line (secwhipserversrc)
# decodes the video its publishing line (secwhipsink) sends over https on
# 127.0.0.1; on SIGINT the publisher sends EOS, DELETEs its session and
# exits 0; the session's end is EOS on the receiver's pads, so the
# receiver ends by itself, with status 0. Last, the plain auth-token
# property on a launch line gives a warning (and the token in no log). Video and audio sinks are replaced
# by fakesinks (the receiver's video one prints each frame with -v) and
# port 8443 by a free port. Every process is stopped by its PID.
#
#   meson devenv -C build -w . tests/examples/whip-launch-lines.sh
#
# Exit status: 0, 1 on failure, 77 (skip) when an element is missing
# (never when CI is set). KEEP_LOGS=1 keeps the work directory.
set -euo pipefail

SECONDS_MAX=${SECONDS_MAX:-30}
SOURCE_ROOT=${MESON_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
DOC=$SOURCE_ROOT/docs/signaling.md

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

for element in secwhipserversrc secwhipsink secwebrtcbin vp8enc opusenc; do
  if ! gst-inspect-1.0 "$element" >/dev/null 2>&1; then
    [ -z "${CI:-}" ] || fail "element $element is missing"
    echo "SKIP: element $element is missing" >&2
    exit 77
  fi
done

work=$(mktemp -d)
server_pid=""
client_pid=""
cleanup() {
  for pid in $client_pid $server_pid; do
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "${KEEP_LOGS:-}" ]; then echo "logs in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# the block after the marker
awk '/<!-- whip-launch-lines/ { on = 1; next }
     on && /^```sh/ { inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$DOC" > "$work/block.sh"
grep -q '^gst-launch-1.0 secwhipserversrc' "$work/block.sh" \
  || fail "no secwhipserversrc line in $DOC"
grep -q '^gst-launch-1.0 -e .*secwhipsink' "$work/block.sh" \
  || fail "no secwhipsink line in $DOC"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$work"
grep -v '^gst-launch-1.0\|^#' block.sh > setup.sh
bash -e setup.sh > setup.log 2>&1 || fail "setup: $(cat setup.log)"
[ "$(stat -c %a token)" = 600 ] || fail "token is not mode 600"

server=$(grep '^gst-launch-1.0 secwhipserversrc' block.sh \
  | sed -e "s/8443/$port/g" \
        -e 's/videoconvert ! autovideosink/fakesink name=video silent=false/' \
        -e 's/audioconvert ! autoaudiosink/fakesink/' \
        -e 's/^gst-launch-1.0 /gst-launch-1.0 -v /')
client=$(grep '^gst-launch-1.0 -e .*secwhipsink' block.sh | sed -e "s/8443/$port/g")

bash -c "exec $server" > server.log 2>&1 &
server_pid=$!
for _ in $(seq $((SECONDS_MAX * 10))); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || fail "the receiver exited: $(tail -5 server.log)"
  sleep 0.1
done

bash -c "exec $client" > client.log 2>&1 &
client_pid=$!
frames=0
for _ in $(seq $((SECONDS_MAX * 10))); do
  frames=$(grep -c 'video.*chain' server.log || true)
  [ "$frames" -ge 30 ] && break
  kill -0 "$client_pid" 2>/dev/null || fail "the publisher exited: $(tail -5 client.log)"
  sleep 0.1
done
[ "$frames" -ge 30 ] || fail "the receiver decoded $frames frames: $(grep -i 'error\|warn' server.log client.log | head -5)"

# Ctrl-C: EOS, DELETE, exit 0
kill -INT "$client_pid"
status=0
for _ in $(seq 100); do kill -0 "$client_pid" 2>/dev/null || break; sleep 0.1; done
wait "$client_pid" || status=$?
client_pid=""
[ "$status" = 0 ] || fail "the publisher exited $status: $(tail -5 client.log)"
grep -q 'ERROR' client.log && fail "the publisher: $(grep -A3 ERROR client.log)"
# the DELETE ended the only session: EOS on its pads, so the receiver's
# sinks reach EOS and gst-launch-1.0 ends by itself
status=0
for _ in $(seq $((SECONDS_MAX * 10))); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$server_pid" 2>/dev/null && fail "the receiver still runs after the DELETE"
wait "$server_pid" || status=$?
server_pid=""
[ "$status" = 0 ] || fail "the receiver exited $status: $(tail -5 server.log)"
grep -q 'Got EOS from element' server.log || fail "the receiver saw no EOS"
grep -q 'ERROR' server.log && fail "the receiver: $(grep -A3 ERROR server.log)"
grep -q "$(cat token)" server.log client.log && fail "the token appears in a log"

# the plain auth-token property on a launch line: the endpoint starts,
# says on the bus that every user can read the token, and never prints it
bash -c "exec gst-launch-1.0 secwhipserversrc port=0 auth-token=$(cat token) ! fakesink" \
  > plain.log 2>&1 &
server_pid=$!
for _ in $(seq $((SECONDS_MAX * 10))); do
  grep -q 'every user of this machine can read it' plain.log && break
  kill -0 "$server_pid" 2>/dev/null || fail "auth-token: $(tail -5 plain.log)"
  sleep 0.1
done
grep -q 'WARNING: .*every user of this machine can read it' plain.log \
  || fail "no warning for auth-token on the command line: $(tail -5 plain.log)"
grep -q "$(cat token)" plain.log && fail "the token appears in the log"
echo "OK: $frames video frames decoded by secwhipserversrc from secwhipsink on 127.0.0.1:$port"
