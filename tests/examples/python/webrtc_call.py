#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A call between two secwebrtcbin peers, driven from Python.

Two pipelines in this process, each "videotestsrc ! vp8enc ! rtpvp8pay !
secwebrtcbin" with local-addresses=127.0.0.1; this program plays the
signaling channel, as an application would:

1. offer and answer: create-offer, set-local-description,
   set-remote-description on the other side, create-answer, and so on,
   each action signal with a Gst.Promise whose reply holds the SDP or an
   `error`;
2. trickle ICE: each candidate from `on-ice-candidate` goes to the other
   bin's `add-ice-candidate` at once (the bin holds what comes before its
   remote description);
3. media: VP8 both ways, frames counted after the decoder on each side;
4. security: each side's `security-info` says the peer's certificate was
   verified against the fingerprint signaled, which is the other side's
   `local-fingerprint`;
5. a data channel "chat" the offerer creates before the offer (the
   answerer gets it by `on-data-channel`): a text message one way, a
   binary one the other, each checked as it arrived;
6. a refusal: the offer without its a=fingerprint line is refused by
   set-remote-description with an error that says so, and the bin that
   refused it stays in the signaling state `stable`.

Run from a build tree:  meson devenv -C build -w . /usr/bin/python3 \
    tests/examples/python/webrtc_call.py
Needs python3-gi and gir1.2-gstreamer-1.0 (Debian). Exit status 0 when
all of the above held; every wait is bounded (WAIT_S each, the whole
program at most DEADLINE_S).
"""
import faulthandler
import os
import re
import sys
import threading

try:
    import gi

    gi.require_version("Gst", "1.0")
except (ImportError, ValueError) as error:
    # meson's test protocol: 77 = skipped, with the reason (never in CI,
    # where the packages are installed by ./run deps)
    print(f"skipped: PyGObject with GStreamer is missing ({error}); "
          "install python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0")
    sys.exit(1 if os.environ.get("CI") else 77)
from gi.repository import GLib, Gst  # noqa: E402

WAIT_S = 10          # one step: a promise, connecting, the first frames
DEADLINE_S = 50      # the whole program (meson's timeout is 60 s)
MIN_FRAMES = 30      # decoded VP8 frames on each side (30 frames/s)

SENDER = ("videotestsrc is-live=true "
          "! video/x-raw,width=320,height=240,framerate=30/1 "
          "! vp8enc deadline=1 ! rtpvp8pay "
          "! secwebrtcbin name=pc local-addresses=127.0.0.1")


class Failure(Exception):
    pass


class Refused(Exception):
    """An action signal's promise replied with an `error`: str() is its
    message, .signal the action signal."""

    def __init__(self, signal, message):
        super().__init__(message)
        self.signal = signal


def check_ours(factory_name):
    """In the project's tests, the element must come from our build."""
    root = os.environ.get("SEC_BUILD_ROOT")
    factory = Gst.ElementFactory.find(factory_name)
    if factory is None:
        sys.exit(f"no element {factory_name}: is GST_PLUGIN_PATH set?")
    path = factory.get_plugin().get_filename()
    if root and not os.path.realpath(path).startswith(
            os.path.realpath(root) + os.sep):
        sys.exit(f"{factory_name} comes from {path}, not from {root}")


def promise_call(element, name, *args):
    """Emits the action signal @name with a new Gst.Promise as its last
    argument and returns the reply (a Gst.Structure, or None when empty).
    An `error` in the reply raises Refused with its message."""
    replied = threading.Event()
    promise = Gst.Promise.new_with_change_func(lambda _promise: replied.set())
    element.emit(name, *args, promise)
    if not replied.wait(WAIT_S):
        promise.interrupt()
        raise Failure(f"{name}: no reply within {WAIT_S} s")
    reply = promise.get_reply()
    if reply is not None and reply.has_field("error"):
        raise Refused(name, reply.get_value("error").message)
    return reply


def decode_vp8(pipeline, pad, on_frame):
    """Links the src pad @pad of a secwebrtcbin in @pipeline to a VP8
    depayloader and decoder; @on_frame, a buffer probe, sees each decoded
    frame."""
    if pad.get_direction() != Gst.PadDirection.SRC:
        return
    decoder = Gst.parse_bin_from_description(
        "rtpvp8depay ! vp8dec name=dec ! fakesink sync=false async=false",
        True)
    decoder.get_by_name("dec").get_static_pad("src").add_probe(
        Gst.PadProbeType.BUFFER, on_frame)
    pipeline.add(decoder)
    decoder.sync_state_with_parent()
    pad.link(decoder.get_static_pad("sink"))


