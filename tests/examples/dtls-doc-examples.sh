#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# dtls-doc-examples.sh SOURCE_DIR: runs the example launch lines of the
# secdtlsenc and secdtlsdec doc blocks (ext/dtls/gstsecdtls{enc,dec}.c,
# docs/elements/secdtls{enc,dec}.md) as they are written there, so that
# the reference cannot show a line that does not work.
#
# Each doc block has its code blocks (|[ ... ]|) in order: the first makes
# the certificates; secdtlsenc's second is one process with both ends,
# secdtlsdec's second and third are the server and the client in two
# processes. They run in a fresh directory each, unchanged except for two
# things: the UDP ports (5000..5003 in the docs) become free ones, and
# "gst-launch-1.0" becomes "exec gst-launch-1.0", so that the PID this
# script starts is gst-launch's own and can be stopped by it.
#
# The check: every secdtlsdec posts dtls-connected with the other end's
# certificate as the verified peer (within SECONDS_MAX, default 20), and
# no process reports an error or a warning.
# Exit status: 0 when all examples worked, 1 when one did not, 77 (skip)
# when a program or element they need is missing.
set -euo pipefail

SOURCE_DIR=${1:?usage: dtls-doc-examples.sh SOURCE_DIR}
SECONDS_MAX=${SECONDS_MAX:-20}
GST_INSPECT=${GST_INSPECT:-gst-inspect-1.0}

