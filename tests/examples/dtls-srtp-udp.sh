#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# dtls-srtp-udp.sh: a DTLS-SRTP audio call between two gst-launch-1.0
# processes on 127.0.0.1, keyed by secdtlsenc/secdtlsdec, protected by
# secsrtpenc/secsrtpdec. docs/dtls-srtp-pipeline.md explains every line.
#
#   receiver (DTLS server): DTLS in on port A, DTLS out to port B,
#                           SRTP in on port C, decoded audio to a file
#   sender   (DTLS client): DTLS in on port B, DTLS out to port A,
#                           SRTP out to port C
#
# There is no RFC 7983 demux element yet, so DTLS and SRTP use separate
# UDP ports; the DTLS-exported keys do not depend on the transport.
#
# Run it where the plugins are installed, or from a build tree:
#   meson devenv -C build -w . tests/examples/dtls-srtp-udp.sh
# Environment: SECONDS_MAX (default 20) bounds the wait for audio,
# MIN_BYTES (default 16000: one second of decoded 8 kHz audio) is the
# amount of audio that must arrive, KEEP_LOGS=1 keeps the work directory.
# Exit status: 0 when the call worked, 1 when it did not, 77 (skip) when
# a program it needs (openssl, gst-launch-1.0, an element) is missing.
set -euo pipefail

SECONDS_MAX=${SECONDS_MAX:-20}
MIN_BYTES=${MIN_BYTES:-16000}
GST_LAUNCH=${GST_LAUNCH:-gst-launch-1.0}
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
command -v "$GST_LAUNCH" >/dev/null || skip "$GST_LAUNCH is not installed"
for element in secdtlsenc secdtlsdec secsrtpenc secsrtpdec udpsrc udpsink \
    audiotestsrc alawenc alawdec rtppcmapay rtppcmadepay; do
  # (not --exists: it also demands the GStreamer version of the plugin)
  "$GST_INSPECT" "$element" >/dev/null 2>&1 ||
    skip "element $element not found (install gst-secwebrtc," \
      "or run inside 'meson devenv -C build')"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dtls-srtp-udp.XXXXXX")
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

# --- certificates and fingerprints -------------------------------------
# Each peer has its own self-signed ECDSA P-256 certificate. Only the
# fingerprints are exchanged (in WebRTC, as a=fingerprint in the SDP).
make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -sha256 -days 1 -subj "/CN=$1" \
    -keyout "$WORK/$1.key" -out "$WORK/$1.crt" 2>/dev/null
  cat "$WORK/$1.crt" "$WORK/$1.key" >"$WORK/$1.pem"
  rm -f "$WORK/$1.key"
}

# "sha256 Fingerprint=AB:CD:.." -> "sha-256 AB:CD:.." (the SDP form)
fingerprint() {
  openssl x509 -in "$WORK/$1.crt" -noout -fingerprint -sha256 |
    sed -n 's/^[Ss][Hh][Aa]256 Fingerprint=/sha-256 /p'
}

make_certificate server
make_certificate client
SERVER_FP=$(fingerprint server)
CLIENT_FP=$(fingerprint client)
if [ -z "$SERVER_FP" ] || [ -z "$CLIENT_FP" ]; then
  fail "could not compute the certificate fingerprints"
fi

# --- ports ---------------------------------------------------------------
# Three free UDP ports on loopback: A (DTLS to the server), B (DTLS to
# the client), C (SRTP to the receiver).
free_udp_ports() {
  if command -v python3 >/dev/null; then
    python3 - <<'EOF'
import socket
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
  else
    local base=$((20000 + RANDOM % 40000))
    echo "$base $((base + 1)) $((base + 2))"
  fi
}
read -r PORT_A PORT_B PORT_C < <(free_udp_ports)

OUT="$WORK/received.raw"
SRTP_CAPS="application/x-srtp,media=audio,clock-rate=8000"
SRTP_CAPS="$SRTP_CAPS,encoding-name=PCMA,payload=8"

# gst-launch splits its command line at white space outside quotes, and
# a PEM block has newlines: the value goes inside double quotes.
SERVER_PEM="\"$(cat "$WORK/server.pem")\""
CLIENT_PEM="\"$(cat "$WORK/client.pem")\""

