#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ./run demo with a mistyped option: a clear error naming what is known,
# exit status 1, and nothing else (no GLib/GStreamer criticals on the way
# out). Usage: dtls-call-errors.sh PATH-TO-dtls-call
set -u
demo=$1
fail=0

check() { # name, expected exit status, text the error must contain, args...
  local name=$1 status=$2 text=$3
  shift 3
  local out rc
  out=$(timeout 60 "$demo" "$@" 2>&1)
  rc=$?
  if [ "$rc" != "$status" ]; then
    echo "FAIL $name: exit status $rc, expected $status"; fail=1
  fi
  if ! grep -qF -- "$text" <<<"$out"; then
    echo "FAIL $name: the output does not say: $text"; fail=1
  fi
  if grep -qE "CRITICAL|WARNING \*\*|Trying to dispose" <<<"$out"; then
    echo "FAIL $name: criticals or warnings from GLib/GStreamer:"
    grep -E "CRITICAL|WARNING \*\*|Trying to dispose" <<<"$out"; fail=1
  fi
  [ $fail = 0 ] && echo "ok $name"
  [ $fail = 0 ] || { echo "--- output of $name:"; echo "$out"; }
}

check mistyped-profile 1 \
  "unknown SRTP profile 'aes128-cm-sha1-8O' (known: aead-aes-256-gcm, aead-aes-128-gcm, aes128-cm-sha1-80, aes128-cm-sha1-32)" \
  --profile aes128-cm-sha1-8O
check negative-frames 2 "--frames must be at least 1" --frames 0
check help 0 "(default: 90)" --help
exit $fail
