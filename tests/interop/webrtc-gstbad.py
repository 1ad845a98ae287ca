#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""secwebrtcbin against gst-plugins-bad's webrtcbin in another process
(issue 10, "Interop with gst-plugins-bad's webrtcbin").

Our side: secwebrtcbin in this process (our plugins only: the factories are
checked to come from the build tree, and webrtcbin must not exist here),
local-addresses=127.0.0.1, sending VP8 video and Opus audio test streams
and decoding what arrives. Their side: webrtc-gstbad-peer.py beside this
file, gst-plugins-bad's webrtcbin with the same media and the bundle-policy
of the case, in a process started with the system plugin directory alone
and a registry of its own, signaled by this test over its stdin and stdout
(JSON lines, described there).
Candidates trickle both ways.

Cases, each with a fresh peer process and pipeline; both bins
max-bundle unless said:
  we-offer, they-offer    media both ways: at least MIN_FRAMES decoded
                          video frames and audio frames on each side
                          within MEDIA_TIMEOUT s; our connection-state
                          connected; our security-info says the
                          certificate was verified against the
                          a=fingerprint of their description, and its
                          local-fingerprint is that of our m-line 0; every
                          candidate of either side, and each end of their
                          candidate pairs, is 127.0.0.1; the src_%u pads
                          carry full application/x-rtp caps; the answer
                          (and their offer) has one a=group:BUNDLE with
                          both m-lines and one a=ice-ufrag; one secicesrc
                          in our bin
  we-offer-tampered,      their a=fingerprint is altered on its way to us
  they-offer-tampered     (in the answer, in the offer): our
                          connection-state ends failed, our bus has an
                          error naming their real fingerprint and the one
                          signaled, and no frame is decoded on either side
  we-offer-balanced-none  ours balanced, theirs none: our offer has both
                          m-lines in one a=group:BUNDLE, each with an
                          a=ice-ufrag of its own; their answer has no
                          a=group and two a=ice-ufrag; media both ways as
                          in we-offer; two secicesrc in our bin and
                          candidates of both sides for m-lines 0 and 1
  they-offer-none-balanced  theirs none offers audio then video (no group,
                          a=ice-ufrag each), ours balanced answers: no
                          a=group and two a=ice-ufrag in our answer; the
                          rest as in we-offer-balanced-none
  they-offer-none-max-bundle  the same offer, ours max-bundle: our answer
                          rejects the m=video line (port 0) and accepts
                          m=audio; audio decoded both ways, no video frame
                          on either side, one src_%u pad each; our
                          connection-state connected; one secicesrc
  we-offer-balanced-bundled  ours balanced, theirs max-bundle: our offer
                          as in we-offer-balanced-none, their answer
                          bundles both m-lines; media both ways; within
                          STEP_TIMEOUT s the unused transport leaves our
                          bin: exactly one secicesrc (counted again on
                          each deep-element-removed)