def without_fingerprint(sdp):
    return re.sub(r"(?m)^a=fingerprint:[^\r\n]*\r?\n", "", sdp)


class Peer:
    def __init__(self, name, changed):
        self.name = name
        self.changed = changed  # a threading.Condition shared by both peers
        self.other = None
        self.frames = 0         # decoded VP8 frames, under self.changed
        self.errors = []        # errors from the bus, under self.changed
        self.candidates = 0
        self.messages = []      # text and bytes on data channels
        self.channel = None     # the data channel "chat"
        self.pipeline = Gst.parse_launch(SENDER)
        self.pc = self.pipeline.get_by_name("pc")
        self.pc.connect("on-ice-candidate", self.on_ice_candidate)
        self.pc.connect("pad-added", self.on_pad_added)
        self.pc.connect("notify::connection-state", self.on_state)
        self.pc.connect("on-data-channel", self.on_data_channel)
        bus = self.pipeline.get_bus()
        bus.enable_sync_message_emission()
        bus.connect("sync-message::error", self.on_error)

    # signaling: offer and answer

    def create(self, kind):
        """create-offer or create-answer, then set-local-description with
        it (sdp None: the one just created); returns the SDP text."""
        reply = promise_call(self.pc, f"create-{kind}", None)
        sdp = reply.get_string("sdp")
        promise_call(self.pc, "set-local-description", kind, None)
        return sdp

    def set_remote(self, kind, sdp):
        promise_call(self.pc, "set-remote-description", kind, sdp)

    # trickle: every candidate goes to the other side at once ("" ends)
    def on_ice_candidate(self, pc, mline, candidate):
        if candidate:
            self.candidates += 1
        self.other.pc.emit("add-ice-candidate", mline, candidate)

    # a src_%u pad for what the other side sends: depayload, decode, count
    def on_pad_added(self, pc, pad):
        decode_vp8(self.pipeline, pad, self.on_frame)

    def on_frame(self, pad, info):
        with self.changed:
            self.frames += 1
            self.changed.notify_all()
        return Gst.PadProbeReturn.OK

    # data channels: their signals come from the channel's own thread
    def open_channel(self, label):
        self.channel = self.pc.emit("create-data-channel", label, None)
        self.watch(self.channel)

    def on_data_channel(self, pc, channel):
        # a channel the other side opened: already open
        self.channel = channel
        self.watch(channel)

    def watch(self, channel):
        channel.connect("on-message-string", self.on_message)
        channel.connect("on-message-data", self.on_message)

    def on_message(self, channel, message):
        if isinstance(message, GLib.Bytes):
            message = message.get_data() or b""
        with self.changed:
            self.messages.append(message)
            self.changed.notify_all()

    def on_state(self, pc, pspec):
        with self.changed:
            self.changed.notify_all()

    def on_error(self, bus, message):
        error, debug = message.parse_error()
        with self.changed:
            self.errors.append(f"{message.src.get_name()}: {error.message} "
                               f"({debug})")
            self.changed.notify_all()

    def state(self):
        return self.pc.get_property("connection-state").value_nick

    def check_security_info(self):
        """security-info: the other side's certificate, as signaled (its
        local-fingerprint), verified in the DTLS handshake."""
        info = self.pc.get_property("security-info")
        if info is None:
            raise Failure(f"{self.name}: connected without security-info")
        peer_fingerprint = self.other.pc.get_property("local-fingerprint")
        found, verified = info.get_boolean("fingerprint-verified")
        print(f"{self.name}: {info.get_string('dtls-version')} "
              f"{info.get_string('cipher-suite')}, SRTP "
              f"{info.get_string('srtp-profile')}, "
              f"{info.get_string('local-candidate-type')} -> "
              f"{info.get_string('remote-candidate-type')}\n"
              f"  verified peer {info.get_string('remote-fingerprint')}")
        if not (found and verified):
            raise Failure(f"{self.name}: fingerprint-verified is not true")
        if info.get_string("remote-fingerprint") != peer_fingerprint:
            raise Failure(f"{self.name}: verified "
                          f"{info.get_string('remote-fingerprint')}, but "
                          f"{self.other.name} is {peer_fingerprint}")
        if (info.get_string("local-fingerprint")
                != self.pc.get_property("local-fingerprint")):
            raise Failure(f"{self.name}: security-info's local-fingerprint "
                          "is not the bin's")
        for field in ("dtls-version", "cipher-suite", "srtp-profile"):
            if not info.get_string(field):
                raise Failure(f"{self.name}: security-info has no {field}")


