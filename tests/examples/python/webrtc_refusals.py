#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What each refusal of secwebrtcbin looks like, from Python.

Runs every case below on fresh secwebrtcbin peers (the Peer and
promise_call of webrtc_call.py beside this file) and prints the message
the bin gave: the promise's `error` for descriptions and calls it
refuses, the bus message for what is refused during a call. Each case
checks that the refusal happened where it must and that its message
names the cause (a word it must contain), and that nothing was applied
(the signaling state is unchanged).

  no-fingerprint      an offer without a=fingerprint
  sha-1               an offer whose a=fingerprint is sha-1
  rtp-avp             an offer with plain RTP (m=video ... RTP/AVP)
  sdes-profile        an offer with SDES (RTP/SAVPF and a=crypto)
  sdes-keys           a=crypto instead of a=fingerprint (UDP/TLS/RTP/SAVPF)
  key-line            an offer with a k= line (keys in the signaling)
  garbage             a description that is not SDP
  answer-while-stable create-answer with no offer
  remote-answer-while-stable
                      set-remote-description(answer) with no offer
  fingerprint-change  a running call's peer offers another fingerprint
                      without an ICE restart: refused, the call stays
                      connected
  bad-candidate       a malformed trickled candidate: a warning on the
                      bus naming it, the call goes on
  tampered-answer     the answer's fingerprint altered on its way (a man
                      in the middle): the offerer refuses the answerer's
                      certificate in the DTLS handshake, both sides end in
                      connection-state failed, an error on the offerer's
                      bus names both fingerprints, one on the answerer's
                      says that the peer refused its certificate, and no
                      frame is decoded on either side

  webrtc_refusals.py [--check FILE.md] [CASE ...]

With --check, every message printed must also be quoted in FILE.md
(docs/elements/secwebrtcbin.md), so that the page shows what the bin
really says; fingerprints, which change with every run, and line breaks
are not compared. Exit status 0 when every case behaved and (with
--check) the page quotes every message.
"""
import faulthandler
import os
import re
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import webrtc_call  # noqa: E402  (exits 77 when PyGObject is missing)
from webrtc_call import Failure, Peer, Refused, promise_call  # noqa: E402
from gi.repository import Gst  # noqa: E402

WAIT_S = webrtc_call.WAIT_S
DEADLINE_S = 100     # the whole program (meson's timeout is 120 s)
SHA1 = ("a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:"
        "6B:19:E5:7C:AB")
CRYPTO = ("a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
          "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")


def replace_line(sdp, prefix, with_line):
    """Each line starting with @prefix replaced by @with_line (or
    removed: None)."""
    out = []
    for line in sdp.splitlines():
        if line.startswith(prefix):
            if with_line is not None:
                out.append(with_line)
        else:
            out.append(line)
    return "\r\n".join(out) + "\r\n"


def tamper_fingerprint(sdp):
    """Another last hex digit in every a=fingerprint."""
    return re.sub(r"(?m)^(a=fingerprint:[^\r\n]*)([0-9A-Fa-f])(\r?)$",
                  lambda m: m.group(1) + ("1" if m.group(2) == "0" else "0")
                  + m.group(3), sdp)


def signaling_state(pc):
    return pc.get_property("signaling-state").value_nick


def refused(pc, signal, *args):
    """The message of the error @signal's promise replies with."""
    before = signaling_state(pc)
    try:
        promise_call(pc, signal, *args)
    except Refused as refusal:
        after = signaling_state(pc)
        if after != before:
            raise Failure(f"{signal} was refused, but the signaling state "
                          f"went from {before} to {after}")
        return str(refusal)
    raise Failure(f"{signal} was accepted")


def an_offer():
    """An offer with one VP8 m-line, as webrtc_call.py's peers make."""
    peer = Peer("offerer", threading.Condition())
    offer = promise_call(peer.pc, "create-offer", None).get_string("sdp")
    peer.pipeline.set_state(Gst.State.NULL)
    return offer


