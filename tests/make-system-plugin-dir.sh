#!/bin/sh
# Builds the system plugin directory our tests see: a folder of links to
# every plugin of the system plugin directory except the ones that would
# stand in for ours (DESIGN.md, "Element names"): gst-plugins-bad's dtls,
# srtp and webrtc plugins and libnice's gst plugin.
# usage: make-system-plugin-dir.sh SYSTEM_PLUGIN_DIR OUT_DIR STAMP
set -eu
src=$1
out=$2
stamp=$3
rm -rf "$out"
mkdir -p "$out"
for f in "$src"/libgst*.so; do
  [ -e "$f" ] || continue
  case "${f##*/}" in
    libgstdtls.so|libgstsrtp.so|libgstwebrtc.so|libgstnice.so|libgstrswebrtc.so)
      continue ;;
  esac
  ln -s "$f" "$out/${f##*/}"
done
echo "$src" > "$stamp"
