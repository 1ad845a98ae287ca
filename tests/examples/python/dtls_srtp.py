#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""SRTP keys, DTLS fingerprints and stats from Python.

1. SRTP with a key of the application's: the write-only `key` property
   takes a Gst.Buffer (Gst.Buffer.new_wrapped(bytes)); an RTP packet goes
   through secsrtpenc and secsrtpdec and comes out as it went in, and a
   tampered copy is dropped and counted in `stats`.
2. DTLS-SRTP: two peers (a secdtlsenc/secdtlsdec pair each, joined back to
   back in one pipeline) read each other's `local-fingerprint`, set it as
   `peer-fingerprint` (what SDP's a=fingerprint carries), handshake, and
   key the secsrtpenc/secsrtpdec they name; the `dtls-connected` element
   message says what was negotiated.

Run from a build tree:  meson devenv -C build python3 \
    tests/examples/python/dtls_srtp.py
Needs python3-gi, gir1.2-gstreamer-1.0 and, to read lists inside
structures such as stats' "streams", python3-gst-1.0 (Debian).
"""
import os
import secrets
import sys

try:
    import gi

    gi.require_version("Gst", "1.0")
except (ImportError, ValueError) as error:
    # meson's test protocol: 77 = skipped, with the reason
    print(f"skipped: PyGObject with GStreamer is missing ({error}); "
          "install python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0")
    sys.exit(77)
from gi.repository import GLib, Gst  # noqa: E402

RTP_CAPS = ("application/x-rtp,media=audio,clock-rate=8000,"
            "encoding-name=PCMA,payload=8")


def check_ours(factory_name):
    """In the project's tests, the element must come from our build."""
    root = os.environ.get("SEC_BUILD_ROOT")
    factory = Gst.ElementFactory.find(factory_name)
    if factory is None:
        sys.exit(f"no element {factory_name}: is GST_PLUGIN_PATH set?")
    path = factory.get_plugin().get_filename()
    if root and not os.path.realpath(path).startswith(os.path.realpath(root)):
        sys.exit(f"{factory_name} comes from {path}, not from {root}")


def rtp_packet(seq, payload):
    """A 12-byte RTP header (PT 8, SSRC 0x11223344) and the payload."""
    header = bytes([0x80, 8, seq >> 8, seq & 0xFF, 0, 0, 0, 160,
                    0x11, 0x22, 0x33, 0x44])
    return header + payload


def pull(appsink, timeout_s=5):
    sample = appsink.emit("try-pull-sample", int(timeout_s * Gst.SECOND))
    if sample is None:
        return None
    buf = sample.get_buffer()
    return buf.extract_dup(0, buf.get_size())


def stream_stats(element):
    """stats' per-SSRC entries: a list of structures (python3-gst-1.0)."""
    stats = element.get_property("stats")
    streams = stats.get_value("streams")
    return list(streams) if streams is not None else []


def srtp_with_application_key():
    key = secrets.token_bytes(30)  # master key (16) + salt (14)
    pipeline = Gst.parse_launch(
        f"appsrc name=src caps={RTP_CAPS} format=time "
        f"! secsrtpenc name=enc profile=aes128-cm-sha1-80 "
        f"! tee name=wire ! queue ! secsrtpdec name=dec "
        f"profile=aes128-cm-sha1-80 ! appsink name=clear sync=false "
        f"wire. ! queue ! appsink name=cipher sync=false")
    enc = pipeline.get_by_name("enc")
    dec = pipeline.get_by_name("dec")
    for element in (enc, dec):
        element.set_property("key", Gst.Buffer.new_wrapped(key))
    src = pipeline.get_by_name("src")
    clear = pipeline.get_by_name("clear")
    cipher = pipeline.get_by_name("cipher")
    pipeline.set_state(Gst.State.PLAYING)

    packet = rtp_packet(1, b"\x55" * 160)
    src.emit("push-buffer", Gst.Buffer.new_wrapped(packet))
    on_wire = pull(cipher)
    out = pull(clear)
    ok = out == packet and on_wire is not None and on_wire != packet
    print(f"SRTP, key from Python: {len(packet)}-byte RTP packet -> "
          f"{len(on_wire or b'')} bytes on the wire -> "
          f"{'the same packet back' if out == packet else 'WRONG'}")

    # a forgery straight into the decoder: the packet from the wire with a
    # new sequence number (the same one would be dropped as a replay before
    # its tag is even checked): authentication fails, dropped and counted
    forged = bytearray(on_wire)
    forged[3] ^= 0x01
    dec.get_static_pad("rtp_sink_0").chain(
        Gst.Buffer.new_wrapped(bytes(forged)))
    stats = dec.get_property("stats")
    failures = stats.get_uint64("auth-failures")[1]
    streams = stream_stats(dec)
    print(f"  forged copy: dropped, auth-failures={failures}; per-SSRC "
          f"entries in stats: "
          f"{[s.get_value('ssrc') for s in streams]}")
    ok &= failures == 1 and pull(clear, 0.2) is None and len(streams) == 1
    pipeline.set_state(Gst.State.NULL)
    return ok


def dtls_srtp():
    # peer a is the DTLS client; each association makes its own certificate
    pipeline = Gst.parse_launch(
        "secdtlsenc name=enc_a connection-id=py-a is-client=true "
        "! queue ! secdtlsdec name=dec_b connection-id=py-b "
        "srtp-decoder=srtp_dec_b ! fakesink async=false "
        "secdtlsenc name=enc_b connection-id=py-b "
        "! queue ! secdtlsdec name=dec_a connection-id=py-a "
        "srtp-encoder=srtp_enc_a ! fakesink async=false "
        f"appsrc name=src caps={RTP_CAPS} format=time "
        "! secsrtpenc name=srtp_enc_a wait-for-key=true "
        "! secsrtpdec name=srtp_dec_b wait-for-key=true "
        "! appsink name=out sync=false")
    dec_a = pipeline.get_by_name("dec_a")
    dec_b = pipeline.get_by_name("dec_b")
    # signaling: each peer's a=fingerprint goes to the other
    fp_a = dec_a.get_property("local-fingerprint")
    fp_b = dec_b.get_property("local-fingerprint")
    dec_a.set_property("peer-fingerprint", fp_b)
    dec_b.set_property("peer-fingerprint", fp_a)
    print(f"DTLS: peer a is {fp_a}\n      peer b is {fp_b}")

    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    connected = {}
    deadline = GLib.get_monotonic_time() + 10 * 1000000
    while len(connected) < 2 and GLib.get_monotonic_time() < deadline:
        msg = bus.timed_pop_filtered(
            Gst.SECOND, Gst.MessageType.ELEMENT | Gst.MessageType.ERROR)
        if msg is None:
            continue
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            print(f"FAIL: {msg.src.get_name()}: {err.message} ({debug})")
            pipeline.set_state(Gst.State.NULL)
            return False
        s = msg.get_structure()
        if s.get_name() == "dtls-connected":
            connected[s.get_string("connection-id")] = s
    ok = len(connected) == 2
    for cid, s in sorted(connected.items()):
        print(f"  {cid}: {s.get_string('dtls-version')}, "
              f"{s.get_string('cipher-suite')}, "
              f"SRTP {s.get_string('srtp-profile')}, verified peer "
              f"{s.get_string('peer-fingerprint')}")
    ok &= (connected.get("py-a") is not None and
           connected["py-a"].get_string("peer-fingerprint") == fp_b)

    # media keyed by DTLS: a's secsrtpenc -> b's secsrtpdec
    packet = rtp_packet(7, b"\x33" * 160)
    pipeline.get_by_name("src").emit("push-buffer",
                                     Gst.Buffer.new_wrapped(packet))
    out = pull(pipeline.get_by_name("out"))
    print(f"  RTP through the DTLS-keyed SRTP elements: "
          f"{'intact' if out == packet else 'WRONG'}")
    ok &= out == packet
    pipeline.set_state(Gst.State.NULL)
    return ok


def main():
    Gst.init(None)
    for factory in ("secsrtpenc", "secsrtpdec", "secdtlsenc", "secdtlsdec"):
        check_ours(factory)
    ok = srtp_with_application_key()
    ok &= dtls_srtp()
    print("OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
