#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A man in the middle who controls signaling, and the short
authentication string that exposes him (docs/security.md).

Four secwebrtcbin in this process, each in a pipeline of its own, all on
127.0.0.1: Alice and Bob, the victims, and Mallory's two bins, one facing
each. This program plays the signaling channel, which Mallory controls:

1. Alice's offer goes to Mallory's bin facing her, whose answer goes back
   to Alice. Every fingerprint Alice sees is that bin's certificate, as if
   Mallory had rewritten Bob's in transit, consistently.
2. What Alice sends arrives at Mallory, who relays it (depayloaded and
   payloaded again) into his bin facing Bob; that bin offers to Bob, and
   Bob's answer goes back to it.
3. Both calls connect; both victims' fingerprint checks pass (each
   verified exactly the certificate signaling named); Bob decodes Alice's
   video through Mallory. The fingerprints could not tell.
4. The short authentication strings can: Alice's equals the one of
   Mallory's bin facing her, Bob's the one facing him, and Alice's and
   Bob's differ (equal by chance once in 2^44). Read aloud over the call,
   they expose him.

Then a direct call between Alice and Bob, for comparison: both show the
same string.

Run from a build tree:  meson devenv -C build -w . /usr/bin/python3 \
    tests/examples/python/sas_mitm.py
