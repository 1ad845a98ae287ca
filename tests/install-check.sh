#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An installed tree loads: `meson install` into a staging directory, then
# GStreamer finds every element there through GST_PLUGIN_PATH (as README
# "Installing" tells users to do for a prefix Debian's GStreamer does not
# search), reports it from the installed file, and an installed secsrtpenc
# and secsrtpdec carry a packet through a pipeline.
# Usage: install-check.sh BUILD_DIR ELEMENT...
set -euo pipefail
build=$1
shift
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --no-rebuild --destdir "$stage" >"$stage/install.log" 2>&1 || {
  cat "$stage/install.log"; echo "FAIL: meson install"; exit 1; }
plugindir=$(dirname "$(find "$stage" -name 'libgstsecsrtp.so' | head -n 1)")
[ -d "$plugindir" ] || { echo "FAIL: no libgstsecsrtp.so installed"; exit 1; }
echo "installed plugins: ${plugindir#"$stage"}"

# only the installed plugins and the system's (gst-plugins-bad's same-purpose
# ones cannot shadow ours: every name of ours starts with "sec")
export GST_PLUGIN_PATH_1_0=$plugindir GST_PLUGIN_PATH=$plugindir
export GST_REGISTRY_1_0=$stage/registry.bin
unset GST_PLUGIN_SYSTEM_PATH_1_0
fail=0
for element in "$@"; do
  plugin_file=$(gst-inspect-1.0 "$element" 2>/dev/null | sed -n 's/^ *Filename *//p')
  case "$plugin_file" in
    "$plugindir"/*) echo "ok $element from ${plugin_file#"$stage"}" ;;
    "") echo "FAIL: $element not found in the installed tree"; fail=1 ;;
    *) echo "FAIL: $element loads from $plugin_file, not the installed tree"; fail=1 ;;
  esac
done

# the installed elements work: an RTP packet protected and unprotected
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d
out=$(timeout 30 gst-launch-1.0 audiotestsrc num-buffers=5 ! alawenc ! rtppcmapay ! \
  secsrtpenc key=$key ! secsrtpdec key=$key ! rtppcmadepay ! \
  fakesink silent=false -v 2>&1) || { echo "$out"; echo "FAIL: pipeline"; fail=1; }
chains=$(grep -c "chain" <<<"$out" || true)
if [ "$chains" -lt 5 ]; then
  echo "$out"; echo "FAIL: $chains of 5 packets came through"; fail=1
else
  echo "ok 5 packets through the installed secsrtpenc ! secsrtpdec"
fi
exit $fail