def wait_for(changed, predicate, what, peers):
    with changed:
        if not changed.wait_for(
                lambda: predicate() or any(p.errors for p in peers), WAIT_S):
            raise Failure(f"{what}: not within {WAIT_S} s (states "
                          f"{[p.state() for p in peers]}, frames "
                          f"{[p.frames for p in peers]})")
        errors = [e for p in peers for e in p.errors]
        if errors:
            raise Failure(f"{what}: error on the bus: {errors}")


def call():
    changed = threading.Condition()
    offerer = Peer("offerer", changed)
    answerer = Peer("answerer", changed)
    offerer.other, answerer.other = answerer, offerer
    peers = (offerer, answerer)
    try:
        for peer in peers:
            if (peer.pipeline.set_state(Gst.State.PLAYING)
                    == Gst.StateChangeReturn.FAILURE):
                raise Failure(f"{peer.name}: the pipeline does not play")

        # before the offer: it carries an m=application line
        offerer.open_channel("chat")
        offer = offerer.create("offer")
        answerer.set_remote("offer", offer)
        answer = answerer.create("answer")
        offerer.set_remote("answer", answer)
        print(f"offer and answer exchanged ({len(offer)} and {len(answer)} "
              "bytes of SDP)")

        wait_for(changed, lambda: all(p.state() == "connected" for p in peers),
                 "connection-state connected on both sides", peers)
        print(f"connected, with {offerer.candidates} and "
              f"{answerer.candidates} candidates trickled")
        wait_for(changed, lambda: all(p.frames >= MIN_FRAMES for p in peers),
                 f"{MIN_FRAMES} decoded VP8 frames on each side", peers)
        print(f"VP8 decoded: {answerer.frames} frames offerer -> answerer, "
              f"{offerer.frames} answerer -> offerer")
        for peer in peers:
            peer.check_security_info()

        wait_for(changed, lambda: answerer.channel is not None and
                 offerer.channel.get_property("ready-state").value_nick
                 == "open", "the data channel open on both sides", peers)
        offerer.channel.emit("send-string", "hello from the offerer")
        answerer.channel.emit("send-data", GLib.Bytes.new(b"\x00\x01\x02"))
        wait_for(changed, lambda: answerer.messages and offerer.messages,
                 "a message each way on the data channel", peers)
        print(f"data channel 'chat' (stream "
              f"{offerer.channel.get_property('id')}): the answerer got "
              f"{answerer.messages}, the offerer {offerer.messages}")
        if (answerer.messages != ["hello from the offerer"]
                or offerer.messages != [b"\x00\x01\x02"]):
            raise Failure("the data channel messages differ")
        return offer
    finally:
        for peer in peers:
            peer.pipeline.set_state(Gst.State.NULL)


def refusal(offer):
    """The offer without its a=fingerprint: refused, nothing applied."""
    pc = Gst.ElementFactory.make("secwebrtcbin", None)
    try:
        promise_call(pc, "set-remote-description", "offer",
                     without_fingerprint(offer))
    except Refused as refused:
        message = str(refused)
    else:
        raise Failure("an offer without a=fingerprint was accepted")
    print(f"offer without a=fingerprint refused: {message}")
    if "fingerprint" not in message:
        raise Failure(f"the refusal does not name the fingerprint: {message}")
    state = pc.get_property("signaling-state").value_nick
    if state != "stable":
        raise Failure(f"the bin that refused the offer is in {state}")


def main():
    # a hang anywhere (a state change, a lost reply) ends the program
    faulthandler.dump_traceback_later(DEADLINE_S, exit=True)
    Gst.init(None)
    for factory in ("secwebrtcbin", "secicesrc", "secicesink", "secdtlsenc",
                    "secdtlsdec", "secsrtpenc", "secsrtpdec", "secsctpenc"):
        check_ours(factory)
    if os.environ.get("SEC_BUILD_ROOT") and Gst.ElementFactory.find(
            "webrtcbin") is not None:
        sys.exit("gst-plugins-bad's webrtcbin is visible: run under meson "
                 "test or meson devenv")
    try:
        refusal(call())
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