webrtcbin 1.22 refuses a BUNDLE group whose m-lines have ICE credentials
of their own ("media 1 has different ice-ufrag values in bundle"), which
RFC 8843 §7.2.1 allows in an initial offer and our balanced offers have,
so two cases alter our offer on its way to them (ALTERATIONS; both texts
are logged; our checks read ours as made): we-offer-balanced-none drops
its a=group:BUNDLE, as an answerer that does not implement BUNDLE reads
it; we-offer-balanced-bundled gives m-line 1 m-line 0's a=ice-ufrag and
a=ice-pwd. Not altered: the rejected m-line of our answer in
they-offer-none-max-bundle (it carries a transport's attributes, which
webrtcbin wants on every m-line, port 0 or not: "No fingerprint lines in
sdp for media 1"), and the a=fingerprint lines, which webrtcbin wants the
same on every m-line ("Fingerprint in media 1 differs from previous
fingerprint"), as JSEP has them: the endpoint's certificates (RFC 8829
§5.2.1): our bin presents one certificate on all its transports. Our senders are added in the order of their offer's m-lines: our
bin takes m-line i of a remote offer on transceiver i.

Every wait is bounded; the peer is stopped by its PID (SIGTERM, then
SIGKILL) with a timeout on every path and dies with this process; its
stderr is kept and printed when a case fails. Exit 77 (skipped) only when
gst-plugins-bad's webrtcbin or the introspection data it needs is not
installed, and never when the environment variable CI is set.

Run: meson test -C BUILD webrtc-gstbad (suite interop); --verbose shows
each case's progress. Arguments: case names to run some cases only.
"""

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

EXIT_SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
PEER_SCRIPT = os.path.join(HERE, 'webrtc-gstbad-peer.py')
LOOPBACK = '127.0.0.1'
MIN_FRAMES = 20
# covers the peer's start on a loaded machine, its first registry scan of
# the whole system plugin directory included
READY_TIMEOUT = 90
MEDIA_TIMEOUT = 15
FAIL_TIMEOUT = 15
# one signaling step (a promise, an answer from the peer)
STEP_TIMEOUT = 10
STOP_TIMEOUT = 3


def skip(reason):
    if os.environ.get('CI'):
        print('FAIL: the peer cannot run, and CI must run this test: %s'
              % reason)
        sys.exit(1)
    print('SKIP: %s' % reason)
    sys.exit(EXIT_SKIP)


try:
    import gi
    gi.require_version('Gst', '1.0')
    from gi.repository import Gst  # noqa: E402
except (ImportError, ValueError) as error:
    skip('PyGObject with GStreamer is missing (%s); install python3-gi '
         'gir1.2-gstreamer-1.0' % error)


class Failure(Exception):
    pass


def log(text):
    print('[%7.3f] %s' % (time.monotonic() - START, text), flush=True)


START = time.monotonic()


# ---- checks on this process's plugins

def check_ours(name):
    root = os.environ.get('SEC_BUILD_ROOT')
    factory = Gst.ElementFactory.find(name)
    if factory is None:
        raise Failure('no element %s: run under meson test (or meson devenv)'
                      % name)
    path = factory.get_plugin().get_filename()
    if root and not os.path.realpath(path).startswith(
            os.path.realpath(root) + os.sep):
        raise Failure('%s comes from %s, not from the build tree %s'
                      % (name, path, root))


def check_absent(name):
    if Gst.ElementFactory.find(name) is not None:
        raise Failure('%s is visible in the test process: gst-plugins-bad '
                      'must live in the peer process only' % name)


def check_plugins():
    for name in ('secwebrtcbin', 'secicesrc', 'secdtlsdec', 'secsrtpenc'):
        check_ours(name)
    for name in ('webrtcbin', 'dtlsdec', 'srtpenc', 'nicesrc'):
        check_absent(name)


# ---- SDP and candidates

def sdp_fingerprints(sdp):
    """The a=fingerprint values ("sha-256 AB:..."), in order."""
    return [m.group(1).strip() for m in
            re.finditer(r'^a=fingerprint:(.+)$', sdp, re.MULTILINE)]


def tamper_fingerprint(sdp):
    """What a man in the middle who swaps the certificate has to do: every
    a=fingerprint gets another last hex digit."""
    def flip(m):
        value = m.group(0)
        return value[:-1] + ('1' if value[-1] == '0' else '0')
    return re.sub(r'(?m)^a=fingerprint:[^\r\n]+', flip, sdp)


def sdp_bundle_groups(sdp):
    """The a=group:BUNDLE lines, each as its list of mids."""
    return [m.group(1).split() for m in
            re.finditer(r'^a=group:BUNDLE(.*)$', sdp, re.MULTILINE)]


def sdp_media(sdp):
    """The m-lines in order, each a dict: kind, port, and ufrag and
    fingerprint (the m-line's own, else the session's, else None)."""
    def attribute(text, name):
        m = re.search(r'^a=%s:(.+)$' % name, text, re.MULTILINE)
        return m.group(1).strip() if m else None
    session, *sections = re.split(r'\r?\n(?=m=)', sdp)
    media = []
    for text in sections:
        words = text.split(None, 2)        # m=video 9 UDP/TLS/RTP/SAVPF ...
        media.append({
            'kind': words[0][2:],
            'port': int(words[1].split('/')[0]),
            'ufrag': (attribute(text, 'ice-ufrag') or
                      attribute(session, 'ice-ufrag')),
            'fingerprint': (attribute(text, 'fingerprint') or
                            attribute(session, 'fingerprint'))})
    return media


def sdp_parts(sdp):
    """The session part, then each m-section, as lists of lines."""
    parts = [[]]
    for line in sdp.replace('\r\n', '\n').rstrip('\n').split('\n'):
        if line.startswith('m='):
            parts.append([])
        parts[-1].append(line)
    return parts


def sdp_from_parts(parts):
    return ''.join(line + '\r\n' for part in parts for line in part)


def without_bundle_group(sdp):
    """@sdp as a peer that does not implement BUNDLE reads it: without its
    a=group:BUNDLE."""
    parts = sdp_parts(sdp)
    parts[0] = [line for line in parts[0]
                if not line.startswith('a=group:BUNDLE')]
    return sdp_from_parts(parts)


def transport_lines(part, names):
    return [line for line in part
            if any(line.startswith('a=%s:' % name) for name in names)]


def with_shared_credentials(sdp):
    """Every m-line gets m-line 0's a=ice-ufrag and a=ice-pwd."""
    names = ('ice-ufrag', 'ice-pwd')
    parts = sdp_parts(sdp)
    shared = transport_lines(parts[1], names)
    for part in parts[2:]:
        old = transport_lines(part, names)
        if old:
            at = part.index(old[0])
            part[:] = [line for line in part if line not in old]
            part[at:at] = shared
    return sdp_from_parts(parts)



# how our description is altered on its way to them, where webrtcbin 1.22
# refuses what RFC 8843 and RFC 8829 allow (validate_sdp () and
# _check_sdp_crypto () in its webrtcsdp.c check every m-line alike; see
# the docstring)
ALTERATIONS = {
    # "media 1 has different ice-ufrag values in bundle": the m-lines of a
    # BUNDLE group must share ICE credentials, also in an initial offer
    # where each has a transport of its own (RFC 8843 §7.2.1)
    'no-group': without_bundle_group,
    'shared-credentials': with_shared_credentials,
}


def candidate_address(candidate):
    """The connection address of a "candidate:..." value (RFC 8839)."""
    words = candidate.split()
    return words[4] if len(words) > 4 else None


def same_fingerprint(a, b):
    return a is not None and b is not None and a.lower() == b.lower()


# ---- the peer process

class PeerProcess:
    """webrtc-gstbad-peer.py with the system plugin path alone. Its lines
    go to @events as ('peer', message); its end as ('peer-exit', None)."""

    def __init__(self, events, registry_dir, bundle_policy):
        self.events = events
        self.registry_dir = registry_dir
        self.bundle_policy = bundle_policy
        self.proc = None
        self.status = None
        self.stderr_file = None
        self.reader = None
        self._write_lock = threading.Lock()

    def environ(self):
        system_dir = os.environ.get('SEC_SYSTEM_PLUGIN_DIR')
        if not system_dir:
            raise Failure('SEC_SYSTEM_PLUGIN_DIR is not set: run under meson '
                          'test (or meson devenv)')
        env = dict(os.environ)
        for var in ('GST_PLUGIN_SYSTEM_PATH', 'GST_PLUGIN_PATH_1_0',
                    'GST_PLUGIN_PATH', 'GST_REGISTRY'):
            env.pop(var, None)
        # its warnings go to its stderr, shown when a case fails (not
        # rtpsession's, one per packet before its latency is configured)
        env.setdefault('GST_DEBUG', '2,rtpsession:1')
        env['GST_PLUGIN_SYSTEM_PATH_1_0'] = system_dir
        env['GST_REGISTRY_1_0'] = os.path.join(self.registry_dir,
                                               'registry.bin')
        return env

    def start(self):
        self.stderr_file = tempfile.TemporaryFile(mode='w+b')
        argv = [sys.executable, PEER_SCRIPT, '--parent-pid', str(os.getpid()),
                '--address', LOOPBACK, '--timeout', str(STEP_TIMEOUT),
                '--bundle-policy', self.bundle_policy]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=self.stderr_file,
                                     env=self.environ(), close_fds=True)
        log('peer started: pid %d' % self.proc.pid)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode('utf-8', 'replace').strip()
            if not line:
                continue
            try:
                message = json.loads(line)
            except ValueError:
                message = {'type': 'garbage', 'line': line}
            self.events.put(('peer', message))
        self.events.put(('peer-exit', None))

    def send(self, **message):
        line = json.dumps(message, separators=(',', ':')) + '\n'
        with self._write_lock:
            try:
                self.proc.stdin.write(line.encode())
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass                # its exit comes as a 'peer-exit' event

    def stderr_text(self):
        if self.stderr_file is None:
            return ''
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode('utf-8', 'replace')

    def stop(self):
        """Stops it by PID, every wait bounded: "bye" and end of its stdin,
        then SIGTERM, then SIGKILL. Returns its exit status (None if it
        survived SIGKILL), also when called again."""
        if self.proc is None:
            return self.status
        proc = self.proc
        if proc.poll() is None:
            self.send(type='bye')
        try:
            proc.stdin.close()
        except OSError:
            pass
        status = None
        for action in (None, proc.terminate, proc.kill):
            if action is not None:
                if proc.poll() is not None:
                    break
                log('peer (pid %d) still running: %s' % (proc.pid,
                                                         action.__name__))
                action()
            try:
                status = proc.wait(STOP_TIMEOUT)
                break
            except subprocess.TimeoutExpired:
                continue
        if status is None:
            print('peer (pid %d) survived SIGKILL for %d s'
                  % (proc.pid, STOP_TIMEOUT), file=sys.stderr)
        if self.reader is not None:
            self.reader.join(STOP_TIMEOUT)
        proc.stdout.close()
        self.proc = None
        self.status = status
        log('peer (pid %d) stopped, exit status %s' % (proc.pid, status))
        return status


