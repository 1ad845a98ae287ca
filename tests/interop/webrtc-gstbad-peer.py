#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The independent peer of tests/interop/webrtc-gstbad.py: gst-plugins-bad's
webrtcbin in a process of its own, signaled over stdin and stdout.

Started by the test with the system plugin directory as its only plugin
path and a registry file of its own, so it sees gst-plugins-bad and never
our plugins (and the test process never sees gst-plugins-bad). It sends a
live VP8 video stream (videotestsrc ! vp8enc deadline=1 ! rtpvp8pay) and
an Opus audio stream (audiotestsrc ! opusenc ! rtpopuspay) into webrtcbin
and decodes what it receives (rtpvp8depay ! vp8dec, rtpopusdepay !
opusdec), counting the buffers that leave each decoder. Its data channels
(webrtcbin's create-data-channel and on-data-channel) are driven by the
test: it opens them, sends on them, closes them when told, and reports
what happens on them and every message they receive.

Its webrtcbin's bundle-policy is --bundle-policy (max-bundle unless
told: one transport for every m-line, as browsers and our bin do; none
gives every m-line a transport of its own, offering and answering).

Signaling: one JSON object per line, "type" saying what it is.
  stdin (from the test):
    {"type": "create-offer"}               make an offer (sent back): a
                                           video then an audio m-line
    {"type": "create-offer", "kinds": ["audio", "video"]}
                                           the m-lines in that order
    {"type": "create-offer", "kinds": K,
     "channels": [{"label": L, "protocol": P}, ...]}
                                           those data channels made first:
                                           the offer has an m=application
                                           line too (K may be [] then)
    {"type": "offer", "sdp": S}            answer it (the answer is sent back)
    {"type": "answer", "sdp": S}           take it
    {"type": "candidate", "mline": N, "candidate": C}
                                           C: "candidate:..." or "" (end)
    {"type": "stats"}                      a "stats" line comes back
    {"type": "create-channel", "label": L, "protocol": P}
                                           open a data channel now
    {"type": "send", "label": L, "text": S}  send-string on channel L
    {"type": "send", "label": L, "data": B}  send-data, B in base64
    {"type": "close", "label": L}          close channel L
    {"type": "bye"}                        stop the pipeline and exit 0
  stdout (to the test):
    {"type": "ready", "webrtcbin": PLUGIN_FILE, "version": V}
    {"type": "skip", "reason": R}          then exit 77: webrtcbin or its
                                           introspection data is missing
    {"type": "offer" | "answer", "sdp": S}
    {"type": "candidate", "mline": N, "candidate": C}   "" at the end
    {"type": "state", "name": P, "value": V}            webrtcbin's states
    {"type": "frames", "video": N, "audio": N}          decoded so far: on
                                           each of the first 100 frames of
                                           a kind, then every 100th
    {"type": "bus", "level": "error" | "warning", "source": E, "message": M}
    {"type": "stats", "video": N, "audio": N, "connection-state": V,
     "ice-connection-state": V, "received": [caps, ...],
     "candidate-pairs": [{"local": ADDR, "remote": ADDR, ...}, ...]}
    {"type": "channel", "event": E, "label": L, "id": N, "protocol": P,
     "ordered": B, "negotiated": B, "state": S}
                                           E: created (one of its own),
                                           announced (on-data-channel: one
                                           the test's side opened), open,
                                           close; S its ready-state then
    {"type": "channel", "event": "error", "label": L, "message": M}
    {"type": "message", "label": L, "text": S}   or "data": B (base64)
    {"type": "error", "message": M}        a command failed (then exit 1)
  Its own candidates are held back until its offer or answer is out, so
  the test always gets the description first. An offer with an
  m=application line is answered with one (webrtcbin needs no sender for
  it).

webrtcbin 1.22's data channels, as this peer meets them: a channel is
created only in a pipeline that is not in NULL; a new channel has
ready-state 0, a value the enum no longer has (PyGObject crashes on its
nick: states are reported by number); a channel can be open before its
on-open is connected (one of its own that our side acknowledged at once;
one our side opened is open when announced), so "open" is then said once
from the state, after "created" or "announced"; its empty message is NULL
in on-message-string and on-message-data (reported as "" here).

Loopback only: webrtcbin 1.22 has no property for the addresses it
gathers on; its ICE object (property "ice-agent") holds the libnice agent,
and an agent given addresses with nice_agent_add_local_address () gathers
on those alone. So the agent gets --address (127.0.0.1) and ICE-TCP off;
the test checks that every candidate it receives has that address.

Nothing here reads webrtcbin's sctp-transport (or the DTLS and ICE
transports behind it): webrtcbin 1.22 keeps those objects by the floating
reference they were made with, which a Python wrapper takes as its own;
when the wrapper goes, webrtcbin is left with freed objects (seen: its
channels never open, then a crash).

