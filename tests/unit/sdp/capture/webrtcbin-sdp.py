#!/usr/bin/env python3
# Prints the offer (or, given an offer file, the answer) that
# gst-plugins-bad's webrtcbin creates for Opus audio and VP8 video (one
# sendrecv transceiver each, max-bundle), once ICE gathering completes.
# Run with Debian's /usr/bin/python3 (PyGObject, gir1.2-gst-plugins-bad-1.0);
# webrtcbin lives only in this process.
import sys
import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstWebRTC', '1.0')
gi.require_version('GstSdp', '1.0')
from gi.repository import Gst, GstWebRTC, GstSdp, GLib

Gst.init(None)
pipe = Gst.parse_launch(
    'webrtcbin name=w bundle-policy=max-bundle '
    'audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=111 ! '
    'application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111 ! w. '
    'videotestsrc is-live=true ! vp8enc deadline=1 ! rtpvp8pay pt=96 ! '
    'application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96 ! w.')
w = pipe.get_by_name('w')
loop = GLib.MainLoop()
result = {}

def on_offer(promise, _):
    reply = promise.get_reply()
    offer = reply.get_value('offer')
    result['offer'] = offer
    p = Gst.Promise.new()
    w.emit('set-local-description', offer, p)
    p.interrupt()

def on_negotiation_needed(element):
    promise = Gst.Promise.new_with_change_func(on_offer, None)
    element.emit('create-offer', None, promise)

def on_gathering(element, pspec):
    if element.get_property('ice-gathering-state') == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
        desc = element.get_property('local-description')
        print(desc.sdp.as_text(), end='')
        loop.quit()

def on_answer(promise, _):
    reply = promise.get_reply()
    answer = reply.get_value('answer')
    p = Gst.Promise.new()
    w.emit('set-local-description', answer, p)
    p.interrupt()

def on_remote_set(promise, _):
    promise = Gst.Promise.new_with_change_func(on_answer, None)
    w.emit('create-answer', None, promise)

if len(sys.argv) > 1:
    # answer mode: the offer text from the file named on the command line
    ret, msg = GstSdp.SDPMessage.new_from_text(open(sys.argv[1]).read())
    offer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.OFFER, msg)
    def apply_offer():
        promise = Gst.Promise.new_with_change_func(on_remote_set, None)
        w.emit('set-remote-description', offer, promise)
        return False
    GLib.idle_add(apply_offer)
else:
    w.connect('on-negotiation-needed', on_negotiation_needed)
w.connect('notify::ice-gathering-state', on_gathering)
pipe.set_state(Gst.State.PLAYING)
GLib.timeout_add_seconds(20, lambda: (print('timeout', file=sys.stderr), loop.quit()))
loop.run()
pipe.set_state(Gst.State.NULL)