Exit status 0 when all of the above held; every wait is bounded.
"""
import faulthandler
import os
import sys
import threading

try:
    import gi

    gi.require_version("Gst", "1.0")
except (ImportError, ValueError) as error:
    print(f"skipped: PyGObject with GStreamer is missing ({error}); "
          "install python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0")
    sys.exit(1 if os.environ.get("CI") else 77)
from gi.repository import Gst  # noqa: E402

# the helpers of the two-party call (same folder)
from webrtc_call import (Failure, Refused, check_ours,  # noqa: E402
                         decode_vp8, promise_call)

WAIT_S = 10          # one step: a promise, connecting, the first frames
DEADLINE_S = 50      # the whole program (meson's timeout is 60 s)
MIN_FRAMES = 20      # decoded VP8 frames at Bob

VP8_CAPS = ("application/x-rtp,media=video,encoding-name=VP8,"
            "clock-rate=90000,payload=96")
# a victim: sends VP8, decodes what arrives
VICTIM = ("videotestsrc is-live=true "
          "! video/x-raw,width=320,height=240,framerate=30/1 "
          "! vp8enc deadline=1 ! rtpvp8pay pt=96 ! " + VP8_CAPS + " "
          "! secwebrtcbin name=pc local-addresses=127.0.0.1")
# Mallory: a bin facing Alice, and one facing Bob fed with what the first
# receives
MALLORY = ("secwebrtcbin name=to_alice local-addresses=127.0.0.1 "
           "rtpvp8depay name=relay ! rtpvp8pay pt=96 ! " + VP8_CAPS + " "
           "! secwebrtcbin name=to_bob local-addresses=127.0.0.1")


class Side:
    """One secwebrtcbin and what this program watches of it."""

    def __init__(self, name, pc, pipeline, changed):
        self.name = name
        self.pc = pc
        self.pipeline = pipeline
        self.changed = changed
        self.other = None       # the bin at the other end of its call
        self.frames = 0
        self.errors = []
        pc.connect("on-ice-candidate", self.on_ice_candidate)
        pc.connect("notify::connection-state", self.on_state)

    def on_ice_candidate(self, pc, mline, candidate):
        self.other.pc.emit("add-ice-candidate", mline, candidate)

    def on_state(self, pc, pspec):
        with self.changed:
            self.changed.notify_all()

    def create(self, kind):
        sdp = promise_call(self.pc, f"create-{kind}", None).get_string("sdp")
        promise_call(self.pc, "set-local-description", kind, None)
        return sdp

    def set_remote(self, kind, sdp):
        promise_call(self.pc, "set-remote-description", kind, sdp)

    def state(self):
        return self.pc.get_property("connection-state").value_nick

    def info(self):
        info = self.pc.get_property("security-info")
        if info is None:
            raise Failure(f"{self.name}: connected without security-info")
        return info

    def decode_what_arrives(self):
        self.pc.connect("pad-added", self.on_pad_added)

    def on_pad_added(self, pc, pad):
        decode_vp8(self.pipeline, pad, self.on_frame)

    def on_frame(self, pad, info):
        with self.changed:
            self.frames += 1
            self.changed.notify_all()
        return Gst.PadProbeReturn.OK


def watch_errors(pipeline, sides, changed):
    bus = pipeline.get_bus()
    bus.enable_sync_message_emission()

    def on_error(bus, message):
        error, debug = message.parse_error()
        with changed:
            sides[0].errors.append(f"{message.src.get_name()}: "
                                   f"{error.message} ({debug})")
            changed.notify_all()
    bus.connect("sync-message::error", on_error)


def wait_for(changed, predicate, what, sides):
    with changed:
        if not changed.wait_for(
                lambda: predicate() or any(s.errors for s in sides), WAIT_S):
            raise Failure(f"{what}: not within {WAIT_S} s (states "
                          f"{[(s.name, s.state()) for s in sides]})")
        errors = [e for s in sides for e in s.errors]
        if errors:
            raise Failure(f"{what}: error on a bus: {errors}")


def check_verified(side, expected_fingerprint, expected_name):
    """The fingerprint check passed, on the certificate signaling named."""
    info = side.info()
    found, verified = info.get_boolean("fingerprint-verified")
    remote = info.get_string("remote-fingerprint")
    if not (found and verified) or remote != expected_fingerprint:
        raise Failure(f"{side.name} verified {remote} ({verified}); "
                      f"signaling named {expected_fingerprint}")
    print(f"  {side.name} verified the certificate signaling named "
          f"({expected_name}'s): {remote[:31]}...")
    return info.get_string("sas")


def play(pipelines):
    for pipeline in pipelines:
        if (pipeline.set_state(Gst.State.PLAYING)
                == Gst.StateChangeReturn.FAILURE):
            raise Failure("a pipeline does not play")


def man_in_the_middle():
    changed = threading.Condition()
    alice_pipe = Gst.parse_launch(VICTIM)
    bob_pipe = Gst.parse_launch(VICTIM)
    mallory_pipe = Gst.parse_launch(MALLORY)
    alice = Side("Alice", alice_pipe.get_by_name("pc"), alice_pipe, changed)
    bob = Side("Bob", bob_pipe.get_by_name("pc"), bob_pipe, changed)
    m_alice = Side("Mallory facing Alice",
                   mallory_pipe.get_by_name("to_alice"), mallory_pipe,
                   changed)
    m_bob = Side("Mallory facing Bob", mallory_pipe.get_by_name("to_bob"),
                 mallory_pipe, changed)
    alice.other, m_alice.other = m_alice, alice
    bob.other, m_bob.other = m_bob, bob
    sides = (alice, m_alice, m_bob, bob)
    pipelines = (alice_pipe, bob_pipe, mallory_pipe)
    for side, pipe in ((alice, alice_pipe), (bob, bob_pipe),
                       (m_alice, mallory_pipe)):
        watch_errors(pipe, [side], changed)
    bob.decode_what_arrives()
    relay = mallory_pipe.get_by_name("relay").get_static_pad("sink")

    def relay_from_alice(pc, pad):
        # what Alice sends goes on to Bob through Mallory's other bin
        if pad.get_direction() == Gst.PadDirection.SRC \
                and not relay.is_linked():
            pad.link(relay)
    m_alice.pc.connect("pad-added", relay_from_alice)
    try:
        play(pipelines)
        # 1. Alice <-> Mallory: the answer Alice gets is Mallory's
        offer = alice.create("offer")
        m_alice.set_remote("offer", offer)
        alice.set_remote("answer", m_alice.create("answer"))
        # 2. Mallory <-> Bob: Mallory's other bin offers
        bob.set_remote("offer", m_bob.create("offer"))
        m_bob.set_remote("answer", bob.create("answer"))
        print("signaling through Mallory: Alice <-> Mallory facing Alice, "
              "Mallory facing Bob <-> Bob")
        wait_for(changed, lambda: all(s.state() == "connected"
                                      for s in sides),
                 "all four bins connected", sides)
        wait_for(changed, lambda: bob.frames >= MIN_FRAMES,
                 f"{MIN_FRAMES} frames of Alice's video decoded at Bob "
                 "through Mallory", sides)
        print(f"both calls connected; Bob decoded {bob.frames} frames of "
              "Alice's video relayed by Mallory")
        # 3. both fingerprint checks passed
        sas_alice = check_verified(
            alice, m_alice.pc.get_property("local-fingerprint"), "Mallory")
        sas_bob = check_verified(
            bob, m_bob.pc.get_property("local-fingerprint"), "Mallory")
        # 4. the strings
        sas_m_alice = m_alice.info().get_string("sas")
        sas_m_bob = m_bob.info().get_string("sas")
        print(f"  Alice reads \"{sas_alice}\", Bob reads \"{sas_bob}\"")
        if not sas_alice or not sas_bob:
            raise Failure("a victim has no sas in security-info")
        if sas_alice != sas_m_alice or sas_bob != sas_m_bob:
            raise Failure("a victim's string differs from the bin it talks "
                          f"to: {sas_alice}/{sas_m_alice}, "
                          f"{sas_bob}/{sas_m_bob}")
        if sas_alice == sas_bob:
            raise Failure("Alice and Bob read the same string through a man "
                          "in the middle")
        print("  the strings differ: a man in the middle")
    finally:
        for pipeline in pipelines:
            pipeline.set_state(Gst.State.NULL)


def direct_call():
    changed = threading.Condition()
    alice_pipe = Gst.parse_launch(VICTIM)
    bob_pipe = Gst.parse_launch(VICTIM)
    alice = Side("Alice", alice_pipe.get_by_name("pc"), alice_pipe, changed)
    bob = Side("Bob", bob_pipe.get_by_name("pc"), bob_pipe, changed)
    alice.other, bob.other = bob, alice
    watch_errors(alice_pipe, [alice], changed)
    watch_errors(bob_pipe, [bob], changed)
    try:
        play((alice_pipe, bob_pipe))
        bob.set_remote("offer", alice.create("offer"))
        alice.set_remote("answer", bob.create("answer"))
        wait_for(changed, lambda: alice.state() == bob.state() == "connected",
                 "the direct call connected", (alice, bob))
        sas_alice = check_verified(
            alice, bob.pc.get_property("local-fingerprint"), "Bob")
        sas_bob = check_verified(
            bob, alice.pc.get_property("local-fingerprint"), "Alice")
        print(f"  Alice reads \"{sas_alice}\", Bob reads \"{sas_bob}\"")
        if not sas_alice or sas_alice != sas_bob:
            raise Failure("a direct call shows two strings")
        print("  the same string: nobody in the middle")
    finally:
        alice_pipe.set_state(Gst.State.NULL)
        bob_pipe.set_state(Gst.State.NULL)


def main():
    faulthandler.dump_traceback_later(DEADLINE_S, exit=True)
    Gst.init(None)
    for factory in ("secwebrtcbin", "secicesrc", "secdtlsenc", "secsrtpenc"):
        check_ours(factory)
    if os.environ.get("SEC_BUILD_ROOT") and Gst.ElementFactory.find(
            "webrtcbin") is not None:
        sys.exit("gst-plugins-bad's webrtcbin is visible: run under meson "
                 "test or meson devenv")
    try:
        print("A man in the middle who controls signaling:")
        man_in_the_middle()
        print("A direct call:")
        direct_call()
    except Refused as refused:
        print(f"FAIL: {refused.signal} refused: {refused}")
        return 1
    except Failure as failure:
        print(f"FAIL: {failure}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