def refused_offer(offer):
    return refused(Gst.ElementFactory.make("secwebrtcbin", None),
                   "set-remote-description", "offer", offer)


class Call:
    """Two peers of webrtc_call.py, negotiated (with @tamper applied to the
    answer) and playing."""

    def __init__(self, tamper=None):
        self.changed = threading.Condition()
        self.offerer = Peer("offerer", self.changed)
        self.answerer = Peer("answerer", self.changed)
        self.offerer.other = self.answerer
        self.answerer.other = self.offerer
        self.peers = (self.offerer, self.answerer)
        self.warnings = []
        bus = self.answerer.pipeline.get_bus()
        bus.connect("sync-message::warning", self.on_warning)
        for peer in self.peers:
            peer.pipeline.set_state(Gst.State.PLAYING)
        offer = self.offerer.create("offer")
        self.answerer.set_remote("offer", offer)
        self.answer = self.answerer.create("answer")
        self.offerer.set_remote("answer", (tamper or str)(self.answer))

    def on_warning(self, bus, message):
        error, debug = message.parse_warning()
        with self.changed:
            self.warnings.append((error.message, debug))
            self.changed.notify_all()

    def wait(self, predicate, what):
        with self.changed:
            if not self.changed.wait_for(predicate, WAIT_S):
                raise Failure(f"{what}: not within {WAIT_S} s (states "
                              f"{[p.state() for p in self.peers]}, errors "
                              f"{[p.errors for p in self.peers]})")

    def wait_media(self):
        self.wait(lambda: all(p.state() == "connected" and p.frames > 0
                              for p in self.peers),
                  "connected with frames decoded on both sides")

    def stop(self):
        for peer in self.peers:
            peer.pipeline.set_state(Gst.State.NULL)


def case_fingerprint_change():
    call = Call()
    try:
        call.wait_media()
        offer = promise_call(call.offerer.pc, "create-offer",
                             None).get_string("sdp")
        message = refused(call.answerer.pc, "set-remote-description",
                          "offer", tamper_fingerprint(offer))
        if call.answerer.state() != "connected":
            raise Failure(f"the refusal left connection-state "
                          f"{call.answerer.state()}")
        frames = call.answerer.frames
        call.wait(lambda: call.answerer.frames > frames + 10,
                  "frames after the refused renegotiation")
        return [message]
    finally:
        call.stop()


def case_bad_candidate():
    call = Call()
    candidate = "candidate:1 1 UDP 99 999.1.1.1 5000 typ host"
    try:
        call.wait_media()
        call.answerer.pc.emit("add-ice-candidate", 0, candidate)
        call.wait(lambda: any("999.1.1.1" in (d or "")
                              for _, d in call.warnings),
                  "a warning naming the candidate")
        frames = call.answerer.frames
        call.wait(lambda: call.answerer.frames > frames + 10,
                  "frames after the malformed candidate")
        if call.answerer.errors:
            raise Failure(f"errors: {call.answerer.errors}")
        text, debug = next(w for w in call.warnings if "999.1.1.1" in w[1])
        return [text, debug.splitlines()[-1]]
    finally:
        call.stop()


def bus_error(peer, word):
    """The first error on @peer's bus that contains @word, as [message,
    what happened]: the last line of its debug text (its first lines say
    where GStreamer posted it from: file, line, element path)."""
    for error in peer.errors:
        if word in error:
            # as webrtc_call's Peer keeps it: "source: message (debug)"
            text, _, debug = error.partition(": ")[2].partition(" (")
            return [text, debug[:-1].splitlines()[-1]]
    raise Failure(f"{peer.name}: no error about {word!r} on the bus: "
                  f"{peer.errors}")


