#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The main job (./run demo, tests/examples/webrtc-call.c) as a test: the
# call connects with both certificates verified and decodes media both
# ways; the call with the answer's (or the offer's) fingerprint tampered
# fails on both sides with an error naming both fingerprints and no
# media; the program says so in the lines checked here and its exit
# status says whether both outcomes were right: --tamper none (the
# second call connects) and an unreachable --frames must exit 1, bad
# options 2. No GLib/GStreamer criticals or warnings on the way.
# Usage: webrtc-call.sh PATH-TO-webrtc-call
set -u
demo=$1
fail=0

run() { # name, expected exit status, args...; sets $out
  local name=$1 status=$2 rc
  shift 2
  out=$(timeout 120 "$demo" "$@" 2>&1)
  rc=$?
  if [ "$rc" != "$status" ]; then
    echo "FAIL $name: exit status $rc, expected $status"; bad=1
  fi
  if grep -qE "CRITICAL|WARNING \*\*|Trying to dispose" <<<"$out"; then
    echo "FAIL $name: criticals or warnings from GLib/GStreamer:"
    grep -E "CRITICAL|WARNING \*\*|Trying to dispose" <<<"$out"; bad=1
  fi
}

says() { # text the output must contain (fixed string), how many times
  local n
  n=$(grep -cF -- "$1" <<<"$out")
  if [ "$n" -lt "${2:-1}" ]; then
    echo "FAIL $name: the output says ${n} times, not ${2:-1}: $1"; bad=1
  fi
}

says_re() { # extended regular expression the output must match
  grep -qE -- "$1" <<<"$out" || { echo "FAIL $name: no line matches: $1"; bad=1; }
}

done_case() {
  if [ $bad = 0 ]; then echo "ok $name"; else
    echo "--- output of $name:"; echo "$out"; fail=1; fi
}

# the demo as ./run demo runs it, with 30 frames
name=call; bad=0
run $name 0 --frames 30
# our element, from the build tree
says "secwebrtcbin from ${SEC_BUILD_ROOT:-/nonexistent}/"
# call 1: what the SDP said, connected, security-info of each side
says "offer, caller -> callee (" 2
says "answer, callee -> caller (" 1
says "a=setup:actpass" 2
says "a=setup:active" 2
says "connection-state: caller connected, callee connected"
# the data channel: an m=application line, one message each way (the
# caller offered: DTLS server, odd stream ids, RFC 8832 §6)
says "    m=application 9 UDP/DTLS/SCTP webrtc-datachannel  a=mid:2" 2
says_re "^  data channel 'chat' \(SCTP stream [0-9]*[13579]\): caller -> callee: \"hello from the caller\"$"
says_re "^  data channel 'chat' \(SCTP stream [0-9]*[13579]\): callee -> caller: \"hello from the callee\"$"
says "DTLS version:       DTLSv1.2" 2
says_re "^    SRTP profile:       (aead-aes-256-gcm|aead-aes-128-gcm|aes128-cm-sha1-80) "
says "(verified: the peer's certificate matches the a=fingerprint received)" 2
# the short authentication string: four words, the same on both sides
sas=$(sed -n '/^Call 1/,/^Call 2/p' <<<"$out" | sed -n 's/^    SAS:                //p')
n=$(printf '%s\n' "$sas" | grep -cE '^[a-z]+ [a-z]+ [a-z]+ [a-z]+$')
u=$(printf '%s\n' "$sas" | sort -u | wc -l)
[ "$n" = 2 ] && [ "$u" = 1 ] || { echo "FAIL $name: the two sides' SAS differ or are missing: $sas"; bad=1; }
says_re "^    caller -> callee: host udp 127\.0\.0\.1:[0-9]+, end-of-candidates$"
says_re "^    callee -> caller: host udp 127\.0\.0\.1:[0-9]+, end-of-candidates$"
# at least 30 video frames and 30 audio buffers decoded each way
n=$(sed -n '/^Call 1/,/^Call 2/p' <<<"$out" | grep -cE \
  "^    (caller -> callee|callee -> caller): ([3-9][0-9]|[1-9][0-9]{2,}) video frames, ([3-9][0-9]|[1-9][0-9]{2,}) audio buffers$")
[ "$n" = 2 ] || { echo "FAIL $name: not 30 frames of each kind decoded each way"; bad=1; }
says "  OK: connected; each side verified the other's certificate"
# call 2: the answer tampered, refused on both sides, nothing decoded
says "answer, callee -> caller, a=fingerprint TAMPERED in transit ("
says "connection-state: caller failed, callee failed"
says_re "^      peer certificate fingerprint sha-256 [0-9A-F:]{95} does not match the expected sha-256 [0-9A-F:]{95}$"
says "security-info: none on either side (never connected)"
n=$(sed -n '/^Call 2/,$p' <<<"$out" | grep -cE \
  "^    (caller -> callee|callee -> caller): 0 video frames, 0 audio buffers$")
[ "$n" = 2 ] || { echo "FAIL $name: media decoded in the tampered call"; bad=1; }
says "  OK: refused: the caller checked the callee's certificate"
says "OK: the call connected with both certificates verified"
done_case

# the offer tampered instead: the callee (DTLS client) refuses
name=tamper-offer; bad=0
run $name 0 --frames 10 --tamper offer
says "offer, caller -> callee, a=fingerprint TAMPERED in transit ("
says "connection-state: caller failed, callee failed"
says "  OK: refused: the callee checked the caller's certificate"
done_case

# the second call not tampered: it connects, and the program must say
# the refusal is missing and exit 1
name=tamper-none; bad=0
run $name 1 --frames 10 --tamper none
says "connection-state: caller connected, callee connected" 2
says "FAIL: the tampered call was not refused as it should be"
done_case

# too few frames within the timeout: the first outcome is wrong, exit 1
name=too-few-frames; bad=0
run $name 1 --frames 100000 --timeout 3
says "FAIL: fewer than 100000 video frames and audio buffers decoded each way within 3 s"
says "FAIL: the call did not work as it should"
says "  OK: refused:"
done_case

# options
name=help; bad=0
run $name 0 --help
says "--frames=N"
says "(default: 60)"
says "(default: 20)"
says "(default: answer)"
says "--show-sdp"
done_case

name=bad-frames; bad=0
run $name 2 --frames 0
says "--frames and --timeout must be at least 1"
done_case

name=bad-tamper; bad=0
run $name 2 --tamper fingerprint
says "--tamper: unknown value 'fingerprint' (known: answer, offer, none)"
done_case

# --show-sdp: the descriptions whole, the ICE password not
name=show-sdp; bad=0
run $name 0 --frames 10 --show-sdp
says "    the offer as the callee receives it:" 2
says "      a=rtpmap:96 VP8/90000" 4
says_re "^      a=ice-pwd:\([0-9]+ characters, not printed\)$"
if grep -qE "^      a=ice-pwd:[^(]" <<<"$out"; then
  echo "FAIL $name: an ICE password printed"; bad=1
fi
done_case

exit $fail