It dies with the test process (PR_SET_PDEATHSIG) and exits when its stdin
closes. Everything else it prints (GStreamer's messages) goes to stderr,
which the test keeps and shows when a case fails.
"""

import argparse
import base64
import ctypes
import json
import os
import signal
import sys
import threading

EXIT_SKIP = 77
VP8_PT = 96
OPUS_PT = 111
# GstWebRTCDataChannelState, as numbers
CHANNEL_STATES = {0: 'new', 1: 'connecting', 2: 'open', 3: 'closing',
                  4: 'closed'}
OPEN = 2


def die_with_parent(parent_pid):
    """SIGKILL when the test process dies, even by SIGKILL (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    # the parent may have died before prctl
    if parent_pid and os.getppid() != parent_pid:
        sys.exit(1)


_out_lock = threading.Lock()


def send(**message):
    line = json.dumps(message, separators=(',', ':'))
    with _out_lock:
        try:
            sys.stdout.write(line + '\n')
            sys.stdout.flush()
        except (BrokenPipeError, ValueError):
            os._exit(1)             # the test is gone


def log(text):
    sys.stderr.write('webrtc-gstbad-peer: %s\n' % text)
    sys.stderr.flush()


def skip(reason):
    send(type='skip', reason=reason)
    sys.exit(EXIT_SKIP)


try:
    import gi
    gi.require_version('Gst', '1.0')
    gi.require_version('GstSdp', '1.0')
    gi.require_version('GstWebRTC', '1.0')
    gi.require_version('Nice', '0.1')
    from gi.repository import (  # noqa: E402
        GLib, Gst, GstSdp, GstWebRTC, Nice)
except (ImportError, ValueError) as error:
    skip('python3-gi cannot load GStreamer\'s WebRTC introspection data '
         '(%s): install python3-gi, gir1.2-gstreamer-1.0, '
         'gir1.2-gst-plugins-bad-1.0 and gir1.2-nice-0.1' % error)


class PeerError(Exception):
    pass


class Peer:
    def __init__(self, address, timeout, bundle_policy):
        self.address = address
        self.timeout = timeout
        self.lock = threading.Lock()
        self.frames = {'video': 0, 'audio': 0}
        self.received = []
        self.described = False        # our offer or answer is out
        self.held_candidates = []
        self.media_set_up = False
        self.caps_seen = []
        # label -> GstWebRTCDataChannel, its own and the test's side's
        self.channels = {}
        self.opened = []              # the channels said to be open

        self.pipe = Gst.Pipeline.new('gstbad-peer')
        self.webrtc = Gst.ElementFactory.make('webrtcbin', 'webrtc')
        if self.webrtc is None:
            raise PeerError('no webrtcbin')
        self.pipe.add(self.webrtc)
        Gst.util_set_object_arg(self.webrtc, 'bundle-policy', bundle_policy)
        self.restrict_ice()
        self.webrtc.connect('on-ice-candidate', self.on_ice_candidate)
        self.webrtc.connect('pad-added', self.on_pad_added)
        self.webrtc.connect('on-data-channel', self.on_data_channel)
        for prop in ('connection-state', 'ice-connection-state',
                     'ice-gathering-state', 'signaling-state'):
            self.webrtc.connect('notify::' + prop, self.on_state)
        bus = self.pipe.get_bus()
        bus.enable_sync_message_emission()
        bus.connect('sync-message', self.on_bus)

    # -- set-up

    def restrict_ice(self):
        ice = self.webrtc.get_property('ice-agent')
        if ice is None or ice.find_property('agent') is None:
            raise PeerError('webrtcbin has no libnice agent to restrict to %s'
                            % self.address)
        if ice.__grefcount__ == 1:
            # webrtcbin 1.22 keeps its ICE object with the floating
            # reference it was made with; the Python wrapper sinks that
            # reference as its own and would free the object when it goes.
            # Take a reference for webrtcbin.
            get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
            get_pointer.restype = ctypes.c_void_p
            get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
            gobject = ctypes.CDLL('libgobject-2.0.so.0')
            gobject.g_object_ref.argtypes = [ctypes.c_void_p]
            gobject.g_object_ref.restype = ctypes.c_void_p
            gobject.g_object_ref(get_pointer(ice.__gpointer__, None))
        ice.set_property('ice-tcp', False)
        addr = Nice.Address()
        if not addr.set_from_string(self.address):
            raise PeerError('not an address: %s' % self.address)
        if not ice.get_property('agent').add_local_address(addr):
            raise PeerError('libnice refused the local address %s'
                            % self.address)

    def add_sender(self, kind, pt):
        if kind == 'video':
            desc = ('videotestsrc is-live=true pattern=ball ! video/x-raw,'
                    'width=160,height=120,framerate=30/1 ! vp8enc deadline=1 '
                    'keyframe-max-dist=60 ! rtpvp8pay pt=%d ! capsfilter caps='
                    '"application/x-rtp,media=video,encoding-name=VP8,'
                    'clock-rate=90000,payload=%d"' % (pt, pt))
        else:
            desc = ('audiotestsrc is-live=true wave=sine ! audioconvert ! '
                    'audioresample ! opusenc ! rtpopuspay pt=%d ! capsfilter '
                    'caps="application/x-rtp,media=audio,encoding-name=OPUS,'
                    'clock-rate=48000,encoding-params=(string)2,payload=%d"'
                    % (pt, pt))
        branch = Gst.parse_bin_from_description(desc, True)
        self.pipe.add(branch)
        have_caps = threading.Event()
        self.caps_seen.append((kind, have_caps))

        def on_event(_pad, info):
            if info.get_event().type == Gst.EventType.CAPS:
                have_caps.set()
            return Gst.PadProbeReturn.OK
        src = branch.get_static_pad('src')
        src.add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)
        sink = self.webrtc.request_pad_simple('sink_%u')
        if sink is None or src.link(sink) != Gst.PadLinkReturn.OK:
            raise PeerError('cannot link the %s sender to webrtcbin' % kind)

    def set_up_media(self, plan):
        """plan: [(kind, payload type)] in m-line order. webrtcbin makes
        its offer or answer from the caps on its sink pads: wait for
        them."""
        if self.media_set_up:
            raise PeerError('media set up twice (renegotiation is not part '
                            'of this peer)')
        self.media_set_up = True
        for kind, pt in plan:
            self.add_sender(kind, pt)
        if self.pipe.set_state(Gst.State.PLAYING) == \
                Gst.StateChangeReturn.FAILURE:
            raise PeerError('the pipeline does not play')
        for kind, have_caps in self.caps_seen:
            if not have_caps.wait(self.timeout):
                raise PeerError('no caps from the %s sender within %g s'
                                % (kind, self.timeout))

    # -- signaling

    def call(self, name, *args):
        """Emits action signal @name with a promise; its reply, waited for
        with a bound; an "error" in it raises."""
        done = threading.Event()
        promise = Gst.Promise.new_with_change_func(lambda _p: done.set())
        self.webrtc.emit(name, *args, promise)
        if not done.wait(self.timeout):
            promise.interrupt()
            raise PeerError('%s: no reply within %g s' % (name, self.timeout))
        result = promise.wait()
        if result != Gst.PromiseResult.REPLIED:
            raise PeerError('%s: promise %s' % (name, result.value_nick))
        reply = promise.get_reply()
        if reply is not None and reply.has_field('error'):
            error = reply.get_value('error')
            raise PeerError('%s: %s' % (name, getattr(error, 'message',
                                                       error)))
        return reply

    def create(self, kind):
        reply = self.call('create-' + kind, None)
        desc = reply.get_value(kind) if reply is not None else None
        if desc is None:
            raise PeerError('create-%s gave no description: %s'
                            % (kind, reply.to_string() if reply else None))
        self.call('set-local-description', desc)
        sdp = desc.sdp.as_text()
        with self.lock:
            send(type=kind, sdp=sdp)
            self.described = True
            held, self.held_candidates = self.held_candidates, []
        for mline, candidate in held:
            send(type='candidate', mline=mline, candidate=candidate)

    def set_remote(self, kind, sdp):
        result, message = GstSdp.SDPMessage.new_from_text(sdp)
        if result != GstSdp.SDPResult.OK:
            raise PeerError('the %s does not parse as SDP (%s)'
                            % (kind, result.value_nick))
        desc = GstWebRTC.WebRTCSessionDescription.new(
            GstWebRTC.WebRTCSDPType.OFFER if kind == 'offer'
            else GstWebRTC.WebRTCSDPType.ANSWER, message)
        self.call('set-remote-description', desc)

    def make_offer(self, kinds, channels):
        """An offer with @kinds' m-lines, and an m=application line when
        @channels (channels made before it: {"label", "protocol"}) is not
        empty."""
        pts = {'video': VP8_PT, 'audio': OPUS_PT}
        if not (kinds or channels) or any(k not in pts for k in kinds):
            raise PeerError('cannot offer m-lines %r' % (kinds,))
        self.set_up_media([(kind, pts[kind]) for kind in kinds])
        for channel in channels:
            self.create_channel(channel['label'], channel.get('protocol'))
        self.create('offer')

    def take_offer(self, sdp):
        self.set_up_media(plan_from_offer(sdp))
        self.set_remote('offer', sdp)
        self.create('answer')

    def take_answer(self, sdp):
        self.set_remote('answer', sdp)

    def add_candidate(self, mline, candidate):
        if candidate:
            # webrtcbin 1.22 takes no end-of-candidates mark
            self.webrtc.emit('add-ice-candidate', mline, candidate)

    # -- data channels

    def create_channel(self, label, protocol):
        with self.lock:
            if label in self.channels:
                raise PeerError('a channel %r exists already' % label)
        options = None
        if protocol:
            options = Gst.Structure.new_empty('options')
            options.set_value('protocol', protocol)
        channel = self.webrtc.emit('create-data-channel', label, options)
        if channel is None:
            raise PeerError('create-data-channel %r: no channel' % label)
        self.watch_channel(channel, 'created')

    def channel(self, label):
        with self.lock:
            channel = self.channels.get(label)
        if channel is None:
            raise PeerError('no channel %r' % label)
        return channel

    def send_message(self, label, text, data):
        channel = self.channel(label)
        if text is not None:
            channel.emit('send-string', text)
        else:
            channel.emit('send-data',
                         GLib.Bytes.new(base64.b64decode(data)))

    def close_channel(self, label):
        self.channel(label).emit('close')

    def watch_channel(self, channel, event):
        """Keeps @channel by its label and reports it (@event: created,
        one of its own; announced, one the test's side opened), then what
        happens on it."""
        label = channel.get_property('label')
        with self.lock:
            self.channels[label] = channel
        # said first: on-open may come from webrtcbin's thread as soon as
        # it is connected
        self.report_channel(channel, event)
        channel.connect('on-open', self.on_channel_event, 'open')
        channel.connect('on-close', self.on_channel_event, 'close')
        channel.connect('on-error', self.on_channel_error)
        channel.connect('on-message-string', self.on_message_string)
        channel.connect('on-message-data', self.on_message_data)
        if int(channel.get_property('ready-state')) == OPEN:
            # open before on-open was connected (our side acknowledged
            # it already): said here, once
            self.on_channel_event(channel, 'open')

    def report_channel(self, channel, event):
        # by number: webrtcbin 1.22 gives a new channel ready-state 0, a
        # value its enum no longer has (PyGObject crashes on its nick)
        state = int(channel.get_property('ready-state'))
        send(type='channel', event=event, label=channel.get_property('label'),
             id=channel.get_property('id'),
             protocol=channel.get_property('protocol') or '',
             ordered=channel.get_property('ordered'),
             negotiated=channel.get_property('negotiated'),
             state=CHANNEL_STATES.get(state, str(state)))

    def on_data_channel(self, _webrtc, channel):
        self.watch_channel(channel, 'announced')

    def on_channel_event(self, channel, event):
        if event == 'open':
            with self.lock:
                if channel in self.opened:
                    return
                self.opened.append(channel)
        self.report_channel(channel, event)

    def on_channel_error(self, channel, error):
        send(type='channel', event='error',
             label=channel.get_property('label'),
             message=getattr(error, 'message', str(error)))

    def on_message_string(self, channel, text):
        # an empty message (RFC 8831 PPID 56 or 57) comes as NULL
        send(type='message', label=channel.get_property('label'),
             text=text or '')

    def on_message_data(self, channel, data):
        # here too
        raw = (data.get_data() if data is not None else None) or b''
        send(type='message', label=channel.get_property('label'),
             data=base64.b64encode(raw).decode('ascii'))

    # -- what it observes

    def on_ice_candidate(self, _webrtc, mline, candidate):
        with self.lock:
            if not self.described:
                self.held_candidates.append((mline, candidate))
                return
        send(type='candidate', mline=mline, candidate=candidate)

    def on_state(self, webrtc, pspec):
        value = webrtc.get_property(pspec.name)
        nick = getattr(value, 'value_nick', str(value))
        send(type='state', name=pspec.name, value=nick)
        if pspec.name == 'ice-gathering-state' and nick == 'complete':
            # webrtcbin 1.22 signals no end of candidates; the test's
            # side is told here
            self.on_ice_candidate(webrtc, 0, '')

    def on_bus(self, _bus, message):
        if message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            level = 'error'
        elif message.type == Gst.MessageType.WARNING:
            error, debug = message.parse_warning()
            level = 'warning'
        else:
            return
        send(type='bus', level=level, source=message.src.get_name(),
             message=error.message, debug=debug or '')

    def on_pad_added(self, _webrtc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        name = (caps.get_structure(0).get_string('encoding-name') or '')
        with self.lock:
            self.received.append(caps.to_string())
        if name.upper() == 'VP8':
            kind, desc = 'video', 'rtpvp8depay request-keyframe=true ! vp8dec'
        elif name.upper() == 'OPUS':
            kind, desc = 'audio', 'rtpopusdepay ! opusdec'
        else:
            kind, desc = None, None
            send(type='bus', level='error', source='peer',
                 message='a stream it cannot decode: %s' % caps.to_string())
        desc = (desc + ' name=dec ! ' if desc else '') + \
            'fakesink sync=false async=false'
        branch = Gst.parse_bin_from_description(desc, True)
        self.pipe.add(branch)
        if kind is not None:
            branch.get_by_name('dec').get_static_pad('src').add_probe(
                Gst.PadProbeType.BUFFER, self.count, kind)
        branch.sync_state_with_parent()
        if pad.link(branch.get_static_pad('sink')) != Gst.PadLinkReturn.OK:
            send(type='bus', level='error', source='peer',
                 message='cannot link %s (%s)' % (pad.get_name(),
                                                  caps.to_string()))

    def count(self, _pad, _info, kind):
        with self.lock:
            self.frames[kind] += 1
            n = self.frames[kind]
            # every one of the first frames, then now and then: the test
            # waits for counts without asking
            if n <= 100 or n % 100 == 0:
                send(type='frames', **self.frames)
        return Gst.PadProbeReturn.OK

    def stats(self):
        def nick(prop):
            value = self.webrtc.get_property(prop)
            return getattr(value, 'value_nick', str(value))

        pairs = []
        try:
            reply = self.call('get-stats', None)
        except PeerError as error:
            log('get-stats: %s' % error)
            reply = None
        if reply is not None:
            entries = {}

            def collect(_field, value):
                if isinstance(value, Gst.Structure) and value.has_field('id'):
                    entries[value.get_string('id')] = value
                return True
            reply.foreach(collect)
            # webrtcbin 1.22 names each entry after its type
            # ("candidate-pair", ...); it swaps the local-candidate and
            # remote-candidate types of the entries a pair points to, so
            # they are found by id only
            for entry in entries.values():
                if not entry.has_field('local-candidate-id'):
                    continue
                pair = {}
                for end in ('local', 'remote'):
                    cand = entries.get(entry.get_string(end + '-candidate-id'))
                    if cand is not None:
                        pair[end] = '%s:%s' % (cand.get_string('address'),
                                               cand.get_value('port'))
                pairs.append(pair)
        with self.lock:
            send(type='stats', video=self.frames['video'],
                 audio=self.frames['audio'],
                 received=list(self.received),
                 **{'connection-state': nick('connection-state'),
                    'ice-connection-state': nick('ice-connection-state'),
                    'candidate-pairs': pairs})

    def stop(self):
        self.pipe.set_state(Gst.State.NULL)


def plan_from_offer(sdp):
    """[(kind, payload type of VP8 or Opus)] in m-line order."""
    plan = []
    for section in sdp.split('\nm=')[1:]:
        kind = section.split(' ', 1)[0]
        if kind == 'application':
            # data channels: webrtcbin answers it without a sender
            continue
        codec = {'video': 'VP8', 'audio': 'OPUS'}.get(kind)
        if codec is None:
            raise PeerError('the offer has an m=%s line' % kind)
        pts = [line.split(':', 1)[1].split(' ', 1)[0]
               for line in section.splitlines()
               if line.startswith('a=rtpmap:')
               and line.split(' ', 1)[1].upper().startswith(codec + '/')]
        if not pts:
            raise PeerError('the offer has no %s for its m=%s line'
                            % (codec, kind))
        plan.append((kind, int(pts[0])))
    return plan


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--parent-pid', type=int, default=0)
    parser.add_argument('--address', default='127.0.0.1')
    parser.add_argument('--timeout', type=float, default=10.0)
    parser.add_argument('--bundle-policy', default='max-bundle',
                        choices=('none', 'balanced', 'max-compat',
                                 'max-bundle'))
    args = parser.parse_args()
    die_with_parent(args.parent_pid)

    Gst.init(None)
    factory = Gst.ElementFactory.find('webrtcbin')
    if factory is None:
        skip('gst-plugins-bad\'s webrtcbin is not installed (Debian: '
             'gstreamer1.0-plugins-bad)')
    plugin_file = factory.get_plugin().get_filename()
    system_dir = os.environ.get('SEC_SYSTEM_PLUGIN_DIR')
    if system_dir and os.path.dirname(os.path.realpath(plugin_file)) != \
            os.path.realpath(system_dir):
        send(type='error', message='webrtcbin comes from %s, not from %s'
             % (plugin_file, system_dir))
        return 1
    if Gst.ElementFactory.find('secwebrtcbin') is not None:
        send(type='error', message='the peer sees secwebrtcbin: its plugin '
             'path is not the system one alone')
        return 1

    try:
        peer = Peer(args.address, args.timeout, args.bundle_policy)
    except PeerError as error:
        send(type='error', message=str(error))
        return 1
    send(type='ready', webrtcbin=plugin_file, version=Gst.version_string())
    status = 0
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            message = json.loads(line)
            kind = message.get('type')
            if kind == 'create-offer':
                peer.make_offer(message.get('kinds', ['video', 'audio']),
                                message.get('channels', []))
            elif kind == 'offer':
                peer.take_offer(message['sdp'])
            elif kind == 'answer':
                peer.take_answer(message['sdp'])
            elif kind == 'candidate':
                peer.add_candidate(message['mline'], message['candidate'])
            elif kind == 'stats':
                peer.stats()
            elif kind == 'create-channel':
                peer.create_channel(message['label'],
                                    message.get('protocol'))
            elif kind == 'send':
                peer.send_message(message['label'], message.get('text'),
                                  message.get('data'))
            elif kind == 'close':
                peer.close_channel(message['label'])
            elif kind == 'bye':
                break
            else:
                raise PeerError('unknown message %r' % line)
    except (PeerError, ValueError, KeyError) as error:
        send(type='error', message=str(error))
        status = 1
    peer.stop()
    return status


if __name__ == '__main__':
    sys.exit(main())