# --- the receiver: DTLS server, SRTP decoder ----------------------------
"$GST_LAUNCH" -e -m \
  udpsrc address=127.0.0.1 port="$PORT_A" \
  ! secdtlsdec connection-id=srv certificate="$SERVER_PEM" \
      peer-fingerprint="$CLIENT_FP" srtp-decoder=sd \
  ! fakesink async=false \
  secdtlsenc connection-id=srv \
  ! udpsink host=127.0.0.1 port="$PORT_B" sync=false async=false \
  udpsrc address=127.0.0.1 port="$PORT_C" caps="$SRTP_CAPS" \
  ! secsrtpdec name=sd wait-for-key=true \
  ! rtppcmadepay ! alawdec \
  ! filesink location="$OUT" buffer-mode=unbuffered async=false \
  >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!

# --- the sender: DTLS client, SRTP encoder ------------------------------
"$GST_LAUNCH" -e -m \
  udpsrc address=127.0.0.1 port="$PORT_B" \
  ! secdtlsdec connection-id=cli certificate="$CLIENT_PEM" \
      peer-fingerprint="$SERVER_FP" \
  ! fakesink async=false \
  secdtlsenc connection-id=cli is-client=true srtp-encoder=se \
  ! udpsink host=127.0.0.1 port="$PORT_A" sync=false async=false \
  audiotestsrc is-live=true ! alawenc ! rtppcmapay \
  ! secsrtpenc name=se wait-for-key=true \
  ! udpsink host=127.0.0.1 port="$PORT_C" sync=false async=false \
  >"$WORK/sender.log" 2>&1 &
SENDER_PID=$!

echo "DTLS-SRTP call on 127.0.0.1: DTLS on ports $PORT_A/$PORT_B," \
  "SRTP on port $PORT_C"
echo "  server certificate $SERVER_FP"
echo "  client certificate $CLIENT_FP"

# --- wait for decoded audio (bounded) -----------------------------------
size_of() {
  if [ -f "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi
}

start=$(date +%s%N)
deadline=$((start + SECONDS_MAX * 1000000000))
received=0
while :; do
  received=$(size_of "$OUT")
  [ "$received" -ge "$MIN_BYTES" ] && break
  kill -0 "$RECEIVER_PID" 2>/dev/null || break
  kill -0 "$SENDER_PID" 2>/dev/null || break
  [ "$(date +%s%N)" -lt "$deadline" ] || break
  sleep 0.2
done
elapsed_ms=$((($(date +%s%N) - start) / 1000000))

# --- stop both by PID: SIGINT (EOS with -e, close_notify), then SIGKILL --
stop() {
  local pid=$1 name=$2 tenths=0
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || echo "  $name had already exited with status $?"
    return 0
  fi
  kill -INT "$pid" 2>/dev/null || true
  while [ "$tenths" -lt 50 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    tenths=$((tenths + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "  $name did not stop within 5 s of SIGINT: killed"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
stop "$SENDER_PID" sender
stop "$RECEIVER_PID" receiver
SENDER_PID=""
RECEIVER_PID=""

# --- what happened -------------------------------------------------------
connected_line() {
  grep -a -m1 'dtls-connected' "$WORK/$1.log" |
    sed 's/^Got message #[0-9]* from //' || true
}
RECEIVER_CONNECTED=$(connected_line receiver)
SENDER_CONNECTED=$(connected_line sender)
echo "receiver (DTLS server): ${RECEIVER_CONNECTED:-no dtls-connected message}"
echo "sender   (DTLS client): ${SENDER_CONNECTED:-no dtls-connected message}"

show_logs() {
  local log
  for log in receiver sender; do
    echo "--- last lines of the $log's gst-launch output:" >&2
    grep -a -v '(state-changed)\|(stream-status)' "$WORK/$log.log" |
      tail -n 15 >&2 || true
  done
}

if [ -z "$RECEIVER_CONNECTED" ] || [ -z "$SENDER_CONNECTED" ]; then
  show_logs
  fail "the DTLS handshake did not complete"
fi
# Each side must report the other's certificate as the verified peer
# (gst-launch prints "sha-256\ AB:..": drop the backslashes first).
case "${RECEIVER_CONNECTED//\\/}" in
  *"peer-fingerprint=(string)\"$CLIENT_FP\""*) ;;
  *) fail "the server did not report the client's fingerprint as verified" ;;
esac
case "${SENDER_CONNECTED//\\/}" in
  *"peer-fingerprint=(string)\"$SERVER_FP\""*) ;;
  *) fail "the client did not report the server's fingerprint as verified" ;;
esac
if [ "$received" -lt "$MIN_BYTES" ]; then
  show_logs
  fail "only $received bytes of decoded audio arrived in $elapsed_ms ms" \
    "(wanted $MIN_BYTES)"
fi
echo "OK: $received bytes of audio decrypted and decoded after $elapsed_ms ms"
