#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Two ICE transports connect on 127.0.0.1 and exchange datagrams.

The complete form of the C fragment in docs/ice.md, in Python: each side
is a pipeline "appsrc ! secicesink" + "secicesrc ! appsink" on an ICE
transport of its own; this program plays signaling, passing credentials
and trickled candidates from one transport's signals to the other's
action signals, as an application would through its signaling channel.

Run from a build tree:  meson devenv -C build python3 \
    tests/examples/python/ice_pair.py
Needs python3-gi and gir1.2-gstreamer-1.0 (Debian). Exit status 0 when
both sides connected and every datagram arrived intact.
"""
import os
import sys
import threading

try:
    import gi

    gi.require_version("Gst", "1.0")
except (ImportError, ValueError) as error:
    # meson's test protocol: 77 = skipped, with the reason
    print(f"skipped: PyGObject with GStreamer is missing ({error}); "
          "install python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0")
    sys.exit(77)
from gi.repository import Gst  # noqa: E402

WAIT_S = 10


def check_ours(factory_name):
    """In the project's tests, the element must come from our build."""
    root = os.environ.get("SEC_BUILD_ROOT")
    factory = Gst.ElementFactory.find(factory_name)
    if factory is None:
        sys.exit(f"no element {factory_name}: is GST_PLUGIN_PATH set?")
    path = factory.get_plugin().get_filename()
    if root and not os.path.realpath(path).startswith(os.path.realpath(root)):
        sys.exit(f"{factory_name} comes from {path}, not from {root}")


class Side:
    def __init__(self, name, controlling, changed):
        self.name = name
        self.changed = changed  # a threading.Condition shared by both sides
        self.peer = None
        self.pipeline = Gst.parse_launch(
            f"appsrc name=out format=time ! secicesink transport={name} "
            f"secicesrc name=icesrc transport={name} "
            f"! appsink name=in sync=false async=false")
        self.appsrc = self.pipeline.get_by_name("out")
        self.appsink = self.pipeline.get_by_name("in")
        self.ice = self.pipeline.get_by_name("icesrc").get_property(
            "ice-transport")
        # loopback only: libnice skips loopback interfaces unless named
        self.ice.set_property("local-addresses", "127.0.0.1")
        self.ice.set_property("controlling", controlling)
        self.ice.connect("on-local-candidate", self.on_local_candidate)
        self.ice.connect("notify::state", self.on_state)

    # ICE thread: trickle each candidate to the peer at once
    def on_local_candidate(self, ice, candidate):
        print(f"{self.name} signals  a={candidate}")
        if not self.peer.ice.emit("add-remote-candidate", candidate):
            print(f"FAIL: {self.peer.name} refused {candidate}")

    def on_state(self, ice, pspec):
        with self.changed:
            self.changed.notify_all()

    def state(self):
        return self.ice.get_property("state").value_nick

    def connected(self):
        return self.state() in ("connected", "completed")

    def give_credentials_to(self, other):
        ufrag = self.ice.get_property("local-ufrag")
        pwd = self.ice.get_property("local-pwd")  # secret: never print it
        if not other.ice.emit("set-remote-credentials", ufrag, pwd):
            sys.exit(f"FAIL: {other.name} refused {self.name}'s credentials")

    def send(self, data):
        return self.appsrc.emit("push-buffer", Gst.Buffer.new_wrapped(data))

    def receive(self, timeout_s):
        sample = self.appsink.emit("try-pull-sample", timeout_s * Gst.SECOND)
        if sample is None:
            return None
        buf = sample.get_buffer()
        return buf.extract_dup(0, buf.get_size())


def main():
    Gst.init(None)
    for factory in ("secicesrc", "secicesink"):
        check_ours(factory)
    changed = threading.Condition()
    offerer = Side("offerer", True, changed)
    answerer = Side("answerer", False, changed)
    offerer.peer, answerer.peer = answerer, offerer

    offerer.give_credentials_to(answerer)
    answerer.give_credentials_to(offerer)
    for side in (offerer, answerer):
        side.pipeline.set_state(Gst.State.PLAYING)  # gathering starts
    with changed:
        ok = changed.wait_for(
            lambda: offerer.connected() and answerer.connected(), WAIT_S)
    if not ok:
        sys.exit(f"FAIL: not connected after {WAIT_S} s "
                 f"({offerer.state()}, {answerer.state()})")
    pair = offerer.ice.get_property("selected-pair")
    print(f"connected: {pair.get_string('local-type')} "
          f"{pair.get_string('local-address')}:"
          f"{pair.get_uint('local-port')[1]} <-> "
          f"{pair.get_string('remote-type')} "
          f"{pair.get_string('remote-address')}:"
          f"{pair.get_uint('remote-port')[1]}")

    failed = False
    for sender, receiver in ((offerer, answerer), (answerer, offerer)):
        # the first datagrams may race the peer's choice of a pair
        for _ in range(50):
            sender.send(b"probe")
            if receiver.receive(0.1) is not None:
                break
        while receiver.receive(0.05) is not None:
            pass  # late probes
        for i in range(10):
            data = bytes((i + j) % 256 for j in range(100 + 50 * i))
            sender.send(data)
            got = receiver.receive(5)
            if got != data:
                print(f"FAIL: datagram {i} from {sender.name} "
                      f"{'lost' if got is None else 'changed'}")
                failed = True
        print(f"{sender.name} -> {receiver.name}: 10 datagrams "
              f"{'FAILED' if failed else 'arrived intact'}")
    stats = answerer.ice.get_property("stats")
    print(f"answerer's transport: {stats.get_uint64('datagrams-received')[1]}"
          f" datagrams received, "
          f"{stats.get_uint64('datagrams-dropped')[1]} dropped")
    for side in (offerer, answerer):
        side.pipeline.set_state(Gst.State.NULL)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
