#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Data channels from Python with secsctpenc and secsctpdec.

Two peers in one pipeline, each an SCTP association (secsctpenc and
secsctpdec with one association-id) over a DTLS association (secdtlsenc
and secdtlsdec with one connection-id), joined back to back:

    secsctpenc ! secdtlsenc ! secdtlsdec ! secsctpdec   (each way)

Peer a (the DTLS client, even channel ids) opens the channel "chat";
peer b sees it through on-channel. Each sends a text and a binary
message, the other prints what arrived; then a closes the channel and
both see it close.

Run from a build tree:  meson devenv -C build python3 \
    tests/examples/python/sctp_chat.py
Needs python3-gi and gir1.2-gstreamer-1.0 (Debian).
"""
import os
import sys
import threading

try:
    import gi

    gi.require_version("Gst", "1.0")
except (ImportError, ValueError) as error:
    print(f"skipped: PyGObject with GStreamer is missing ({error}); "
          "install python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0")
    sys.exit(77)
from gi.repository import GLib, Gst  # noqa: E402


def check_ours(factory_name):
    """In the project's tests, the element must come from our build."""
    root = os.environ.get("SEC_BUILD_ROOT")
    factory = Gst.ElementFactory.find(factory_name)
    if factory is None:
        sys.exit(f"no element {factory_name}: is GST_PLUGIN_PATH set?")
    path = factory.get_plugin().get_filename()
    if root and not os.path.realpath(path).startswith(os.path.realpath(root)):
        sys.exit(f"{factory_name} comes from {path}, not from {root}")


class Peer:
    """One end: its four elements and what it saw."""

    def __init__(self, pipeline, name, is_client):
        self.name = name
        self.dtlsenc = Gst.ElementFactory.make("secdtlsenc")
        self.dtlsdec = Gst.ElementFactory.make("secdtlsdec")
        self.sctpenc = Gst.ElementFactory.make("secsctpenc")
        self.sctpdec = Gst.ElementFactory.make("secsctpdec")
        self.dtlsenc.set_property("connection-id", name)
        self.dtlsenc.set_property("is-client", is_client)
        self.dtlsdec.set_property("connection-id", name)
        # the SCTP association: same id on both, and the DTLS role
        self.sctpenc.set_property("association-id", name)
        self.sctpenc.set_property("is-client", is_client)
        self.sctpdec.set_property("association-id", name)
        for element in (self.dtlsenc, self.dtlsdec, self.sctpenc,
                        self.sctpdec):
            pipeline.add(element)
        sink = self.dtlsenc.request_pad_simple("sink")
        self.sctpenc.get_static_pad("src").link(sink)
        self.dtlsdec.link(self.sctpdec)

        self.lock = threading.Condition()
        self.events = []
        self.sctpdec.connect("on-channel", self.on_channel)
        self.sctpdec.connect("on-open", self.on_open)
        self.sctpdec.connect("on-message", self.on_message)
        self.sctpdec.connect("on-close", self.on_close)

    # the signals come from the association's thread
    def record(self, event):
        with self.lock:
            self.events.append(event)
            self.lock.notify_all()

    def on_channel(self, dec, channel_id, info):
        self.record(("channel", channel_id, info.get_string("label")))

    def on_open(self, dec, channel_id):
        self.record(("open", channel_id))

    def on_message(self, dec, channel_id, binary, data):
        payload = data.get_data() or b""
        self.record(("message", channel_id,
                     payload if binary else payload.decode("utf-8")))

    def on_close(self, dec, channel_id):
        self.record(("close", channel_id))

    def wait(self, kind, timeout_s=10):
        """The first event of @kind, removed from the list."""
        deadline = GLib.get_monotonic_time() + int(timeout_s * 1e6)
        with self.lock:
            while True:
                for event in self.events:
                    if event[0] == kind:
                        self.events.remove(event)
                        return event
                left = (deadline - GLib.get_monotonic_time()) / 1e6
                if left <= 0 or not self.lock.wait(left):
                    sys.exit(f"{self.name}: no {kind} within {timeout_s} s")


def main():
    Gst.init(None)
    for factory in ("secsctpenc", "secsctpdec", "secdtlsenc", "secdtlsdec"):
        check_ours(factory)
    pipeline = Gst.Pipeline()
    a = Peer(pipeline, "chat-a", True)
    b = Peer(pipeline, "chat-b", False)
    for me, peer in ((a, b), (b, a)):
        me.dtlsenc.link(peer.dtlsdec)
        # in WebRTC the fingerprints travel in the SDP
        fingerprint = peer.dtlsenc.get_property("local-fingerprint")
        me.dtlsdec.set_property("peer-fingerprint", fingerprint)
    pipeline.set_state(Gst.State.PLAYING)

    # a channel may be opened before the association is up
    options = Gst.Structure.new_from_string("options, ordered=true")
    channel_id = a.sctpenc.emit("open-channel", "chat", options)
    print(f"a opened channel {channel_id}")
    print("b sees", b.wait("channel"))
    print("a sees", a.wait("open"))

    a.sctpenc.emit("send-string", channel_id, "hello from a")
    b.sctpenc.emit("send-string", channel_id, "hello from b")
    a.sctpenc.emit("send-data", channel_id, GLib.Bytes.new(b"\x00\x01\x02"))
    b.sctpenc.emit("send-data", channel_id, GLib.Bytes.new(b"\xff"))
    got_b = [b.wait("message")[2] for _ in range(2)]
    got_a = [a.wait("message")[2] for _ in range(2)]
    print("b received", got_b)
    print("a received", got_a)
    if got_b != ["hello from a", b"\x00\x01\x02"] or \
            got_a != ["hello from b", b"\xff"]:
        sys.exit("the messages differ from what was sent")

    a.sctpenc.emit("close-channel", channel_id)
    print("a sees", a.wait("close"), "b sees", b.wait("close"))
    pipeline.set_state(Gst.State.NULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