skip() {
  echo "SKIP: $*" >&2
  exit 77
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

command -v openssl >/dev/null || skip "the openssl command is not installed"
command -v gst-launch-1.0 >/dev/null || skip "gst-launch-1.0 is not installed"
for element in secdtlsenc secdtlsdec udpsrc udpsink fakesink; do
  "$GST_INSPECT" "$element" >/dev/null 2>&1 ||
    skip "element $element not found (run inside 'meson devenv -C build')"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dtls-doc-examples.XXXXXX")
PIDS=()    # every process started, for the cleanup
RUNNING=() # the current example's

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
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

# The code blocks of a doc block, one file each: NAME.1.sh, NAME.2.sh...
extract() {
  local source=$1 name=$2
  awk -v out="$WORK/$name" '
    /^ \* SECTION:element-/ { in_doc = 1 }
    in_doc && /^ \*\// { in_doc = 0 }
    in_doc && /^ \* \|\[/ { in_block = 1; n++; file = out "." n ".sh"; next }
    in_doc && in_block && /^ \* \]\|/ { in_block = 0; close(file); next }
    in_block { line = $0; sub(/^ \*( |$)/, "", line); print line > file }
  ' "$source"
}

# Four free UDP ports on loopback for the docs' 5000..5003.
free_udp_ports() {
  python3 - <<'EOF'
import socket
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

prepare() {
  local file=$1
  local -a ports
  read -r -a ports < <(free_udp_ports)
  sed -i -e "s/port=5000\\b/port=${ports[0]}/g" \
    -e "s/port=5001\\b/port=${ports[1]}/g" \
    -e "s/port=5002\\b/port=${ports[2]}/g" \
    -e "s/port=5003\\b/port=${ports[3]}/g" \
    -e 's/^gst-launch-1.0 /exec gst-launch-1.0 /' "$file"
}

# "sha256 Fingerprint=AB:.." of DIR/NAME.crt in the SDP form
sdp_fingerprint() {
  openssl x509 -in "$1/$2.crt" -noout -fingerprint -sha256 |
    sed -n 's/^[Ss][Hh][Aa]256 Fingerprint=/sha-256 /p'
}

count_connected() {
  grep -a -c 'dtls-connected' "$1" 2>/dev/null || true
}

show_log() {
  echo "--- last lines of $1:" >&2
  grep -a -v '(state-changed)\|(stream-status)' "$1" | tail -n 15 >&2 || true
}

# Waits until each LOG:N has N dtls-connected lines, or fails.
wait_connected() {
  local deadline=$((SECONDS + SECONDS_MAX)) spec log want done_all
  while :; do
    done_all=1
    for spec in "$@"; do
      log=${spec%:*}
      want=${spec##*:}
      [ "$(count_connected "$log")" -ge "$want" ] || done_all=0
    done
    [ "$done_all" = 1 ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      for spec in "$@"; do show_log "${spec%:*}"; done
      fail "no dtls-connected from every secdtlsdec within $SECONDS_MAX s"
    fi
    for pid in "${RUNNING[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        for spec in "$@"; do show_log "${spec%:*}"; done
        fail "a gst-launch-1.0 process exited before connecting"
      fi
    done
    sleep 0.2
  done
}

# Stops a process by PID: SIGINT (EOS with -e, close_notify), then
# SIGKILL after 5 s.
stop() {
  local pid=$1 tenths=0
  kill -INT "$pid" 2>/dev/null || true
  while [ "$tenths" -lt 50 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    tenths=$((tenths + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "  $pid did not stop within 5 s of SIGINT: killed"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# LOG must hold a dtls-connected of connection-id ID that verified the
# certificate DIR/PEER.crt, and no error or warning message.
check_log() {
  local log=$1 id=$2 dir=$3 peer=$4 fp line
  fp=$(sdp_fingerprint "$dir" "$peer")
  line=$(grep -a "dtls-connected, connection-id=(string)$id," "$log" || true)
  case "${line//\\/}" in
    *"peer-fingerprint=(string)\"$fp\""*) ;;
    *) show_log "$log"; fail "end $id did not verify $peer's certificate" ;;
  esac
  if grep -a -q '^ERROR\|^WARNING\|(error)\|(warning)' "$log"; then
    show_log "$log"
    fail "$(basename "$log"): an error or a warning"
  fi
  echo "  end $id verified $peer: $fp"
}

extract "$SOURCE_DIR/ext/dtls/gstsecdtlsenc.c" enc
extract "$SOURCE_DIR/ext/dtls/gstsecdtlsdec.c" dec
for f in enc.1 enc.2 dec.1 dec.2 dec.3; do
  [ -s "$WORK/$f.sh" ] || fail "no code block $f in the doc blocks"
done

# --- secdtlsenc: both ends in one process --------------------------------
echo "secdtlsenc's example: both ends in one process"
mkdir "$WORK/enc"
if ! (cd "$WORK/enc" && bash -e "$WORK/enc.1.sh") >"$WORK/enc-certs.log" 2>&1
then
  cat "$WORK/enc-certs.log" >&2
  fail "secdtlsenc's certificate commands failed"
fi
prepare "$WORK/enc.2.sh"
(cd "$WORK/enc" && exec bash -e "$WORK/enc.2.sh") >"$WORK/enc.log" 2>&1 &
PIDS+=($!)
RUNNING=($!)
wait_connected "$WORK/enc.log:2"
stop "${RUNNING[0]}"
check_log "$WORK/enc.log" a "$WORK/enc" b
check_log "$WORK/enc.log" b "$WORK/enc" a

# --- secdtlsdec: a server and a client in two processes -----------------
echo "secdtlsdec's example: a server and a client in two processes"
mkdir "$WORK/dec"
if ! (cd "$WORK/dec" && bash -e "$WORK/dec.1.sh") >"$WORK/dec-certs.log" 2>&1
then
  cat "$WORK/dec-certs.log" >&2
  fail "secdtlsdec's certificate commands failed"
fi
# both blocks get the same ports: read them once, apply to both
read -r -a PORTS < <(free_udp_ports)
for f in dec.2 dec.3; do
  sed -i -e "s/port=5002\\b/port=${PORTS[2]}/g" \
    -e "s/port=5003\\b/port=${PORTS[3]}/g" \
    -e 's/^gst-launch-1.0 /exec gst-launch-1.0 /' "$WORK/$f.sh"
done
(cd "$WORK/dec" && exec bash -e "$WORK/dec.2.sh") >"$WORK/server.log" 2>&1 &
PIDS+=($!)
RUNNING=($!)
(cd "$WORK/dec" && exec bash -e "$WORK/dec.3.sh") >"$WORK/client.log" 2>&1 &
PIDS+=($!)
RUNNING+=($!)
wait_connected "$WORK/server.log:1" "$WORK/client.log:1"
stop "${RUNNING[1]}"
stop "${RUNNING[0]}"
check_log "$WORK/server.log" b "$WORK/dec" a
check_log "$WORK/client.log" a "$WORK/dec" b
echo "OK: the doc blocks' launch lines work as written"
