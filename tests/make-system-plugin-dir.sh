#!/bin/sh
# Builds the system plugin directory our tests see: a folder of links to
# every plugin of the system plugin directory except the ones that would
# stand in for ours (docs/design/overview.md, "Element names"):
# gst-plugins-bad's dtls, srtp, sctp and webrtc plugins and libnice's gst
# plugin.
# The folder is only rewritten when the set of plugins changed, and then
# replaced in one rename, so a test running meanwhile never sees it half
# made.
# usage: make-system-plugin-dir.sh SYSTEM_PLUGIN_DIR OUT_DIR STAMP
set -eu
src=$1
out=$2
stamp=$3
tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
for f in "$src"/libgst*.so; do
  [ -e "$f" ] || continue
  case "${f##*/}" in
    libgstdtls.so|libgstsrtp.so|libgstwebrtc.so|libgstnice.so|libgstrswebrtc.so|libgstsctp.so)
      continue ;;
  esac
  ln -s "$f" "$tmp/${f##*/}"
done
if [ -d "$out" ] && [ "$(ls "$out")" = "$(ls "$tmp")" ]; then
  rm -rf "$tmp"
else
  rm -rf "$out.old.$$"
  [ -d "$out" ] && mv "$out" "$out.old.$$"
  mv "$tmp" "$out"
  rm -rf "$out.old.$$"
fi
echo "$src" > "$stamp"