# ---- our side

class OurSide:
    """secwebrtcbin in a pipeline with VP8 and Opus senders and decoders.
    What happens goes to @events as ('ours', kind, ...)."""

    def __init__(self, events, bundle_policy, kinds):
        self.events = events
        self.lock = threading.Lock()
        self.frames = {'video': 0, 'audio': 0}
        self.received_caps = []
        self.errors = []
        self.warnings = []
        self.caps_seen = []
        self.pipe = Gst.Pipeline.new('ours')
        self.bin = Gst.ElementFactory.make('secwebrtcbin', 'pc')
        self.bin.set_property('local-addresses', LOOPBACK)
        if bundle_policy is not None:
            Gst.util_set_object_arg(self.bin, 'bundle-policy', bundle_policy)
        self.pipe.add(self.bin)
        # transports leave the bin on their own: the test hears of it
        self.bin.connect('deep-element-removed', self._on_removed)
        self.bin.connect('on-ice-candidate', self._on_candidate)
        self.bin.connect('pad-added', self._on_pad_added)
        self.bin.connect('notify::connection-state', self._on_state)
        bus = self.pipe.get_bus()
        bus.enable_sync_message_emission()
        bus.connect('sync-message', self._on_bus)
        senders = {
            'video': 'videotestsrc is-live=true ! video/x-raw,width=160,'
                     'height=120,framerate=30/1 ! vp8enc deadline=1 '
                     'keyframe-max-dist=60 ! rtpvp8pay',
            'audio': 'audiotestsrc is-live=true ! opusenc ! rtpopuspay'}
        # in @kinds' order: a sender's transceiver is the m-line of its
        # rank, and an offer from them must have the same kinds in the
        # same order (our bin takes m-line i on transceiver i)
        for kind in kinds:
            self._add_sender(kind, senders[kind])

    def _add_sender(self, kind, desc):
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
        sink = self.bin.request_pad_simple('sink_%u')
        if sink is None or src.link(sink) != Gst.PadLinkReturn.OK:
            raise Failure('cannot link our %s sender to secwebrtcbin' % kind)

    def play(self):
        if self.pipe.set_state(Gst.State.PLAYING) == \
                Gst.StateChangeReturn.FAILURE:
            raise Failure('our pipeline does not play')
        for kind, have_caps in self.caps_seen:
            if not have_caps.wait(STEP_TIMEOUT):
                raise Failure('no caps from our %s sender within %d s'
                              % (kind, STEP_TIMEOUT))

    def call(self, name, *args):
        done = threading.Event()
        promise = Gst.Promise.new_with_change_func(lambda _p: done.set())
        self.bin.emit(name, *args, promise)
        if not done.wait(STEP_TIMEOUT):
            promise.interrupt()
            raise Failure('secwebrtcbin %s: no reply within %d s'
                          % (name, STEP_TIMEOUT))
        if promise.wait() != Gst.PromiseResult.REPLIED:
            raise Failure('secwebrtcbin %s: promise %s'
                          % (name, promise.wait().value_nick))
        reply = promise.get_reply()
        if reply is not None and reply.has_field('error'):
            error = reply.get_value('error')
            raise Failure('secwebrtcbin %s refused: %s'
                          % (name, getattr(error, 'message', error)))
        return reply

    def create(self, kind):
        reply = self.call('create-' + kind, None)
        if reply is None or reply.get_string('type') != kind:
            raise Failure('secwebrtcbin create-%s: reply %s' % (
                kind, reply.to_string() if reply else None))
        sdp = reply.get_string('sdp')
        self.call('set-local-description', kind, None)
        return sdp

    def set_remote(self, kind, sdp):
        self.call('set-remote-description', kind, sdp)

    def add_candidate(self, mline, candidate):
        self.bin.emit('add-ice-candidate', mline, candidate)

    def state(self):
        return self.bin.get_property('connection-state').value_nick

    def security_info(self):
        return self.bin.get_property('security-info')

    def ice_sources(self):
        """How many elements of factory secicesrc the bin holds, at any
        depth: one per ICE transport."""
        while True:
            found = 0
            it = self.bin.iterate_recurse()
            while True:
                result, element = it.next()
                if result == Gst.IteratorResult.OK:
                    factory = element.get_factory()
                    if factory is not None and \
                            factory.get_name() == 'secicesrc':
                        found += 1
                elif result == Gst.IteratorResult.RESYNC:
                    break
                elif result == Gst.IteratorResult.DONE:
                    return found
                else:
                    raise Failure('cannot iterate secwebrtcbin\'s elements')

    def _on_removed(self, _bin, _sub_bin, element):
        factory = element.get_factory()
        self.events.put(('ours', 'removed', element.get_name(),
                         factory.get_name() if factory else None))

    def _on_candidate(self, _bin, mline, candidate):
        self.events.put(('ours', 'candidate', mline, candidate or ''))

    def _on_state(self, _bin, _pspec):
        self.events.put(('ours', 'state', self.state()))

    def _on_bus(self, _bus, message):
        if message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            store = self.errors
        elif message.type == Gst.MessageType.WARNING:
            error, debug = message.parse_warning()
            store = self.warnings
        else:
            return
        text = '%s: %s (%s)' % (message.src.get_name(), error.message,
                                debug or '')
        with self.lock:
            store.append(text)
        self.events.put(('ours', 'bus', text))

    def _on_pad_added(self, _bin, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        s = caps.get_structure(0)
        name = (s.get_string('encoding-name') or '').upper()
        with self.lock:
            self.received_caps.append(caps.to_string())
        if name == 'VP8':
            kind = 'video'
            desc = 'rtpvp8depay request-keyframe=true ! vp8dec name=dec'
        elif name == 'OPUS':
            kind, desc = 'audio', 'rtpopusdepay ! opusdec name=dec'
        else:
            kind, desc = None, None
            self.events.put(('ours', 'bus', 'a stream we cannot decode on '
                             '%s: %s' % (pad.get_name(), caps.to_string())))
        branch = Gst.parse_bin_from_description(
            (desc + ' ! ' if desc else '') +
            'fakesink sync=false async=false', True)
        self.pipe.add(branch)
        if kind is not None:
            branch.get_by_name('dec').get_static_pad('src').add_probe(
                Gst.PadProbeType.BUFFER, self._count, kind)
        branch.sync_state_with_parent()
        if pad.link(branch.get_static_pad('sink')) != Gst.PadLinkReturn.OK:
            self.events.put(('ours', 'bus', 'cannot link %s (%s)' % (
                pad.get_name(), caps.to_string())))

    def _count(self, _pad, _info, kind):
        with self.lock:
            self.frames[kind] += 1
            n = self.frames[kind]
        if n <= MIN_FRAMES:
            self.events.put(('ours', 'frames'))
        return Gst.PadProbeReturn.OK

    def counts(self):
        with self.lock:
            return dict(self.frames)

    def stop(self):
        self.pipe.set_state(Gst.State.NULL)
        self.pipe.get_bus().disable_sync_message_emission()


# ---- one call

class Call:
    """One case. @our_policy: our bundle-policy (None: the default,
    max-bundle); @their_policy: theirs; @offer_kinds: the m-lines of their
    offer (None: the peer's default, video then audio); @offer, @answer:
    what the offer and the answer must be about BUNDLE ('balanced': one
    group, a transport each for audio and video; 'unbundled': no group, a
    transport each; 'bundled': a group); @rejected: the kinds our answer
    must reject (port 0), no frame of them decoded on either side;
    @transports: how many secicesrc our bin holds once media flows (the
    count it must reach within STEP_TIMEOUT s); @alter: a key of
    ALTERATIONS, what our description needs on its way to them."""

    def __init__(self, name, registry_dir, we_offer, tamper=False,
                 our_policy=None, their_policy='max-bundle',
                 offer_kinds=None, offer=None, answer=None, rejected=(),
                 transports=None, alter=None):
        self.name = name
        self.we_offer = we_offer
        self.tamper = tamper
        self.our_policy = our_policy
        self.offer_kinds = offer_kinds
        self.offer_expected = offer
        self.answer_expected = answer
        self.rejected = set(rejected)
        self.kinds = {'video', 'audio'} - self.rejected
        self.transports = transports
        self.alter = alter
        self.events = queue.Queue()
        self.peer = PeerProcess(self.events, registry_dir, their_policy)
        self.ours = None
        self.peer_ready = None
        self.their_sdp = None         # as they sent it
        self.our_sdp = None
        self.our_sdp_sent = False
        self.held = []                # our candidates before our SDP went
        self.candidates = {'ours': [], 'theirs': []}
        self.candidate_mlines = {'ours': set(), 'theirs': set()}
        self.peer_frames = {'video': 0, 'audio': 0}
        self.peer_stats = None
        self.peer_bus = []
        self.peer_states = {}

    # events

    def dispatch(self, event):
        source = event[0]
        if source == 'peer-exit':
            try:
                status = self.peer.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                status = 'unknown: its stdout closed, it still runs'
            raise Failure('the peer exited (status %s)' % status)
        if source == 'peer':
            self.on_peer(event[1])
        else:
            self.on_ours(*event[1:])

    def on_peer(self, m):
        kind = m.get('type')
        if kind == 'ready':
            self.peer_ready = m
        elif kind == 'skip':
            self.peer.stop()
            skip(m.get('reason'))
        elif kind == 'error':
            raise Failure('the peer failed: %s' % m.get('message'))
        elif kind == 'garbage':
            raise Failure('the peer printed a line that is not JSON: %s'
                          % m.get('line'))
        elif kind in ('offer', 'answer'):
            self.on_their_sdp(kind, m['sdp'])
        elif kind == 'candidate':
            candidate = m.get('candidate') or ''
            if candidate:
                self.candidates['theirs'].append(candidate)
                self.candidate_mlines['theirs'].add(m.get('mline', 0))
            self.ours.add_candidate(m.get('mline', 0), candidate)
        elif kind == 'frames':
            self.peer_frames = {'video': m['video'], 'audio': m['audio']}
        elif kind == 'stats':
            self.peer_stats = m
            self.peer_frames = {'video': m['video'], 'audio': m['audio']}
        elif kind == 'state':
            self.peer_states[m['name']] = m['value']
            log('their %s: %s' % (m['name'], m['value']))
        elif kind == 'bus':
            text = '%s %s: %s' % (m.get('level'), m.get('source'),
                                  m.get('message'))
            self.peer_bus.append(text)
            log('their bus: %s' % text)

    def on_ours(self, kind, *args):
        if kind == 'candidate':
            mline, candidate = args
            if candidate:
                self.candidates['ours'].append(candidate)
                self.candidate_mlines['ours'].add(mline)
            if self.our_sdp_sent:
                self.peer.send(type='candidate', mline=mline,
                               candidate=candidate)
            else:
                self.held.append((mline, candidate))
        elif kind == 'state':
            log('our connection-state: %s' % args[0])
        elif kind == 'bus':
            log('our bus: %s' % args[0])
        elif kind == 'removed':
            # the test counts again; the ICE transports are worth a line
            if args[1] == 'secicesrc':
                log('left our bin: %s' % args[0])

    def on_their_sdp(self, kind, sdp):
        log('their %s:\n%s' % (kind, sdp.strip()))
        self.their_sdp = sdp
        if self.tamper:
            sdp = tamper_fingerprint(sdp)
            log('their %s fingerprint altered on its way to us: %s -> %s'
                % (kind, sdp_fingerprints(self.their_sdp),
                   sdp_fingerprints(sdp)))
        self.ours.set_remote(kind, sdp)
        if kind == 'offer':
            self.send_our_sdp('answer', self.ours.create('answer'))

    def send_our_sdp(self, kind, sdp):
        log('our %s:\n%s' % (kind, sdp.strip()))
        self.our_sdp = sdp
        if self.alter is not None:
            sdp = ALTERATIONS[self.alter](sdp)
            log('our %s altered on its way to them (%s):\n%s'
                % (kind, self.alter, sdp.strip()))
        self.peer.send(type=kind, sdp=sdp)
        self.our_sdp_sent = True
        for mline, candidate in self.held:
            self.peer.send(type='candidate', mline=mline, candidate=candidate)
        self.held = []

    def wait(self, predicate, timeout, what):
        """Handles events until @predicate () holds; Failure after
        @timeout s."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Failure('%s: not within %g s' % (what, timeout))
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            self.dispatch(event)

    def ask_peer_stats(self):
        self.peer_stats = None
        self.peer.send(type='stats')
        self.wait(lambda: self.peer_stats is not None, STEP_TIMEOUT,
                  'the peer\'s stats')
        return self.peer_stats

    # the call

    def run(self):
        self.peer.start()
        self.wait(lambda: self.peer_ready is not None, READY_TIMEOUT,
                  'the peer\'s "ready"')
        log('peer: webrtcbin of GStreamer %s from %s'
            % (self.peer_ready['version'], self.peer_ready['webrtcbin']))
        self.ours = OurSide(self.events, self.our_policy,
                            self.offer_kinds or ['video', 'audio'])
        self.ours.play()
        if self.we_offer:
            self.send_our_sdp('offer', self.ours.create('offer'))
        elif self.offer_kinds:
            self.peer.send(type='create-offer', kinds=self.offer_kinds)
        else:
            self.peer.send(type='create-offer')
        self.wait(lambda: self.their_sdp is not None, STEP_TIMEOUT,
                  'their %s' % ('answer' if self.we_offer else 'offer'))
        self.check_descriptions()
        if self.tamper:
            self.check_refused()
        else:
            self.check_media()

    # what the descriptions say about BUNDLE and transports

    def check_descriptions(self):
        if self.we_offer:
            offer, answer = ('our', self.our_sdp), ('their', self.their_sdp)
        else:
            offer, answer = ('their', self.their_sdp), ('our', self.our_sdp)
        for (whose, sdp), kind, expected in (
                (offer, 'offer', self.offer_expected),
                (answer, 'answer', self.answer_expected)):
            if expected is not None:
                self.check_bundle(whose, kind, sdp, expected)
        if not self.we_offer:
            self.check_rejected(self.our_sdp)

    def check_bundle(self, whose, kind, sdp, expected):
        groups = sdp_bundle_groups(sdp)
        media = sdp_media(sdp)
        ufrags = [m['ufrag'] for m in media if m['port'] != 0]
        what = '%s %s' % (whose, kind)
        if expected == 'bundled':
            if len(groups) != 1 or len(groups[0]) != len(media):
                raise Failure('%s does not bundle its %d m-lines: groups %s'
                              % (what, len(media), groups))
            if len(set(ufrags)) != 1:
                raise Failure('%s bundles m-lines with different '
                              'a=ice-ufrag: %s' % (what, ufrags))
        else:
            if expected == 'unbundled' and groups:
                raise Failure('%s has a=group:BUNDLE %s, it must not bundle'
                              % (what, groups))
            if expected == 'balanced' and (len(groups) != 1 or
                                           len(groups[0]) != len(media)):
                raise Failure('%s does not have its %d m-lines in one '
                              'BUNDLE group: groups %s'
                              % (what, len(media), groups))
            # a transport for the audio and one for the video m-line
            if len(media) != 2 or len(ufrags) != 2 or None in ufrags or \
                    len(set(ufrags)) != 2:
                raise Failure('%s does not give its two m-lines a=ice-ufrag '
                              'of their own: %s' % (what, media))
        log('%s: BUNDLE groups %s, m-lines %s' % (what, groups, media))

    def check_rejected(self, answer):
        for m in sdp_media(answer):
            if m['kind'] in self.rejected and m['port'] != 0:
                raise Failure('our answer accepts its m=%s line (port %d), '
                              'it must reject it (port 0)'
                              % (m['kind'], m['port']))
            if m['kind'] not in self.rejected and m['port'] == 0:
                raise Failure('our answer rejects its m=%s line (port 0)'
                              % m['kind'])

    # media

    def check_media(self):
        def flowing():
            ours = self.ours.counts()
            return all(ours[kind] >= MIN_FRAMES and
                       self.peer_frames[kind] >= MIN_FRAMES
                       for kind in self.kinds)
        self.wait(flowing, MEDIA_TIMEOUT, 'at least %d decoded %s frames on '
                  'each side' % (MIN_FRAMES, ' and '.join(sorted(self.kinds))))
        if self.transports is not None:
            self.wait(lambda: self.ours.ice_sources() == self.transports,
                      STEP_TIMEOUT, '%d secicesrc in our bin (%d when media '
                      'flowed)' % (self.transports, self.ours.ice_sources()))
        stats = self.ask_peer_stats()
        log('decoded: ours %s, theirs %s' % (self.ours.counts(),
                                             self.peer_frames))
        for kind in self.rejected:
            decoded = {'ours': self.ours.counts()[kind],
                       'theirs': self.peer_frames[kind]}
            if any(decoded.values()):
                raise Failure('%s frames decoded although our answer '
                              'rejects %s: %s' % (kind, kind, decoded))
        if self.transports is not None:
            found = self.ours.ice_sources()
            if found != self.transports:
                raise Failure('our bin holds %d secicesrc, expected %d'
                              % (found, self.transports))
            log('our bin holds %d secicesrc' % found)
        if self.transports == 2:
            # a transport each: each side gathers for m-lines 0 and 1
            for side in ('ours', 'theirs'):
                if self.candidate_mlines[side] != {0, 1}:
                    raise Failure('%s signaled candidates for m-lines %s, '
                                  'expected 0 and 1 (a transport each)'
                                  % (side,
                                     sorted(self.candidate_mlines[side])))
        state = self.ours.state()
        if state != 'connected':
            raise Failure('media flows but our connection-state is %s'
                          % state)
        errors = self.ours.errors + [e for e in self.peer_bus
                                     if e.startswith('error')]
        if errors:
            raise Failure('errors on a working call: %s' % errors)
        self.check_security_info()
        self.check_loopback(stats)
        self.check_received_caps(stats)

    def check_security_info(self):
        info = self.ours.security_info()
        if info is None:
            raise Failure('connected without security-info')
        log('our security-info: %s' % info.to_string())
        theirs = sdp_fingerprints(self.their_sdp)
        if not theirs:
            raise Failure('their description has no a=fingerprint')
        remote = info.get_string('remote-fingerprint')
        if not all(same_fingerprint(remote, f) for f in theirs):
            raise Failure('security-info remote-fingerprint %s is not the '
                          'a=fingerprint of their description %s'
                          % (remote, theirs))
        # ours: the first transport's (m-line 0 carries its attributes);
        # with a transport per m-line each has its own certificate
        local = info.get_string('local-fingerprint')
        first = sdp_media(self.our_sdp)[0]['fingerprint']
        if not same_fingerprint(local, first):
            raise Failure('security-info local-fingerprint %s is not the '
                          'one of m-line 0 in our description %s'
                          % (local, sdp_fingerprints(self.our_sdp)))
        ok, verified = info.get_boolean('fingerprint-verified')
        if not (ok and verified):
            raise Failure('security-info: fingerprint-verified is not true')
        for field in ('dtls-version', 'cipher-suite', 'srtp-profile'):
            if not info.get_string(field):
                raise Failure('security-info has no %s' % field)

    def check_loopback(self, stats):
        for side in ('ours', 'theirs'):
            if not self.candidates[side]:
                raise Failure('%s signaled no candidate' % side)
            off = [c for c in self.candidates[side]
                   if candidate_address(c) != LOOPBACK]
            if off:
                raise Failure('%s signaled candidates off %s: %s'
                              % (side, LOOPBACK, off))
        pairs = stats.get('candidate-pairs') or []
        if not pairs:
            raise Failure('their get-stats shows no candidate pair')
        for pair in pairs:
            for end in ('local', 'remote'):
                address = (pair.get(end) or '').rsplit(':', 1)[0]
                if address != LOOPBACK:
                    raise Failure('their candidate pair has %s end %s: %s'
                                  % (end, pair.get(end), pairs))
        log('loopback only: our candidates %s, theirs %s, their pairs %s'
            % (self.candidates['ours'], self.candidates['theirs'], pairs))

    def check_received_caps(self, stats):
        for side, all_caps in (('our', self.ours.received_caps),
                               ('their', stats.get('received') or [])):
            if len(all_caps) != len(self.kinds):
                raise Failure('%s side got %d src pads, expected %d: %s'
                              % (side, len(all_caps), len(self.kinds),
                                 all_caps))
        for text in self.ours.received_caps:
            s = Gst.Caps.from_string(text).get_structure(0)
            for field in ('media', 'encoding-name', 'clock-rate', 'payload'):
                if not s.has_field(field):
                    raise Failure('our src pad caps lack %s: %s'
                                  % (field, text))

    def check_refused(self):
        self.wait(lambda: self.ours.state() == 'failed', FAIL_TIMEOUT,
                  'our connection-state failed with their fingerprint '
                  'altered')
        theirs = sdp_fingerprints(self.their_sdp)[0].split()[-1]
        signaled = sdp_fingerprints(tamper_fingerprint(
            self.their_sdp))[0].split()[-1]

        def named():
            with self.ours.lock:
                return [e for e in self.ours.errors
                        if theirs.lower() in e.lower()
                        and signaled.lower() in e.lower()]
        self.wait(lambda: named(), STEP_TIMEOUT,
                  'an error on our bus naming their fingerprint %s and the '
                  'signaled %s (errors: %s)'
                  % (theirs, signaled, self.ours.errors))
        log('refused: %s' % named()[0])
        stats = self.ask_peer_stats()
        ours = self.ours.counts()
        log('decoded: ours %s, theirs %s; their connection-state %s'
            % (ours, self.peer_frames, stats.get('connection-state')))
        if ours['video'] or ours['audio']:
            raise Failure('we decoded media from a peer whose certificate '
                          'does not match: %s' % ours)
        if self.peer_frames['video'] or self.peer_frames['audio']:
            raise Failure('they decoded our media although we refused '
                          'their certificate: %s' % self.peer_frames)
        if self.ours.state() != 'failed':
            raise Failure('our connection-state left failed: %s'
                          % self.ours.state())

    def describe(self):
        lines = ['  our connection-state: %s' % (
            self.ours.state() if self.ours else 'no pipeline')]
        if self.ours:
            lines.append('  our decoded frames: %s' % self.ours.counts())
            lines.append('  secicesrc in our bin: %d'
                         % self.ours.ice_sources())
            lines += ['  our bus: %s' % e for e in
                      self.ours.errors + self.ours.warnings]
        lines.append('  their decoded frames: %s' % self.peer_frames)
        lines.append('  their states: %s' % self.peer_states)
        lines += ['  their bus: %s' % e for e in self.peer_bus]
        return '\n'.join(lines)

    def stop(self):
        # the peer first: stopping it is bounded, our pipeline's state
        # change is not
        status = self.peer.stop()
        if self.ours is not None:
            self.ours.stop()
        return status


CASES = {
    'we-offer': dict(we_offer=True, answer='bundled', transports=1),
    'they-offer': dict(we_offer=False, offer='bundled', answer='bundled',
                       transports=1),
    'we-offer-tampered': dict(we_offer=True, tamper=True),
    'they-offer-tampered': dict(we_offer=False, tamper=True),
    'we-offer-balanced-none': dict(
        we_offer=True, our_policy='balanced', their_policy='none',
        offer='balanced', answer='unbundled', transports=2,
        alter='no-group'),
    'they-offer-none-balanced': dict(
        we_offer=False, our_policy='balanced', their_policy='none',
        offer_kinds=['audio', 'video'], offer='unbundled',
        answer='unbundled', transports=2),
    'they-offer-none-max-bundle': dict(
        we_offer=False, their_policy='none', offer_kinds=['audio', 'video'],
        offer='unbundled', rejected=['video'], transports=1),
    'we-offer-balanced-bundled': dict(
        we_offer=True, our_policy='balanced', offer='balanced',
        answer='bundled', transports=1, alter='shared-credentials'),
}


def main():
    names = sys.argv[1:] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print('unknown cases %s; the cases are %s' % (unknown, list(CASES)))
        return 2
    Gst.init(None)
    try:
        check_plugins()
    except Failure as error:
        print('FAIL: %s' % error)
        return 1
    if not os.path.isfile(PEER_SCRIPT):
        print('FAIL: %s is missing' % PEER_SCRIPT)
        return 1
    # one registry for every peer of this run: the system plugin
    # directory is scanned once
    registry_dir = tempfile.mkdtemp(prefix='webrtc-gstbad-')
    failed = []
    try:
        for name in names:
            log('=== case %s' % name)
            call = Call(name, registry_dir, **CASES[name])
            error = None
            try:
                call.run()
            except Failure as e:
                error = '%s\n%s' % (e, call.describe())
            finally:
                status = call.stop()
            if error is None and status != 0:
                error = 'the peer exited with status %s at the end' % status
            if error is None:
                log('--- %s: passed' % name)
            else:
                failed.append(name)
                print('FAIL: %s: %s\n--- the peer\'s stderr ---\n%s'
                      '--- end ---' % (name, error, call.peer.stderr_text()))
    finally:
        shutil.rmtree(registry_dir, ignore_errors=True)
    print('%d passed, %d failed%s' % (len(names) - len(failed), len(failed),
                                      (': ' + ', '.join(failed))
                                      if failed else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
