#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""secwebrtcbin against gst-plugins-bad's webrtcbin in another process
(issue 10, "Interop with gst-plugins-bad's webrtcbin"; the data channel
cases: issue 11).

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
  we-offer-data           data channels alone, no audio or video: our
                          channel, made before our offer, has id -1 and
                          ready-state connecting, fires
                          on-negotiation-needed (the only one of the
                          case) and makes our offer carry one
                          m=application UDP/DTLS/SCTP webrtc-datachannel
                          with a=sctp-port:5000 and
                          a=max-message-size:262144; their answer
                          accepts it (port not 0); they open a channel
                          once the call is up; the data checks below;
                          our connection-state connected, security-info
                          and loopback as in we-offer (the candidate
                          pair from our get-stats: theirs has none
                          without media)
  they-offer-data         the other way: their channel made before their
                          offer, our answer accepts the m=application
                          line (a=sctp-port:5000,
                          a=max-message-size:262144), we open ours once
                          the call is up: it opens without a new offer,
                          no on-negotiation-needed in the whole case
  we-offer-media-data,    we-offer and they-offer with a channel opened
  they-offer-media-data   by each side as in the two cases above: the
                          m=application line in the one a=group:BUNDLE
                          with audio and video (one a=ice-ufrag), the
                          media checks of we-offer, then the data checks

The data checks: each channel open on both ends with the same id, even
when its opener is the DTLS client and odd otherwise (RFC 8832 §6; the
role from the answer's a=setup), its protocol, ordered and not
negotiated. On each channel each side sends, in order, texts (ASCII,
non-ASCII, 60000 bytes of characters of one to four bytes) and binary
messages (the 256 byte values, 65536 bytes of pseudo-random data), and
we also send an empty text and an empty binary message: each list
arrives whole, in order and byte for byte. Our message one byte above
their a=max-message-size (65536: webrtcbin signals none, RFC 8841 §6.1)
comes back to us as on-error on its channel and never arrives. We close
ours: on-close on both ends (ready-state closed here); their channel
still carries a message each way; they close theirs: on-close on both
ends; a message on our closed channel is on-error. No other on-error on
either end, no error on either bus. Our channels' signals come from the
SCTP association's thread: the handlers only put events on the case's
queue (queue.Queue, locked) and the checks read them on the main thread.

webrtcbin 1.22 and data channels: it takes PPID 56 for an empty binary
message and 57 for an empty text, the reverse of RFC 8831 §8 (its
DataChannelPPID enum), so our empty text arrives there as an empty
binary message and our empty binary message as an empty text, and the
check expects that;
it cannot send an empty message (its SCTP element refuses a message of
no bytes and its pipeline stops) nor one above 64 KiB (dropped without a
word, whatever our a=max-message-size), so those go one way only.

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
§5.2.1): our bin presents one certificate on all its transports. Our
senders are added in the order of their offer's m-lines: our bin takes
m-line i of a remote offer on transceiver i.

Every wait is bounded; the peer is stopped by its PID (SIGTERM, then
SIGKILL) with a timeout on every path and dies with this process; its
stderr is kept and printed when a case fails. Exit 77 (skipped) only when
gst-plugins-bad's webrtcbin or the introspection data it needs is not
installed, and never when the environment variable CI is set.