def case_tampered_answer():
    call = Call(tamper_fingerprint)
    try:
        # the offerer checks the answer's fingerprint and refuses the
        # certificate; the answerer learns it from the offerer's alert
        call.wait(lambda: all(p.state() == "failed" for p in call.peers)
                  and any("does not match" in e for e in call.offerer.errors)
                  and any("alert" in e for e in call.answerer.errors),
                  "both sides failed, an error on each bus")
        real = re.search(r"(?m)^a=fingerprint:([^\r\n]+)",
                         call.answer).group(1)
        signaled = tamper_fingerprint("a=fingerprint:" + real + "\n")[
            len("a=fingerprint:"):].strip()
        offerer = bus_error(call.offerer, "does not match")
        if real not in offerer[1] or signaled not in offerer[1]:
            raise Failure(f"the offerer's error does not name {real} and "
                          f"{signaled}: {offerer}")
        frames = [p.frames for p in call.peers]
        if any(frames):
            raise Failure(f"frames decoded despite the tampered fingerprint: "
                          f"{frames}")
        return offerer + bus_error(call.answerer, "alert")
    finally:
        call.stop()


CASES = {
    "no-fingerprint": (
        "fingerprint", lambda: [refused_offer(
            replace_line(an_offer(), "a=fingerprint:", None))]),
    "sha-1": (
        "sha-1", lambda: [refused_offer(
            replace_line(an_offer(), "a=fingerprint:", SHA1))]),
    "rtp-avp": (
        "RTP/AVP", lambda: [refused_offer(
            replace_line(an_offer(), "m=video", "m=video 9 RTP/AVP 96 97"))]),
    "sdes-profile": (
        "SDES", lambda: [refused_offer(replace_line(
            replace_line(an_offer(), "m=video", "m=video 9 RTP/SAVPF 96 97"),
            "a=fingerprint:", CRYPTO))]),
    "sdes-keys": (
        "a=crypto", lambda: [refused_offer(
            replace_line(an_offer(), "a=fingerprint:", CRYPTO))]),
    "key-line": (
        "k=", lambda: [refused_offer(
            replace_line(an_offer(), "t=0 0", "t=0 0\r\nk=clear:secret"))]),
    "garbage": (
        "SDP", lambda: [refused_offer("hello")]),
    "answer-while-stable": (
        "stable", lambda: [refused(
            Gst.ElementFactory.make("secwebrtcbin", None), "create-answer",
            None)]),
    "remote-answer-while-stable": (
        "stable", lambda: [refused(
            Gst.ElementFactory.make("secwebrtcbin", None),
            "set-remote-description", "answer", an_offer())]),
    "fingerprint-change": ("ICE restart", case_fingerprint_change),
    "bad-candidate": ("999.1.1.1", case_bad_candidate),
    "tampered-answer": ("sha-256", case_tampered_answer),
}


def normalized(text):
    """Fingerprints and line breaks out: what --check compares."""
    text = re.sub(r"(?:[0-9A-Fa-f]{2}:){19,63}[0-9A-Fa-f]{2}", "FP", text)
    text = re.sub(r"(?m)^> ?", "", text)  # Markdown block quotes
    return re.sub(r"\s+", " ", text)


def main(argv):
    faulthandler.dump_traceback_later(DEADLINE_S, exit=True)
    check = None
    if argv[:1] == ["--check"] and len(argv) >= 2:
        check, argv = argv[1], argv[2:]
    unknown = [name for name in argv if name not in CASES]
    if unknown:
        sys.exit(f"unknown cases {unknown}; the cases are {list(CASES)}")
    Gst.init(None)
    for factory in ("secwebrtcbin", "secicesrc", "secdtlsdec", "secsrtpdec"):
        webrtc_call.check_ours(factory)
    page = normalized(open(check, encoding="utf-8").read()) if check else None
    failed = []
    for name in argv or list(CASES):
        word, run = CASES[name]
        try:
            messages = run()
            if not any(word in m for m in messages):
                raise Failure(f"the message does not say {word!r}")
            missing = [m for m in messages
                       if page is not None and normalized(m) not in page]
            if missing:
                raise Failure(f"{check} does not quote {missing}")
        except (Failure, Refused) as error:
            print(f"FAIL: {name}: {error}")
            failed.append(name)
            continue
        print(f"{name}:")
        for message in messages:
            print(f"  {message}")
    print(f"{len(argv or CASES) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