Run: meson test -C BUILD webrtc-gstbad (suite interop); --verbose shows
each case's progress. Arguments: case names to run some cases only.
"""

import base64
import json
import os
import queue
import random
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
# a data channel open on both sides, messages through, a close seen
DATA_TIMEOUT = 15

# the data channels of the data cases: one each side opens
OUR_LABEL = 'from secwebrtcbin \u2603'
OUR_PROTOCOL = 'x-interop-ours'
THEIR_LABEL = 'from webrtcbin \u2713'
THEIR_PROTOCOL = 'x-interop-theirs'
# what our bin offers and answers (RFC 8841)
OUR_SCTP_PORT = 5000
OUR_MAX_MESSAGE_SIZE = 262144
# a peer's description without a=max-message-size takes 64 KiB (RFC 8841
# §6.1); webrtcbin 1.22 signals none
DEFAULT_MAX_MESSAGE_SIZE = 65536
# the largest message webrtcbin 1.22 sends, whatever our a=max-message-size
# says: it drops a larger one without a word
THEIR_MESSAGE_SIZE = 65536


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
    from gi.repository import GLib, Gst  # noqa: E402
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


# ---- data channels

# GstSecWebRTCDataChannelState and webrtcbin's, as numbers
CHANNEL_STATES = {1: 'connecting', 2: 'open', 3: 'closing', 4: 'closed'}


def channel_info(channel):
    """What a data channel says of itself, as the peer reports it."""
    state = int(channel.get_property('ready-state'))
    return {'id': channel.get_property('id'),
            'protocol': channel.get_property('protocol') or '',
            'ordered': channel.get_property('ordered'),
            'negotiated': channel.get_property('negotiated'),
            'state': CHANNEL_STATES.get(state, str(state))}


def sdp_data_sections(sdp):
    """The m=application sections, each a dict: port, proto, fmt,
    sctp-port and max-message-size (None when absent)."""
    sections = []
    for part in sdp_parts(sdp)[1:]:
        words = part[0][2:].split()
        if words[0] != 'application':
            continue
        attrs = {}
        for line in part[1:]:
            if line.startswith('a=') and ':' in line:
                name, value = line[2:].split(':', 1)
                attrs.setdefault(name, value.strip())
        sections.append({
            'port': int(words[1].split('/')[0]),
            'proto': words[2] if len(words) > 2 else None,
            'fmt': ' '.join(words[3:]),
            'sctp-port': attrs.get('sctp-port'),
            'max-message-size': attrs.get('max-message-size')})
    return sections


def dtls_setup(sdp):
    """The first a=setup value of @sdp (RFC 8842)."""
    m = re.search(r'^a=setup:(\S+)', sdp, re.MULTILINE)
    return m.group(1) if m else None


def payload(size, seed):
    """@size bytes that differ from one offset to the next, the same for
    the same @seed: a fragment lost, doubled or moved shows."""
    return random.Random(seed).randbytes(size)


def long_text(size):
    """A text of at most @size bytes of UTF-8, of characters of one to
    four bytes: SCTP fragments split some of them."""
    unit = 'a\u00e9\u2603\U0001d11e'         # 1 + 2 + 3 + 4 bytes
    return unit * (size // len(unit.encode('utf-8')))


def their_messages(label):
    """What webrtcbin sends on channel @label, in order: (kind,
    content). Nothing empty: webrtcbin 1.22 sends an empty message as an
    SCTP message of no bytes, which its own SCTP stack refuses and its
    pipeline stops on ("Failed to send data")."""
    return [('text', 'webrtcbin on %s' % label),
            ('text', 'gr\u00fc\u00dfe \u2603 \U0001d11e'),
            ('data', bytes(range(256))),
            ('data', payload(THEIR_MESSAGE_SIZE, 'theirs ' + label)),
            ('text', long_text(60000)),
            ('text', 'end')]


def our_messages(label, limit):
    """What we send on channel @label, in order: (kind, content, what
    webrtcbin receives: (kind, content), or None); @limit: their
    a=max-message-size. The message above it must come back to us as
    on-error and never arrive."""
    messages = [('text', 'secwebrtcbin on %s' % label),
                ('text', 'gr\u00fc\u00dfe \u2603 \U0001d11e'),
                ('data', bytes(range(256)))]
    sent = [(kind, content, (kind, content)) for kind, content in messages]
    # RFC 8831 §6.6, §8: an empty text goes with PPID 56 (WebRTC String
    # Empty), an empty binary message with PPID 57. webrtcbin 1.22 has the
    # two swapped (its DataChannelPPID enum: BINARY_EMPTY = 56,
    # STRING_EMPTY = 57), so each arrives there as the other kind
    sent += [('text', '', ('data', b'')),
             ('data', b'', ('text', ''))]
    messages = [('data', payload(limit, 'ours ' + label)),
                ('text', long_text(60000)),
                ('text', 'end')]
    sent.append(messages[0] + (messages[0],))
    sent.append(('data', payload(limit + 1, 'too large'), None))
    sent += [(kind, content, (kind, content))
             for kind, content in messages[1:]]
    return sent


def describe_message(message):
    kind, content = message
    if kind == 'text':
        shown = content if len(content) <= 40 else '%s... (%d bytes)' % (
            content[:40], len(content.encode('utf-8')))
        return 'text %r' % shown
    return 'data of %d bytes%s' % (len(content), (
        ' (%s...)' % content[:8].hex()) if content else '')


def first_difference(got, expected):
    """Says where two lists of messages differ."""
    for i, (a, b) in enumerate(zip(got, expected)):
        if a != b:
            where = ''
            if a[0] == b[0] and len(a[1]) == len(b[1]):
                at = next(k for k, (x, y) in enumerate(zip(a[1], b[1]))
                          if x != y)
                where = ' (first difference at offset %d)' % at
            return 'message %d is %s, expected %s%s' % (
                i, describe_message(a), describe_message(b), where)
    return '%d messages, expected %d (%s)' % (
        len(got), len(expected), ', '.join(describe_message(m) for m in
                                           (got[len(expected):] or
                                            expected[len(got):])))


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
    What happens goes to @events as ('ours', kind, ...). Its data channels'
    signals come from the SCTP association's thread: they only put events
    on that queue (and touch self.channels under self.lock)."""

    def __init__(self, events, bundle_policy, kinds):
        self.events = events
        self.lock = threading.Lock()
        self.channels = {}            # label -> GstSecWebRTCDataChannel
        self.negotiation_needed = 0
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
        self.bin.connect('on-data-channel', self._on_data_channel)
        self.bin.connect('on-negotiation-needed', self._on_negotiation_needed)
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

    def candidate_pairs(self):
        """The candidate pairs of our get-stats: [{'local': ADDR:PORT,
        'remote': ADDR:PORT}]."""
        reply = self.call('get-stats', None)
        entries = {}

        def collect(_field, value):
            if isinstance(value, Gst.Structure) and value.has_field('id'):
                entries[value.get_string('id')] = value
            return True
        reply.foreach(collect)
        pairs = []
        for entry in entries.values():
            if entry.get_string('type') != 'candidate-pair':
                continue
            pair = {}
            for end in ('local', 'remote'):
                cand = entries.get(entry.get_string(end + 'CandidateId'))
                if cand is not None:
                    pair[end] = '%s:%s' % (cand.get_string('address'),
                                           cand.get_value('port'))
            pairs.append(pair)
        return pairs

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

    # data channels

    def create_channel(self, label, protocol):
        options = Gst.Structure.new_empty('options')
        options.set_value('protocol', protocol)
        channel = self.bin.emit('create-data-channel', label, options)
        if channel is None:
            with self.lock:
                warnings = list(self.warnings)
            raise Failure('secwebrtcbin create-data-channel %r gave no '
                          'channel (warnings: %s)' % (label, warnings))
        self._watch_channel(channel, 'created')
        return channel

    def channel(self, label):
        with self.lock:
            channel = self.channels.get(label)
        if channel is None:
            raise Failure('we have no data channel %r' % label)
        return channel

    def send_message(self, label, kind, content):
        channel = self.channel(label)
        if kind == 'text':
            channel.emit('send-string', content)
        else:
            channel.emit('send-data', GLib.Bytes.new(content))

    def _watch_channel(self, channel, event):
        label = channel.get_property('label')
        with self.lock:
            known = label in self.channels
            self.channels.setdefault(label, channel)
        if known:
            # counted with the on-error a case does not expect
            self.events.put(('ours', 'channel', 'error', label, {
                'message': 'a second data channel with this label'}))
            return
        channel.connect('on-open', self._on_channel_event, 'open')
        channel.connect('on-close', self._on_channel_event, 'close')
        channel.connect('on-error', self._on_channel_error)
        channel.connect('on-message-string', self._on_message_string)
        channel.connect('on-message-data', self._on_message_data)
        self._on_channel_event(channel, event)

    def _on_data_channel(self, _bin, channel):
        self._watch_channel(channel, 'announced')

    def _on_channel_event(self, channel, event):
        self.events.put(('ours', 'channel', event,
                         channel.get_property('label'), channel_info(channel)))

    def _on_channel_error(self, channel, error):
        self.events.put(('ours', 'channel', 'error',
                         channel.get_property('label'),
                         {'message': getattr(error, 'message', str(error))}))

    def _on_message_string(self, channel, text):
        self.events.put(('ours', 'message', channel.get_property('label'),
                         'text', text or ''))

    def _on_message_data(self, channel, data):
        raw = (data.get_data() if data is not None else None) or b''
        self.events.put(('ours', 'message', channel.get_property('label'),
                         'data', bytes(raw)))

    def _on_negotiation_needed(self, _bin):
        with self.lock:
            self.negotiation_needed += 1
        self.events.put(('ours', 'negotiation-needed'))

    def negotiation_needed_count(self):
        with self.lock:
            return self.negotiation_needed

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
    ALTERATIONS, what our description needs on its way to them; @media:
    False for a call without audio or video; @data: each side opens a
    data channel (the offerer's before its offer)."""

    def __init__(self, name, registry_dir, we_offer, tamper=False,
                 our_policy=None, their_policy='max-bundle',
                 offer_kinds=None, offer=None, answer=None, rejected=(),
                 transports=None, alter=None, media=True, data=False):
        self.name = name
        self.we_offer = we_offer
        self.tamper = tamper
        self.our_policy = our_policy
        self.offer_kinds = offer_kinds
        self.offer_expected = offer
        self.answer_expected = answer
        self.rejected = set(rejected)
        self.media = media
        self.kinds = ({'video', 'audio'} - self.rejected) if media else set()
        self.transports = transports
        self.alter = alter
        self.data = data
        # data channels, per side ('ours', 'theirs') and label: what
        # happened to it ([(event, info)]), the messages that came in
        # ([(kind, content)]); and on-error as (label, message)
        self.channel_events = {'ours': {}, 'theirs': {}}
        self.received_messages = {'ours': {}, 'theirs': {}}
        self.channel_errors = {'ours': [], 'theirs': []}
        self.their_limit = None       # their a=max-message-size
        self.expected_messages = {}   # (side, label) -> [(kind, content)]
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
        elif kind == 'channel':
            self.on_channel('theirs', m['event'], m['label'], m)
        elif kind == 'message':
            if 'text' in m:
                message = ('text', m['text'])
            else:
                message = ('data', base64.b64decode(m['data']))
            self.on_message('theirs', m['label'], message)

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
        elif kind == 'channel':
            self.on_channel('ours', *args)
        elif kind == 'message':
            label, message_kind, content = args
            self.on_message('ours', label, (message_kind, content))
        elif kind == 'negotiation-needed':
            log('our on-negotiation-needed')

    def on_channel(self, side, event, label, info):
        if event == 'error':
            self.channel_errors[side].append((label, info.get('message')))
            log('%s data channel %r: on-error: %s'
                % (side, label, info.get('message')))
            return
        self.channel_events[side].setdefault(label, []).append((event, info))
        log('%s data channel %r: %s, id %s, protocol %r, ordered %s, '
            'negotiated %s, ready-state %s'
            % (side, label, event, info.get('id'), info.get('protocol'),
               info.get('ordered'), info.get('negotiated'),
               info.get('state')))

    def on_message(self, side, label, message):
        self.received_messages[side].setdefault(label, []).append(message)
        log('%s data channel %r: %s' % (side, label,
                                        describe_message(message)))

    def channel_seen(self, side, label, event):
        """The info of @side's first @event on channel @label, or None."""
        for seen, info in self.channel_events[side].get(label, []):
            if seen == event:
                return info
        return None

    def wait_channel(self, side, label, event):
        self.wait(lambda: self.channel_seen(side, label, event) is not None,
                  DATA_TIMEOUT, '%s data channel %r: %s' % (side, label,
                                                           event))

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
        kinds = (self.offer_kinds or ['video', 'audio']) if self.media \
            else []
        self.ours = OurSide(self.events, self.our_policy, kinds)
        self.ours.play()
        if self.we_offer:
            if self.data:
                self.create_channel_before_offer()
            self.send_our_sdp('offer', self.ours.create('offer'))
        else:
            request = {'type': 'create-offer'}
            if self.offer_kinds or not self.media:
                request['kinds'] = kinds
            if self.data:
                request['channels'] = [{'label': THEIR_LABEL,
                                        'protocol': THEIR_PROTOCOL}]
            self.peer.send(**request)
        self.wait(lambda: self.their_sdp is not None, STEP_TIMEOUT,
                  'their %s' % ('answer' if self.we_offer else 'offer'))
        self.check_descriptions()
        if self.tamper:
            self.check_refused()
        elif self.media:
            self.check_media()
        else:
            self.check_connected()
        if self.data:
            self.check_data()

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
        if self.data:
            self.check_data_descriptions(offer, answer)

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
        fields = ['dtls-version', 'cipher-suite']
        if self.media:
            fields.append('srtp-profile')
        for field in fields:
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
        whose = 'their'
        if not pairs and not self.media:
            # webrtcbin 1.22's get-stats has pairs for its transceivers'
            # transports only, none in a call without media (and its
            # sctp-transport is not for Python to touch: it keeps it by
            # its floating reference, which a wrapper would take); ours
            # has the pair from our end
            pairs, whose = self.ours.candidate_pairs(), 'our'
        if not pairs:
            raise Failure('%s get-stats shows no candidate pair' % whose)
        for pair in pairs:
            for end in ('local', 'remote'):
                address = (pair.get(end) or '').rsplit(':', 1)[0]
                if address != LOOPBACK:
                    raise Failure('%s candidate pair has %s end %s: %s'
                                  % (whose, end, pair.get(end), pairs))
        log('loopback only: our candidates %s, theirs %s, %s pairs %s'
            % (self.candidates['ours'], self.candidates['theirs'], whose,
               pairs))

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

    # data channels

    def create_channel_before_offer(self):
        before = self.ours.negotiation_needed_count()
        channel = self.ours.create_channel(OUR_LABEL, OUR_PROTOCOL)
        info = channel_info(channel)
        if info['id'] != -1 or info['state'] != 'connecting':
            raise Failure('a data channel made before the offer has id %s '
                          'and ready-state %s, expected -1 and connecting'
                          % (info['id'], info['state']))
        if not self.media:
            # nothing else makes this bin want an offer
            self.wait(lambda: self.ours.negotiation_needed_count() > before,
                      STEP_TIMEOUT, 'our on-negotiation-needed after the '
                      'first data channel')

    def check_connected(self):
        """A call without media: connected, and the transport checks of
        check_media."""
        self.wait(lambda: self.ours.state() == 'connected', DATA_TIMEOUT,
                  'our connection-state connected')
        if self.transports is not None:
            self.wait(lambda: self.ours.ice_sources() == self.transports,
                      STEP_TIMEOUT, '%d secicesrc in our bin'
                      % self.transports)
        stats = self.ask_peer_stats()
        self.check_security_info()
        self.check_loopback(stats)

    def check_data_descriptions(self, offer, answer):
        for (whose, sdp), kind in ((offer, 'offer'), (answer, 'answer')):
            what = '%s %s' % (whose, kind)
            sections = sdp_data_sections(sdp)
            if len(sections) != 1:
                raise Failure('%s has %d m=application lines, expected 1'
                              % (what, len(sections)))
            data = sections[0]
            # RFC 8841 §4, §5
            if data['proto'] != 'UDP/DTLS/SCTP' or \
                    data['fmt'] != 'webrtc-datachannel' or \
                    data['sctp-port'] is None:
                raise Failure('%s: m=application is not UDP/DTLS/SCTP '
                              'webrtc-datachannel with an a=sctp-port: %s'
                              % (what, data))
            if kind == 'answer' and data['port'] == 0:
                raise Failure('%s rejects the m=application line (port 0)'
                              % what)
            if whose == 'our' and (
                    data['sctp-port'] != str(OUR_SCTP_PORT) or
                    data['max-message-size'] != str(OUR_MAX_MESSAGE_SIZE)):
                raise Failure('%s: a=sctp-port %s and a=max-message-size '
                              '%s, expected %d and %d'
                              % (what, data['sctp-port'],
                                 data['max-message-size'], OUR_SCTP_PORT,
                                 OUR_MAX_MESSAGE_SIZE))
            if whose == 'their':
                self.their_limit = int(data['max-message-size'] or
                                       DEFAULT_MAX_MESSAGE_SIZE)
            log('%s: m=application %s' % (what, data))

    def check_data(self):
        """Each side's channel open on both, then messages both ways on
        both, then each closed by its opener."""
        if self.we_offer:
            # ours, made before the offer, opens with the call; theirs
            # once it is up
            self.wait_channel('ours', OUR_LABEL, 'open')
            self.wait_channel('theirs', OUR_LABEL, 'announced')
            self.peer.send(type='create-channel', label=THEIR_LABEL,
                           protocol=THEIR_PROTOCOL)
            self.wait_channel('theirs', THEIR_LABEL, 'open')
            self.wait_channel('ours', THEIR_LABEL, 'announced')
            self.wait_channel('ours', THEIR_LABEL, 'open')
        else:
            self.wait_channel('theirs', THEIR_LABEL, 'open')
            self.wait_channel('ours', THEIR_LABEL, 'announced')
            self.wait_channel('ours', THEIR_LABEL, 'open')
            # made on a call that is up: it opens without a new offer
            self.ours.create_channel(OUR_LABEL, OUR_PROTOCOL)
            self.wait_channel('ours', OUR_LABEL, 'open')
            self.wait_channel('theirs', OUR_LABEL, 'announced')
        self.check_channels()
        self.exchange_messages()
        self.close_channels()
        errors = self.ours.errors + [e for e in self.peer_bus
                                     if e.startswith('error')]
        if errors:
            raise Failure('errors on a working call: %s' % errors)
        if not self.media:
            # without senders only our first channel, made before our
            # offer, makes an offer necessary (W3C "check if negotiation
            # is needed"): not an answer that took their data m-line, not
            # a channel made on a call that is up
            fired = self.ours.negotiation_needed_count()
            if fired != (1 if self.we_offer else 0):
                raise Failure('our on-negotiation-needed fired %d times, '
                              'expected %d' % (fired,
                                               1 if self.we_offer else 0))

    def check_channels(self):
        """The two ends of each channel agree on its id, protocol and
        reliability; the ids have the parity of the opener's DTLS role."""
        answer = self.their_sdp if self.we_offer else self.our_sdp
        setup = dtls_setup(answer)
        if setup not in ('active', 'passive'):
            raise Failure('the answer has a=setup:%s' % setup)
        # the answerer is the DTLS client when it is active
        we_are_client = (setup == 'active') != self.we_offer
        for label, protocol, by_us in ((OUR_LABEL, OUR_PROTOCOL, True),
                                       (THEIR_LABEL, THEIR_PROTOCOL, False)):
            ours = channel_info(self.ours.channel(label))
            # as it was when open there (a channel of ours is open when
            # announced)
            theirs = self.channel_seen('theirs', label, 'open') or \
                self.channel_seen('theirs', label, 'announced')
            # RFC 8832 §6: the DTLS client takes even ids, the server odd
            client = we_are_client == by_us
            for side, info in (('our', ours), ('their', theirs)):
                if info['state'] != 'open':
                    raise Failure('%s end of channel %r is %s, not open'
                                  % (side, label, info['state']))
                if info['protocol'] != protocol or not info['ordered'] or \
                        info['negotiated']:
                    raise Failure('%s end of channel %r: protocol %r, '
                                  'ordered %s, negotiated %s; expected %r, '
                                  'ordered, not negotiated'
                                  % (side, label, info['protocol'],
                                     info['ordered'], info['negotiated'],
                                     protocol))
            if ours['id'] != theirs['id'] or ours['id'] < 0 or \
                    ours['id'] % 2 != (0 if client else 1):
                raise Failure('channel %r has id %s here and %s there; '
                              'its opener is the DTLS %s (%s ids)'
                              % (label, ours['id'], theirs['id'],
                                 'client' if client else 'server',
                                 'even' if client else 'odd'))
            log('channel %r: id %d on both ends, opened by the DTLS %s'
                % (label, ours['id'], 'client' if client else 'server'))

    def exchange_messages(self):
        """Both sides send their lists on both channels; each list arrives
        whole and in order, and what is above their a=max-message-size
        comes back to us as on-error."""
        expected = {}
        for label in (OUR_LABEL, THEIR_LABEL):
            sent = our_messages(label, self.their_limit)
            for kind, content, _arrives in sent:
                self.ours.send_message(label, kind, content)
            expected[('theirs', label)] = [arrives for _kind, _content,
                                           arrives in sent if arrives]
            for kind, content in their_messages(label):
                if kind == 'text':
                    self.peer.send(type='send', label=label, text=content)
                else:
                    self.peer.send(type='send', label=label,
                                   data=base64.b64encode(content).decode())
            expected[('ours', label)] = their_messages(label)

        def arrived():
            return all(len(self.received_messages[side].get(label, [])) >=
                       len(messages)
                       for (side, label), messages in expected.items())
        self.wait(arrived, DATA_TIMEOUT, 'every message on both channels')
        self.check_messages(expected)
        self.wait(lambda: self.errors_of('ours', OUR_LABEL) and
                  self.errors_of('ours', THEIR_LABEL), STEP_TIMEOUT,
                  'on-error for the message of %d bytes (their '
                  'a=max-message-size is %d) on each channel'
                  % (self.their_limit + 1, self.their_limit))
        self.expected_messages = expected

    def check_messages(self, expected):
        for (side, label), messages in expected.items():
            got = self.received_messages[side].get(label, [])
            if got != messages:
                raise Failure('%s end of channel %r: %s'
                              % (side, label,
                                 first_difference(got, messages)))
        log('messages: %s' % ', '.join(
            '%d on %s end of %r' % (len(m), side, label)
            for (side, label), m in expected.items()))

    def errors_of(self, side, label):
        return [m for l, m in self.channel_errors[side] if l == label]

    def close_channels(self):
        expected = self.expected_messages
        ours = self.ours.channel(OUR_LABEL)
        ours.emit('close')
        self.wait_channel('theirs', OUR_LABEL, 'close')
        self.wait_channel('ours', OUR_LABEL, 'close')
        # the other channel still carries messages, both ways
        after = ('text', 'after %r closed' % OUR_LABEL)
        self.ours.send_message(THEIR_LABEL, *after)
        self.peer.send(type='send', label=THEIR_LABEL, text=after[1])
        for side in ('ours', 'theirs'):
            expected[(side, THEIR_LABEL)] = \
                expected[(side, THEIR_LABEL)] + [after]
        self.wait(lambda: all(
            len(self.received_messages[side].get(THEIR_LABEL, [])) >=
            len(expected[(side, THEIR_LABEL)]) for side in ('ours', 'theirs')),
            DATA_TIMEOUT, 'a message each way on %r after %r closed'
            % (THEIR_LABEL, OUR_LABEL))
        self.peer.send(type='close', label=THEIR_LABEL)
        self.wait_channel('ours', THEIR_LABEL, 'close')
        self.wait_channel('theirs', THEIR_LABEL, 'close')
        for label in (OUR_LABEL, THEIR_LABEL):
            state = channel_info(self.ours.channel(label))['state']
            if state != 'closed':
                raise Failure('our end of %r is %s after on-close'
                              % (label, state))
        # sending on a closed channel: on-error, nothing sent
        errors = len(self.errors_of('ours', OUR_LABEL))
        self.ours.send_message(OUR_LABEL, 'text', 'too late')
        self.wait(lambda: len(self.errors_of('ours', OUR_LABEL)) > errors,
                  STEP_TIMEOUT, 'on-error for a message on a closed channel')
        # a round trip to the peer, which reports what it received before
        # it answers: no message came besides those expected, and on-error
        # only for the message too large (each channel) and the one sent
        # too late (ours)
        self.ask_peer_stats()
        self.check_messages(expected)
        expected_errors = {'ours': {OUR_LABEL: 2, THEIR_LABEL: 1},
                           'theirs': {}}
        for side, counts in expected_errors.items():
            for label in (OUR_LABEL, THEIR_LABEL):
                errors = self.errors_of(side, label)
                if len(errors) != counts.get(label, 0):
                    raise Failure('%s end of %r: %d on-error, expected %d: '
                                  '%s' % (side, label, len(errors),
                                          counts.get(label, 0), errors))

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
        for side in ('ours', 'theirs'):
            for label, events in self.channel_events[side].items():
                lines.append('  %s data channel %r: %s; %d messages in; '
                             'on-error %s'
                             % (side, label, [e for e, _ in events],
                                len(self.received_messages[side].get(
                                    label, [])),
                                self.errors_of(side, label)))
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
    'we-offer-data': dict(we_offer=True, media=False, data=True,
                          answer='bundled', transports=1),
    'they-offer-data': dict(we_offer=False, media=False, data=True,
                            offer='bundled', answer='bundled', transports=1),
    'we-offer-media-data': dict(we_offer=True, data=True, offer='bundled',
                                answer='bundled', transports=1),
    'they-offer-media-data': dict(we_offer=False, data=True, offer='bundled',
                                  answer='bundled', transports=1),
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
