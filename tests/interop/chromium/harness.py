#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Chromium interop harness for the webrtc bin (README.md beside this file).

A call between a real RTCPeerConnection in headless Chromium (index.html and
peer.js, fake camera and microphone) and a GStreamer webrtc bin in this
process, with signaling relayed through a small HTTP server on 127.0.0.1.

Pieces, each usable on its own:
  SignalingServer  serves the page, long-poll GET /recv and POST /send
  Chromium         starts headless Chromium on a URL, stops it by PID
  Peer             what a call needs from our side (the interface)
  GstWebRTCPeer    Peer over a webrtc bin made by factory name: secwebrtcbin,
                   or gst-plugins-bad's webrtcbin in dev mode only
  run_call()       one call in one mode; returns a CallResult
The data-channel script of a call is in datachannels.py.

Only the standard library and python3-gi; run with Debian's /usr/bin/python3.
Every thread waits on an event with a bound, never on a sleep: all that
happens (page messages, our candidates, state changes, first frames, bus
errors) goes into one queue that the calling thread consumes.
"""

import atexit
import collections
import hashlib
import http.server
import json
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import datachannels

HERE = os.path.dirname(os.path.abspath(__file__))

# The flags the issue asks for (headless, no sandbox, no GPU, no QUIC, no
# background traffic to Google, fake devices that are granted without a
# prompt), plus --allow-loopback-in-peer-connection: without it Chromium
# leaves the loopback interface out of ICE gathering (README.md).
CHROMIUM_FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run',
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
]

# Dev mode: the peer is gst-plugins-bad's webrtcbin in this process. The
# test suite never sets this variable, and its environment hides
# gst-plugins-bad's webrtc plugin anyway.
DEV_ENV = 'SEC_CHROMIUM_DEV_WEBRTCBIN'


class HarnessError(Exception):
    """Something the harness itself could not do (a missing program or
    element, a timeout, an error from a peer)."""


def chromium_binary():
    """The Chromium to use (SEC_CHROMIUM overrides), or None."""
    path = os.environ.get('SEC_CHROMIUM') or shutil.which('chromium')
    return path if path and os.access(path, os.X_OK) else None


def tamper_fingerprint(sdp):
    """The SDP with every a=fingerprint value changed in its last byte: a
    man in the middle who replaced the certificate's fingerprint."""
    def flip(m):
        value = m.group(2)
        last = int(value[-2:], 16) ^ 0xff
        return m.group(1) + value[:-2] + '%02X' % last
    out, n = re.subn(r'(a=fingerprint:\S+ )([0-9A-Fa-f:]+)', flip, sdp)
    if n == 0:
        raise HarnessError('no a=fingerprint line to tamper with')
    return out


def set_max_message_size(sdp, size):
    """The SDP with every a=max-message-size value (RFC 8841) replaced by
    `size`."""
    out, n = re.subn(r'(?m)^(a=max-message-size:)\d+', r'\g<1>%d' % size, sdp)
    if n == 0:
        raise HarnessError('no a=max-message-size line to change')
    return out


def sdp_fingerprints(sdp):
    """The set of 'alg HEX' fingerprints an SDP carries (hex upper case)."""
    return {'%s %s' % (alg.lower(), value.upper())
            for alg, value in re.findall(r'a=fingerprint:(\S+) ([0-9A-Fa-f:]+)', sdp)}


def _session_and_media(sdp):
    """(session-level text, [m-section text, ...]) of an SDP."""
    parts = re.split(r'\r?\n(?=m=)', sdp)
    return parts[0], parts[1:]


def _attribute(section, name):
    """The value of the first a=<name>: line of an SDP section, or None."""
    m = re.search(r'^a=%s:(.*?)\r?$' % re.escape(name), section, re.M)
    return m.group(1).strip() if m else None


def sdp_media_ice_ufrags(sdp):
    """[a=ice-ufrag of each m-line (its own, else the session's; None:
    neither)], in m-line order."""
    session, media = _session_and_media(sdp)
    default = _attribute(session, 'ice-ufrag')
    return [_attribute(m, 'ice-ufrag') or default for m in media]


def sdp_media_fingerprint(sdp, index):
    """'alg HEX' of m-line `index` (its own a=fingerprint, else the
    session's), or None."""
    session, media = _session_and_media(sdp)
    value = (_attribute(media[index], 'fingerprint') if index < len(media) else None) \
        or _attribute(session, 'fingerprint')
    if value is None or ' ' not in value:
        return None
    alg, hexa = value.split(None, 1)
    return '%s %s' % (alg.lower(), hexa.upper())


def sdp_bundle_groups(sdp):
    """[[mid, ...]] of each session-level a=group:BUNDLE line."""
    session, _ = _session_and_media(sdp)
    return [g.split() for g in re.findall(r'^a=group:BUNDLE(?: (.*?))?\r?$', session, re.M)
            if g is not None]


def sdp_mids(sdp):
    """[a=mid of each m-line (None: no a=mid)], in m-line order."""
    _, media = _session_and_media(sdp)
    return [_attribute(m, 'mid') for m in media]


def candidate_address(candidate):
    """(protocol, address) of a 'candidate:...' string, or (None, None)."""
    fields = candidate.split()
    if len(fields) < 8:
        return None, None
    return fields[2].lower(), fields[4]


def is_loopback_udp(candidate):
    proto, addr = candidate_address(candidate)
    return proto == 'udp' and addr == '127.0.0.1'


# --------------------------------------------------------------------------
# A private network namespace: only a loopback interface

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _lo_up():
    import fcntl
    import socket
    import struct
    SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifr = fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack('16sH', b'lo', 0))
        flags = struct.unpack('16sH', ifr[:18])[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack('16sH', b'lo', flags | IFF_UP))


def enter_private_netns():
    """Moves this process into a new network namespace whose only interface
    is loopback (up), so that Chromium, our peer and the signaling server
    can reach 127.0.0.1 and nothing else: Chromium gathers ICE candidates
    on every interface it sees, and uses them as the local side of its
    checks even when the page never signals them. Call it first thing in
    the main thread, before any other thread exists (a namespace is per
    thread; threads and processes started later inherit it).
    Returns None on success, or the reason it could not (then nothing
    changed)."""
    import ctypes
    if threading.active_count() != 1:
        return 'other threads already run'
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        # Not root: a user namespace gives the capability inside it.
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            return 'unshare(CLONE_NEWNET): %s; with CLONE_NEWUSER: %s' % (
                os.strerror(err), os.strerror(ctypes.get_errno()))
        try:
            with open('/proc/self/setgroups', 'w') as f:
                f.write('deny')
            with open('/proc/self/uid_map', 'w') as f:
                f.write('%d %d 1' % (uid, uid))
            with open('/proc/self/gid_map', 'w') as f:
                f.write('%d %d 1' % (gid, gid))
        except OSError as e:
            return 'user namespace id maps: %s' % e
    try:
        _lo_up()
    except OSError as e:
        return 'bringing lo up: %s' % e
    return None


def interfaces():
    """Names of this network namespace's interfaces."""
    import socket
    return sorted(name for _, name in socket.if_nameindex())


# --------------------------------------------------------------------------
# Processes this module started, stopped at exit whatever happened.

_live = set()
_live_lock = threading.Lock()


def _stop_all():
    with _live_lock:
        items = list(_live)
    for item in items:
        item.stop()


atexit.register(_stop_all)


def _raise_on_signal(signum, _frame):
    # meson test ends a test with SIGTERM on its timeout: unwind so that
    # the finally blocks stop Chromium. Only once: a second signal must not
    # interrupt that clean-up (atexit finishes whatever it left).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def install_signal_handlers():
    """SIGTERM and SIGINT unwind the main thread (call from the main thread)."""
    signal.signal(signal.SIGTERM, _raise_on_signal)
    signal.signal(signal.SIGINT, _raise_on_signal)


# --------------------------------------------------------------------------
# Signaling server

class SignalingServer:
    """HTTP on an ephemeral port of 127.0.0.1: serves the page and relays
    messages. Page messages go to `events` as ('page', msg); send() queues
    a message for the page's long poll. Requests without the run's random
    token are refused (403)."""

    POLL_SECONDS = 5
    MAX_BODY = 1 << 20
    FILES = {'/index.html': 'text/html; charset=utf-8',
             '/peer.js': 'text/javascript; charset=utf-8'}

    def __init__(self, events, page_dir=HERE):
        self.events = events
        self.page_dir = page_dir
        self.token = secrets.token_hex(16)
        self._outbox = collections.deque()
        self._cond = threading.Condition()
        self._closed = False
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, code, body=b'', ctype='application/json'):
                self.send_response(code)
                self.send_header('Content-Type', ctype)
                self.send_header('Content-Length', str(len(body)))
                self.send_header('Cache-Control', 'no-store')
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def _token_ok(self, query):
                return secrets.compare_digest(
                    query.get('token', [''])[0], server.token)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                if url.path in server.FILES:
                    name = os.path.join(server.page_dir, url.path[1:])
                    with open(name, 'rb') as f:
                        self._reply(200, f.read(), server.FILES[url.path])
                elif url.path == '/recv':
                    if not self._token_ok(query):
                        return self._reply(403)
                    msg = server._take(server.POLL_SECONDS)
                    if msg is None:
                        self._reply(410 if server._closed else 204)
                    else:
                        self._reply(200, json.dumps(msg).encode())
                else:
                    self._reply(404)

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                if url.path != '/send' or not self._token_ok(query):
                    return self._reply(403)
                length = int(self.headers.get('Content-Length') or 0)
                if length <= 0 or length > server.MAX_BODY:
                    return self._reply(413)
                try:
                    msg = json.loads(self.rfile.read(length))
                except ValueError:
                    return self._reply(400)
                if not isinstance(msg, dict) or 'type' not in msg:
                    return self._reply(400)
                server.events.put(('page', msg))
                self._reply(204)

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        name='signaling', daemon=True)
        self._thread.start()

    def url(self, **query):
        query['token'] = self.token
        return 'http://127.0.0.1:%d/index.html?%s' % (
            self.port, urllib.parse.urlencode(query))

    def send(self, msg):
        with self._cond:
            self._outbox.append(msg)
            self._cond.notify_all()

    def _take(self, timeout):
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._outbox and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return self._outbox.popleft() if self._outbox else None

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(10)


# --------------------------------------------------------------------------
# Chromium

class Chromium:
    """Headless Chromium on one URL with a fresh profile and HOME in a
    temporary folder.

    Stopping, always by process id: stop() sends SIGTERM to the PID we
    started (the browser: Debian's /usr/bin/chromium execs it), SIGKILL
    after `timeout`; then SIGKILL to what is left of the process group it
    leads (renderer, GPU, utility and zygote processes); then SIGKILL,
    through a pidfd, to every process that still carries this run's
    marker in its environment (Chromium's crashpad handlers leave the
    group with setsid); then removes the folder. Each step is idempotent,
    so stop() can run again from atexit after an interrupted one. If this
    Python process dies without running stop() at all, the kernel kills
    the browser (setpriv --pdeathsig KILL), and its helpers end with it."""

    def __init__(self, url, binary=None, extra_flags=(), events=None):
        self.events = events
        self.binary = binary or chromium_binary()
        if not self.binary:
            raise HarnessError('chromium not found (Debian package chromium)')
        self.url = url
        self.extra_flags = list(extra_flags)
        self.marker = 'SEC_CHROMIUM_RUN=' + secrets.token_hex(8)
        self.proc = None
        self.workdir = None
        self.log_tail = ''
        self._log = None
        self._group_done = False

    PREFIX = 'secwebrtc-chromium-'

    @classmethod
    def sweep_stale(cls):
        """Removes the folders of earlier runs whose harness process is gone
        (killed with SIGKILL: nothing else leaves one behind)."""
        tmp = tempfile.gettempdir()
        for entry in os.listdir(tmp):
            path = os.path.join(tmp, entry)
            if not entry.startswith(cls.PREFIX):
                continue
            try:
                with open(os.path.join(path, 'owner')) as f:
                    owner = int(f.read())
            except (OSError, ValueError):
                continue
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                shutil.rmtree(path, ignore_errors=True)
            except PermissionError:
                pass

    def start(self):
        with _live_lock:
            _live.add(self)
        self.sweep_stale()
        self.workdir = tempfile.mkdtemp(prefix=self.PREFIX)
        with open(os.path.join(self.workdir, 'owner'), 'w') as f:
            f.write(str(os.getpid()))
        profile = os.path.join(self.workdir, 'profile')
        home = os.path.join(self.workdir, 'home')
        os.mkdir(profile)
        os.mkdir(home)
        self._log = open(os.path.join(self.workdir, 'chromium.log'), 'wb')
        argv = [self.binary] + CHROMIUM_FLAGS + self.extra_flags + [
            '--user-data-dir=' + profile, self.url]
        setpriv = shutil.which('setpriv')
        if setpriv:
            argv = [setpriv, '--pdeathsig', 'KILL', '--'] + argv
        env = dict(os.environ)
        env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'),
                   XDG_CACHE_HOME=os.path.join(home, '.cache'))
        name, value = self.marker.split('=', 1)
        env[name] = value
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=self._log,
                                     start_new_session=True, env=env)
        if self.events is not None:
            # ('chromium', 'exited', code) when it ends, so that a waiting
            # call stops waiting at once
            proc, events = self.proc, self.events
            threading.Thread(target=lambda: events.put(('chromium', 'exited', proc.wait())),
                             name='chromium-watch', daemon=True).start()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def _marked_pids(self):
        marker = self.marker.encode()
        pids = []
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open('/proc/%s/environ' % entry, 'rb') as f:
                    if marker in f.read().split(b'\0'):
                        pids.append(int(entry))
            except OSError:
                pass
        return pids

    def _kill_marked(self, timeout):
        import select
        for pid in self._marked_pids():
            try:
                fd = os.pidfd_open(pid)
            except OSError:
                continue
            try:
                signal.pidfd_send_signal(fd, signal.SIGKILL)
                poller = select.poll()
                poller.register(fd, select.POLLIN)
                poller.poll(timeout * 1000)  # readable once it has exited
            except OSError:
                pass
            finally:
                os.close(fd)

    def stop(self, timeout=5.0):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        if self.proc is not None and not self._group_done:
            try:
                # The group Chromium leads (start_new_session): its pgid is
                # the PID we started, which stays reserved while any member
                # lives.
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._group_done = True
        if self.proc is not None:
            self._kill_marked(timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
            try:
                with open(os.path.join(self.workdir, 'chromium.log'), 'rb') as f:
                    self.log_tail = f.read()[-4000:].decode('utf-8', 'replace')
            except OSError:
                pass
        if self.workdir:
            if os.environ.get('SEC_CHROMIUM_KEEP'):
                sys.stderr.write('kept Chromium profile and log in %s\n' % self.workdir)
            else:
                shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
        with _live_lock:
            _live.discard(self)


# --------------------------------------------------------------------------
# Our side

class Peer:
    """What a call needs from our side. Everything a peer observes goes to
    the queue given to start() as ('peer', kind, ...) tuples:
      ('peer', 'candidate', mline, candidate)   a local candidate ('' = end)
      ('peer', 'state', property, value)        a state property changed
      ('peer', 'frame', kind, count)            decoded frames (1, 2, 4, ...)
      ('peer', 'error', text) / ('peer', 'warning', text)   from the bus
      ('peer', 'element-removed', name)         an element left the bin (at
                                                any depth: ICE transports
                                                leave asynchronously)
      ('peer', 'dc', label, what, value)        a data channel event
                                                (datachannels.py)
    Media: `media` is a subset of {'audio', 'video'} (empty: a data-only
    call); video_codec 'vp8' (we send and receive VP8) or 'h264' (we
    receive H264 only: our video is recvonly, the browser sends H264).
    bundle_policy: the bin's bundle-policy, 'max-bundle' (the default) or
    'balanced'. data_channels: the call carries data channels (an offer's
    m=application is accepted; channels the peer opens are reported).
    max_message_size: the bin's max-message-size (the a=max-message-size
    it writes), None to leave its default."""

    def start(self, events):
        raise NotImplementedError

    def make_offer(self, prepare=None):
        """Create an offer, set it as local description, return its SDP.
        prepare(): called once the pipeline runs, before create-offer (to
        open data channels the offer must carry)."""
        raise NotImplementedError

    def take_offer(self, sdp):
        """Set the remote offer, create and set the answer, return its SDP."""
        raise NotImplementedError

    def take_answer(self, sdp):
        raise NotImplementedError

    def add_candidate(self, mline, candidate):
        raise NotImplementedError

    def frames(self):
        """{'audio': n, 'video': n}: buffers out of our decoders so far."""
        raise NotImplementedError

    def connection_state(self):
        raise NotImplementedError

    def ice_transports(self):
        """How many ICE transports our side holds now."""
        raise NotImplementedError

    # Data channels, by label (the harness gives each channel its own)

    def create_data_channel(self, label, protocol):
        """Open an ordered, reliable channel (in-band)."""
        raise NotImplementedError

    def send_text(self, label, text):
        raise NotImplementedError

    def send_binary(self, label, data):
        raise NotImplementedError

    def close_data_channel(self, label):
        raise NotImplementedError

    def data_channel_properties(self, label):
        """{'label', 'protocol', 'ordered', 'negotiated', 'id',
        'ready-state' (nick), ...} of a channel now, or None."""
        raise NotImplementedError

    def describe(self):
        return ''

    def stop(self):
        raise NotImplementedError


_gst = None


def gst_modules():
    """(Gst, GObject), initialised once."""
    global _gst
    if _gst is None:
        import gi
        gi.require_version('Gst', '1.0')
        from gi.repository import GObject, Gst
        Gst.init(None)
        _gst = (Gst, GObject)
    return _gst


def factory_plugin_file(name):
    Gst, _ = gst_modules()
    factory = Gst.ElementFactory.find(name)
    if factory is None:
        return None
    plugin = factory.get_plugin()
    return plugin.get_filename() if plugin else None


def check_factory_is_ours(name):
    """As tests/check/seccheck.c does: the element must come from our build
    tree (SEC_BUILD_ROOT, set by meson test and meson devenv)."""
    root = os.environ.get('SEC_BUILD_ROOT')
    if not root:
        raise HarnessError('SEC_BUILD_ROOT is not set: run through meson test '
                           'or meson devenv')
    path = factory_plugin_file(name)
    if path is None:
        raise HarnessError('element %s not found' % name)
    if not os.path.realpath(path).startswith(os.path.realpath(root) + os.sep):
        raise HarnessError('%s comes from %s, not from our build tree %s'
                           % (name, path, root))


def _sdp_sections(sdp):
    """[(media kind, section text)] for each m-line of an SDP."""
    _, media = _session_and_media(sdp)
    return [(p[2:].split(' ', 1)[0], p) for p in media]


def _codecs(section):
    """[(pt, NAME, clock, fmtp dict)] of one m-section, in its order."""
    fmtp = {}
    for pt, params in re.findall(r'a=fmtp:(\d+) (\S+)', section):
        fmtp[int(pt)] = dict(kv.split('=', 1) for kv in params.split(';') if '=' in kv)
    return [(int(pt), name.upper(), int(clock), fmtp.get(int(pt), {}))
            for pt, name, clock in re.findall(r'a=rtpmap:(\d+) ([^/\s]+)/(\d+)', section)]


VP8_PT, OPUS_PT, H264_PT = 96, 111, 102
H264_FMTP = {'packetization-mode': '1', 'profile-level-id': '42e01f',
             'level-asymmetry-allowed': '1'}
# One element of these factories per ICE transport: secwebrtcbin's
# transports have a secicesrc each (gst/webrtc/transport.c), webrtcbin's
# (dev mode) a nicesrc.
ICE_SOURCE_FACTORIES = ('secicesrc', 'nicesrc')

# What of a data channel's properties the harness reads (both bins have
# these names).
CHANNEL_PROPERTIES = ('label', 'protocol', 'ordered', 'negotiated', 'id',
                      'max-retransmits', 'max-packet-lifetime', 'ready-state',
                      'buffered-amount')
# Texts up to this many UTF-8 bytes are kept in the events as they are.
SHORT_TEXT = 200


def _nick(value):
    # webrtcbin 1.22 starts a channel's ready-state at 0, which is no value
    # of its enum: PyGObject's value_nick crashes on that
    values = getattr(type(value), '__enum_values__', None)
    if values is not None and int(value) not in values:
        return 'none (%d)' % int(value)
    return getattr(value, 'value_nick', value)


class _OurChannel:
    """One data channel object of our bin (secwebrtcbin's
    GstSecWebRTCDataChannel or webrtcbin's GstWebRTCDataChannel): its
    signals, which come from the bin's SCTP thread (or, for on-error, the
    thread that sent), become ('peer', 'dc', label, what, value) events
    in the call's queue, read by the calling thread only. What a message
    carries is digested at once (GBytes and strings are copied out):
      'open' None       on-open
      'close' None      on-close
      'error' text      on-error (its GError's message)
      'message' (kind, size, sha256 hex, text or None)   kind 'text'
                        (size and digest of its UTF-8) or 'binary'
      'state' nick      notify::ready-state"""

    def __init__(self, obj, label, events):
        self.obj = obj
        self.label = label
        self.events = events
        self.handlers = [
            obj.connect('on-open', self._on_open),
            obj.connect('on-close', self._on_close),
            obj.connect('on-error', self._on_error),
            obj.connect('on-message-string', self._on_string),
            obj.connect('on-message-data', self._on_data),
            obj.connect('notify::ready-state', self._on_state),
        ]

    def _put(self, what, value=None):
        self.events.put(('peer', 'dc', self.label, what, value))

    def _on_open(self, _obj):
        self._put('open')

    def _on_close(self, _obj):
        self._put('close')

    def _on_error(self, _obj, error):
        self._put('error', getattr(error, 'message', None) or str(error))

    def _on_string(self, _obj, text):
        raw = (text or '').encode('utf-8', 'surrogatepass')
        self._put('message', ('text', len(raw), hashlib.sha256(raw).hexdigest(),
                              text if len(raw) <= SHORT_TEXT else None))

    def _on_data(self, _obj, data):
        raw = (data.get_data() if data is not None else None) or b''
        self._put('message', ('binary', len(raw), hashlib.sha256(raw).hexdigest(), None))

    def _on_state(self, obj, _pspec):
        self._put('state', _nick(obj.get_property('ready-state')))

    def properties(self):
        out = {}
        for name in CHANNEL_PROPERTIES:
            if self.obj.find_property(name) is not None:
                out[name] = _nick(self.obj.get_property(name))
        return out

    def disconnect(self):
        for h in self.handlers:
            self.obj.disconnect(h)
        self.handlers = []


class GstWebRTCPeer(Peer):
    """A Peer over a webrtc bin made by factory name. The main form is
    secwebrtcbin's API (docs/elements/secwebrtcbin.md): set-*-description (type, sdp, promise),
    create-* replies with 'type' and 'sdp', add-transceiver (direction
    string, caps), property local-addresses. gst-plugins-bad's webrtcbin
    (dev mode only) differs in those and is adapted where each is used,
    found from the signals' parameter types, not from the factory name.

    We send videotestsrc ! vp8enc ! rtpvp8pay and audiotestsrc ! opusenc !
    rtpopuspay into request pads sink_%u; received src_%u pads are decoded
    (VP8, H264, Opus) and the decoder's output buffers counted. The bin's
    bundle-policy is `bundle_policy` (property nick), set before anything
    is negotiated; ice_transports() counts the ICE sources
    (ICE_SOURCE_FACTORIES) inside the bin, at any depth."""

    def __init__(self, factory, media=('audio', 'video'), video_codec='vp8',
                 local_address='127.0.0.1', keyframe_interval=0, timeout=10.0,
                 bundle_policy='max-bundle', data_channels=False, max_message_size=None):
        self.factory = factory
        self.data_channels = data_channels
        self.max_message_size = max_message_size
        self._channels = {}  # label: _OurChannel (under _lock)
        self.bundle_policy = bundle_policy
        self.media = set(media)
        # 'vp8-only' only changes the browser's offer
        self.video_codec = 'h264' if video_codec == 'h264' else 'vp8'
        self.local_address = local_address
        self.keyframe_interval = keyframe_interval
        self.timeout = timeout
        self.events = None
        self.pipe = None
        self.bin = None
        self._lock = threading.Lock()
        self._frames = {'audio': 0, 'video': 0}
        self._received = []
        self._caps_events = []
        self._playing = False
        self._sync_messages = False

    # -- set-up

    def start(self, events):
        Gst, _ = gst_modules()
        self.events = events
        self.pipe = Gst.Pipeline.new('chromium-interop')
        self.bin = Gst.ElementFactory.make(self.factory, 'webrtc')
        if self.bin is None:
            raise HarnessError('element %s not found' % self.factory)
        self.pipe.add(self.bin)
        Gst.util_set_object_arg(self.bin, 'bundle-policy', self.bundle_policy)
        policy = self.bin.get_property('bundle-policy')
        if getattr(policy, 'value_nick', None) != self.bundle_policy:
            raise HarnessError('%s: bundle-policy is %s after setting %s'
                               % (self.factory, getattr(policy, 'value_nick', policy),
                                  self.bundle_policy))
        self._restrict_to_loopback()
        if self.max_message_size is not None:
            # the a=max-message-size we write (webrtcbin has no such property)
            if self.bin.find_property('max-message-size') is None:
                raise HarnessError('%s has no max-message-size property' % self.factory)
            self.bin.set_property('max-message-size', self.max_message_size)
        self.bin.connect('on-ice-candidate', self._on_ice_candidate)
        self.bin.connect('pad-added', self._on_pad_added)
        for prop in ('connection-state', 'ice-connection-state',
                     'ice-gathering-state', 'signaling-state'):
            self.bin.connect('notify::' + prop, self._on_state)
        self.bin.connect('deep-element-removed', self._on_element_removed)
        if self.data_channels:
            self.bin.connect('on-data-channel', self._on_data_channel)
        bus = self.pipe.get_bus()
        bus.enable_sync_message_emission()
        self._sync_messages = True
        bus.connect('sync-message', self._on_bus)

    def _restrict_to_loopback(self):
        if self.bin.find_property('local-addresses') is not None:
            # secwebrtcbin (local-addresses): host candidates on these only
            self.bin.set_property('local-addresses', self.local_address)
            return
        # webrtcbin 1.22 has no such property: add the address to its
        # libnice agent, which then gathers on it alone, and no TCP.
        ice = self.bin.get_property('ice-agent')
        if ice is not None and ice.__grefcount__ == 1:
            # webrtcbin 1.22 never sinks its floating ICE object, so the
            # Python wrapper takes webrtcbin's own reference: give it back.
            import ctypes
            capsule = ctypes.pythonapi.PyCapsule_GetPointer
            capsule.restype = ctypes.c_void_p
            capsule.argtypes = [ctypes.py_object, ctypes.c_char_p]
            gobject = ctypes.CDLL('libgobject-2.0.so.0')
            gobject.g_object_ref.argtypes = [ctypes.c_void_p]
            gobject.g_object_ref.restype = ctypes.c_void_p
            gobject.g_object_ref(capsule(ice.__gpointer__, None))
        if ice is None or ice.find_property('agent') is None:
            raise HarnessError('%s: no way to keep ICE on %s'
                               % (self.factory, self.local_address))
        import gi
        gi.require_version('Nice', '0.1')
        from gi.repository import Nice
        ice.set_property('ice-tcp', False)
        addr = Nice.Address()
        if not addr.set_from_string(self.local_address):
            raise HarnessError('bad address %s' % self.local_address)
        if not ice.get_property('agent').add_local_address(addr):
            raise HarnessError('libnice refused %s' % self.local_address)

    def _sender(self, kind, pt):
        Gst, _ = gst_modules()
        if kind == 'audio':
            desc = ('audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! '
                    'audioresample ! opusenc ! rtpopuspay pt=%d ! capsfilter caps='
                    '"application/x-rtp,media=audio,encoding-name=OPUS,'
                    'clock-rate=48000,encoding-params=(string)2,payload=%d"' % (pt, pt))
        else:
            kmax = self.keyframe_interval or (1 << 30)
            desc = ('videotestsrc is-live=true pattern=ball ! '
                    'video/x-raw,width=320,height=240,framerate=30/1 ! videoconvert ! '
                    'vp8enc deadline=1 keyframe-max-dist=%d ! '
                    'rtpvp8pay pt=%d picture-id-mode=15-bit ! capsfilter caps='
                    '"application/x-rtp,media=video,encoding-name=VP8,'
                    'clock-rate=90000,payload=%d"' % (kmax, pt, pt))
        branch = Gst.parse_bin_from_description(desc, True)
        branch.set_name('send-' + kind)
        self.pipe.add(branch)
        # The bin makes its offer or answer from the caps on its sink pads:
        # _set_up_media waits for them.
        have_caps = threading.Event()
        self._caps_events.append((kind, have_caps))

        def on_event(_pad, info):
            if info.get_event().type == Gst.EventType.CAPS:
                have_caps.set()
            return Gst.PadProbeReturn.OK
        branch.get_static_pad('src').add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)
        sink = self.bin.request_pad_simple('sink_%u')
        if sink is None:
            raise HarnessError('%s gave no sink_%%u pad' % self.factory)
        if branch.get_static_pad('src').link(sink) != Gst.PadLinkReturn.OK:
            raise HarnessError('could not link the %s sender to %s'
                               % (kind, sink.get_name()))

    def _add_recvonly(self, caps_str):
        Gst, GObject = gst_modules()
        caps = Gst.Caps.from_string(caps_str)
        query = GObject.signal_query('add-transceiver', type(self.bin))
        ptype = query.param_types[0].name
        if ptype == 'gchararray':
            direction = 'recvonly'
        elif ptype == 'GstWebRTCRTPTransceiverDirection':
            import gi
            gi.require_version('GstWebRTC', '1.0')
            from gi.repository import GstWebRTC
            direction = GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY
        else:
            raise HarnessError('add-transceiver takes %s' % ptype)
        self.bin.emit('add-transceiver', direction, caps)

    def _h264_caps(self, pt, fmtp):
        fields = ''.join(',%s=(string)%s' % (k, v) for k, v in sorted(fmtp.items()))
        return ('application/x-rtp,media=video,encoding-name=H264,'
                'clock-rate=90000,payload=%d%s' % (pt, fields))

    def _set_up_media(self, plan):
        """plan: [(kind, pt, fmtp)] in m-line order."""
        for kind, pt, fmtp in plan:
            if kind == 'video' and self.video_codec == 'h264':
                self._add_recvonly(self._h264_caps(pt, fmtp))
            else:
                self._sender(kind, pt)
        self._play()
        deadline = time.monotonic() + self.timeout
        for kind, have_caps in self._caps_events:
            if not have_caps.wait(max(0, deadline - time.monotonic())):
                raise HarnessError('no caps from our %s sender within %g s'
                                   % (kind, self.timeout))

    def _play(self):
        Gst, _ = gst_modules()
        if self.pipe.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            raise HarnessError('pipeline with %s does not start' % self.factory)
        self._playing = True

    # -- signaling

    def _call(self, signal_name, *args):
        """Emit an action signal with a promise and wait for its reply,
        bounded; an 'error' in the reply raises."""
        Gst, _ = gst_modules()
        done = threading.Event()
        promise = Gst.Promise.new_with_change_func(lambda p: done.set())
        self.bin.emit(signal_name, *args, promise)
        if not done.wait(self.timeout):
            promise.interrupt()
            raise HarnessError('%s: no reply within %g s' % (signal_name, self.timeout))
        if promise.wait() != Gst.PromiseResult.REPLIED:
            raise HarnessError('%s: promise %s' % (signal_name, promise.wait().value_nick))
        reply = promise.get_reply()
        if reply is not None and reply.has_field('error'):
            err = reply.get_value('error')
            raise HarnessError('%s: %s' % (signal_name, getattr(err, 'message', err)))
        return reply

    def _create(self, kind):
        reply = self._call('create-' + kind, None)
        if reply is None:
            raise HarnessError('create-%s: empty reply' % kind)
        if reply.has_field('sdp'):      # secwebrtcbin: type and sdp as text
            return reply.get_value('sdp')
        import gi                       # webrtcbin: a GstWebRTCSessionDescription
        gi.require_version('GstWebRTC', '1.0')
        from gi.repository import GstWebRTC  # noqa: F401 (gives the boxed type its class)
        desc = reply.get_value(kind)
        if desc is None:
            raise HarnessError('create-%s: reply without sdp: %s' % (kind, reply.to_string()))
        return desc.sdp.as_text()

    def _set_description(self, which, sdp_type, sdp):
        _, GObject = gst_modules()
        name = 'set-%s-description' % which
        query = GObject.signal_query(name, type(self.bin))
        if query.param_types[0].name == 'gchararray':
            self._call(name, sdp_type, sdp)  # secwebrtcbin's form
            return
        import gi
        gi.require_version('GstSdp', '1.0')
        gi.require_version('GstWebRTC', '1.0')
        from gi.repository import GstSdp, GstWebRTC
        ret, msg = GstSdp.SDPMessage.new_from_text(sdp)
        if ret != GstSdp.SDPResult.OK:
            raise HarnessError('%s: SDP does not parse' % name)
        desc = GstWebRTC.WebRTCSessionDescription.new(
            GstWebRTC.WebRTCSDPType.OFFER if sdp_type == 'offer'
            else GstWebRTC.WebRTCSDPType.ANSWER, msg)
        self._call(name, desc)

    def make_offer(self, prepare=None):
        plan = []
        for kind in ('audio', 'video'):
            if kind not in self.media:
                continue
            if kind == 'audio':
                plan.append(('audio', OPUS_PT, {}))
            elif self.video_codec == 'h264':
                plan.append(('video', H264_PT, dict(H264_FMTP)))
            else:
                plan.append(('video', VP8_PT, {}))
        self._set_up_media(plan)
        if prepare is not None:
            prepare()
        offer = self._create('offer')
        self._set_description('local', 'offer', offer)
        return offer

    def _plan_from_offer(self, sdp):
        plan = []
        for kind, section in _sdp_sections(sdp):
            codecs = _codecs(section)
            if kind == 'audio':
                pick = [c for c in codecs if c[1] == 'OPUS']
            elif kind == 'video' and self.video_codec == 'h264':
                # one our decoders take: packetization-mode 1, constrained
                # baseline first (openh264dec decodes no more)
                h264 = [c for c in codecs if c[1] == 'H264'
                        and c[3].get('packetization-mode') == '1']
                pick = sorted(h264, key=lambda c: not c[3].get(
                    'profile-level-id', '').lower().startswith('42e0'))
            elif kind == 'video':
                pick = [c for c in codecs if c[1] == 'VP8']
            elif kind == 'application' and self.data_channels:
                continue  # data channels: the bin answers it on its own
            else:
                raise HarnessError('offer has an m=%s line; this harness '
                                   'handles audio and video' % kind)
            if kind not in self.media:
                raise HarnessError('offer has %s, the call was set up without' % kind)
            if not pick:
                raise HarnessError('offer has no codec we take for %s: %s'
                                   % (kind, [c[1] for c in codecs]))
            pt, _name, _clock, fmtp = pick[0]
            plan.append((kind, pt, fmtp))
        return plan

    def take_offer(self, sdp):
        self._set_up_media(self._plan_from_offer(sdp))
        self._set_description('remote', 'offer', sdp)
        answer = self._create('answer')
        self._set_description('local', 'answer', answer)
        return answer

    def take_answer(self, sdp):
        self._set_description('remote', 'answer', sdp)

    def add_candidate(self, mline, candidate):
        self.bin.emit('add-ice-candidate', mline, candidate)

    # -- data channels

    def create_data_channel(self, label, protocol):
        Gst, _ = gst_modules()
        options = Gst.Structure.new_empty('options')
        options.set_value('ordered', True)
        options.set_value('protocol', protocol)
        obj = self.bin.emit('create-data-channel', label, options)
        if obj is None:
            raise HarnessError('create-data-channel %r gave no channel' % label)
        self._watch_channel(obj, label)
        # it may have opened before its handlers were connected
        state = _nick(obj.get_property('ready-state'))
        self.events.put(('peer', 'dc', label, 'created', state))

    def _watch_channel(self, obj, label):
        with self._lock:
            if label in self._channels:
                self.events.put(('peer', 'error', 'a second data channel labelled %r'
                                 % label))
                return
            self._channels[label] = _OurChannel(obj, label, self.events)

    def _on_data_channel(self, _bin, obj):
        # the SCTP thread: connect before returning, so that no message
        # that follows is missed
        label = obj.get_property('label')
        self._watch_channel(obj, label)
        self.events.put(('peer', 'dc', label, 'announced',
                         _nick(obj.get_property('ready-state'))))

    def _channel(self, label):
        with self._lock:
            ch = self._channels.get(label)
        if ch is None:
            raise HarnessError('no data channel %r on our side' % label)
        return ch

    def send_text(self, label, text):
        self._channel(label).obj.emit('send-string', text)

    def send_binary(self, label, data):
        from gi.repository import GLib
        self._channel(label).obj.emit('send-data', GLib.Bytes.new(data))

    def close_data_channel(self, label):
        self._channel(label).obj.emit('close')

    def data_channel_properties(self, label):
        with self._lock:
            ch = self._channels.get(label)
        return ch.properties() if ch is not None else None

    # -- what we observe

    def _on_ice_candidate(self, _bin, mline, candidate):
        self.events.put(('peer', 'candidate', mline, candidate or ''))

    def _on_state(self, obj, pspec):
        value = obj.get_property(pspec.name)
        self.events.put(('peer', 'state', pspec.name,
                         getattr(value, 'value_nick', str(value))))

    def _on_element_removed(self, _bin, _sub_bin, element):
        self.events.put(('peer', 'element-removed', element.get_name()))

    def _on_bus(self, _bus, message):
        Gst, _ = gst_modules()
        if message.type == Gst.MessageType.ERROR:
            err, dbg = message.parse_error()
            self.events.put(('peer', 'error', '%s: %s' % (message.src.get_name(), err.message)))
        elif message.type == Gst.MessageType.WARNING:
            err, dbg = message.parse_warning()
            self.events.put(('peer', 'warning', '%s: %s' % (message.src.get_name(), err.message)))

    def _decoder_for(self, caps):
        Gst, _ = gst_modules()
        s = caps.get_structure(0)
        name = (s.get_string('encoding-name') or '').upper()
        if name == 'VP8':
            return 'video', 'rtpvp8depay ! vp8dec name=dec', name
        if name == 'OPUS':
            return 'audio', 'rtpopusdepay ! opusdec name=dec', name
        if name == 'H264':
            for dec in ('avdec_h264', 'openh264dec'):
                if Gst.ElementFactory.find(dec) is not None:
                    return ('video', 'rtph264depay ! h264parse ! %s name=dec' % dec,
                            'H264 (%s)' % dec)
            raise HarnessError('no H264 decoder (gstreamer1.0-libav or '
                               "gst-plugins-bad's openh264)")
        return None, None, name

    def _on_pad_added(self, _bin, pad):
        Gst, _ = gst_modules()
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        try:
            kind, desc, what = self._decoder_for(caps)
        except HarnessError as e:
            self.events.put(('peer', 'error', str(e)))
            kind, desc, what = None, None, 'H264'
        with self._lock:
            self._received.append((pad.get_name(), what))
        if desc is None:
            desc = 'fakesink sync=false async=false'
        else:
            desc += ' ! fakesink sync=false async=false'
        branch = Gst.parse_bin_from_description(desc, True)
        self.pipe.add(branch)
        if kind is not None:
            branch.get_by_name('dec').get_static_pad('src').add_probe(
                Gst.PadProbeType.BUFFER, self._count, kind)
        branch.sync_state_with_parent()
        if pad.link(branch.get_static_pad('sink')) != Gst.PadLinkReturn.OK:
            self.events.put(('peer', 'error', 'could not link %s (%s)'
                             % (pad.get_name(), caps.to_string())))

    def _count(self, _pad, _info, kind):
        Gst, _ = gst_modules()
        with self._lock:
            self._frames[kind] += 1
            n = self._frames[kind]
        if n & (n - 1) == 0:  # 1, 2, 4, 8, ...: wake the waiting thread
            self.events.put(('peer', 'frame', kind, n))
        return Gst.PadProbeReturn.OK

    def frames(self):
        with self._lock:
            return dict(self._frames)

    def received(self):
        with self._lock:
            return list(self._received)

    def connection_state(self):
        value = self.bin.get_property('connection-state')
        return getattr(value, 'value_nick', str(value))

    def ice_transports(self):
        Gst, _ = gst_modules()
        for _attempt in range(100):  # a resync restarts the count (bounded)
            it = self.bin.iterate_recurse()
            count = 0
            while True:
                res, element = it.next()
                if res == Gst.IteratorResult.OK:
                    factory = element.get_factory()
                    if factory is not None and factory.get_name() in ICE_SOURCE_FACTORIES:
                        count += 1
                elif res == Gst.IteratorResult.RESYNC:
                    break
                elif res == Gst.IteratorResult.DONE:
                    return count
                else:
                    raise HarnessError('iterating %s failed' % self.factory)
        raise HarnessError('%s kept changing while its elements were counted'
                           % self.factory)

    def describe(self):
        return '%s (%s)' % (self.factory, factory_plugin_file(self.factory))

    def stop(self):
        Gst, _ = gst_modules()
        if self.pipe is not None:
            self.pipe.set_state(Gst.State.NULL)
            with self._lock:
                channels, self._channels = list(self._channels.values()), {}
            for ch in channels:
                ch.disconnect()
            if self._sync_messages:  # start() may have failed before
                self.pipe.get_bus().disable_sync_message_emission()
                self._sync_messages = False
            self.pipe = None
            self.bin = None


# --------------------------------------------------------------------------
# One call

class CallFailed(HarnessError):
    pass


class CallResult:
    def __init__(self):
        self.ok = False
        self.problems = []
        self.notes = []
        self.our_frames = {}
        self.our_states = {}
        self.our_candidates = []          # sent to the browser
        self.our_dropped = []             # not sent: not UDP on 127.0.0.1
        self.browser_candidates = []
        self.browser_dropped = []         # (protocol, address)
        self.browser_stats = None
        self.browser_log = []
        self.our_errors = []
        self.our_warnings = []
        self.received = []
        self.offer = None
        self.answer = None
        self.ice_transports = []          # [(when, our ICE transports then)]
        self.data_channels = []           # summary lines (datachannels.py)
        self.seconds = 0.0


def _stat(stats, *path, default=0):
    for p in path:
        if not isinstance(stats, dict) or stats.get(p) is None:
            return default
        stats = stats[p]
    return stats


class Call:
    """One call between Chromium and a Peer. role is the browser's:
    'offerer' or 'answerer'. tamper: None, 'to-us' (the browser's
    fingerprint altered on its way to our peer: the reverse MITM) or
    'to-browser' (ours altered on its way to the browser).

    browser_bundle: the page's RTCConfiguration bundlePolicy ('max-bundle',
    'balanced', 'max-compat'). our_bundle: the bundle-policy the Peer was
    made with (GstWebRTCPeer's bundle_policy); with 'balanced' our offer
    must give its audio and video m-line ICE credentials of their own, in
    one BUNDLE group of every m-line (docs/design/webrtc.md, "Transports
    and the bundle policy"). With a policy other than max-bundle on either
    side the exchange is checked to end bundled: the answer's BUNDLE group
    holds every m-line, one ICE ufrag for all, Chromium sees the
    fingerprint of m-line 0. ice_transports: how many ICE transports our
    side must hold once media flows (None: not checked); an unused one
    leaves asynchronously, so this waits for it, bounded by
    TRANSPORT_SECONDS."""

    TRANSPORT_SECONDS = 5.0

    def __init__(self, peer, role='offerer', media=('audio', 'video'),
                 video_codec='vp8', tamper=None, timeout=30.0, min_frames=10,
                 browser_loopback=True, verbose=False, browser_bundle='max-bundle',
                 our_bundle='max-bundle', ice_transports=None, data=False,
                 browser_max_message_size=None, our_max_message_size=None):
        self.peer = peer
        # data: one channel opened by each side, messages both ways, closed
        # by each side (datachannels.py); media may then be empty.
        # browser_max_message_size: the browser's a=max-message-size is
        # changed to this on its way to us (what we may send it).
        # our_max_message_size: the a=max-message-size our descriptions must
        # carry (the Peer was made with it); None: our bin's default
        self.browser_max_message_size = browser_max_message_size
        self.our_max_message_size = our_max_message_size
        self.dc = None
        if data:
            self.dc = datachannels.DataChannelExchange(self)
        self.role = role
        self.browser_bundle = browser_bundle
        self.our_bundle = our_bundle
        self.expected_ice_transports = ice_transports
        self.media = tuple(m for m in ('audio', 'video') if m in media)
        self.video_codec = video_codec
        self.tamper = tamper
        self.timeout = timeout
        self.min_frames = min_frames
        self.verbose = verbose
        # The browser's side of the selected pair must be 127.0.0.1 (in a
        # private network namespace); False: any of this host's addresses
        # (traffic between local addresses never leaves the host).
        self.browser_loopback = browser_loopback
        self.events = queue.Queue()
        self.result = CallResult()
        self._remote_set = False
        self._pending = []
        self._page_closed = False
        self._our_state = 'new'
        self._nstats = 0
        self._page_sdp = None
        self._browser_ports = {}  # m-line: ports of the browser's candidates

    def _log(self, text):
        if self.verbose:
            sys.stderr.write('[%7.3f] %s\n' % (time.monotonic() - self._t0, text))

    # -- events

    def _dispatch(self, ev):
        r = self.result
        if ev[0] == 'page':
            msg = ev[1]
            t = msg.get('type')
            if t == 'stats':
                r.browser_stats = msg
                self._nstats += 1
            elif t == 'candidate':
                cand = msg.get('candidate') or ''
                if cand:
                    r.browser_candidates.append(cand)
                    fields = cand.split()
                    self._browser_ports.setdefault(int(msg.get('mline') or 0), []).append(
                        fields[5] if len(fields) > 5 else '?')
                self._log('browser candidate %d %r' % (msg.get('mline') or 0, cand))
                if self._remote_set:
                    self.peer.add_candidate(int(msg.get('mline') or 0), cand)
                else:
                    self._pending.append((int(msg.get('mline') or 0), cand))
            elif t == 'candidate-dropped':
                r.browser_dropped.append((msg.get('protocol'), msg.get('address')))
                self._log('browser candidate not sent: %s %s'
                          % (msg.get('protocol'), msg.get('address')))
            elif t in ('log', 'error'):
                r.browser_log.append('%s: %s' % (t, msg.get('text')))
                self._log('page %s: %s' % (t, msg.get('text')))
                if t == 'error':
                    raise CallFailed('page error: %s' % msg.get('text'))
            elif t == 'closed':
                self._page_closed = True
            elif t in ('offer', 'answer'):
                self._page_sdp = msg
            elif t.startswith('dc-') and self.dc is not None:
                self._log('page %s' % _brief(msg))
                self.dc.dispatch_page(msg)
            else:
                self._log('page message %r' % msg)
        elif ev[0] == 'peer':
            kind = ev[1]
            if kind == 'candidate':
                _, _, mline, cand = ev
                if cand and not is_loopback_udp(cand):
                    r.our_dropped.append(cand)
                    self._log('our candidate not sent: %s' % cand)
                    return
                if cand:
                    r.our_candidates.append(cand)
                self._log('our candidate %d %r' % (mline, cand))
                self.server.send({'type': 'candidate', 'mline': mline, 'candidate': cand})
            elif kind == 'state':
                r.our_states.setdefault(ev[2], []).append(ev[3])
                if ev[2] == 'connection-state':
                    self._our_state = ev[3]
                self._log('our %s: %s' % (ev[2], ev[3]))
            elif kind == 'error':
                r.our_errors.append(ev[2])
                self._log('our bus error: %s' % ev[2])
            elif kind == 'warning':
                r.our_warnings.append(ev[2])
                self._log('our bus warning: %s' % ev[2])
            elif kind == 'element-removed':
                self._log('left our bin: %s' % ev[2])
            elif kind == 'dc' and self.dc is not None:
                self._log('our channel %s: %s %s' % (ev[2], ev[3], _brief(ev[4])))
                self.dc.dispatch_peer(ev[2], ev[3], ev[4])

    def _wait(self, predicate, timeout, what, pending=None):
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise CallFailed('timed out after %g s waiting for %s%s' % (
                    timeout, what, ': ' + '; '.join(pending()) if pending else ''))
            try:
                ev = self.events.get(timeout=left)
            except queue.Empty:
                continue
            self._dispatch(ev)
            if not self.chromium.running():
                raise CallFailed('Chromium exited (%s) while waiting for %s'
                                 % (self.chromium.proc.returncode, what))

    def _wait_page_sdp(self, sdp_type):
        self._page_sdp = None
        self._wait(lambda: self._page_sdp is not None, self.timeout,
                   'the browser\'s %s' % sdp_type)
        msg = self._page_sdp
        if msg['type'] != sdp_type:
            raise CallFailed('browser sent %s, expected %s' % (msg['type'], sdp_type))
        return msg['sdp']

    def _remote_applied(self):
        self._remote_set = True
        for mline, cand in self._pending:
            self.peer.add_candidate(mline, cand)
        self._pending = []

    # -- the bundle policy

    def _bundle_checks(self):
        return (self.browser_bundle, self.our_bundle) != ('max-bundle', 'max-bundle')

    def _note_transports(self, when):
        n = self.peer.ice_transports()
        self.result.ice_transports.append((when, n))
        self._log('our ICE transports %s: %d' % (when, n))
        return n

    def _note_browser_offer(self, sdp):
        """Whether Chromium's offer under browser_bundle gives each m-line
        ICE credentials of its own: noted, not judged (the call runs
        whatever it is)."""
        ufrags = sdp_media_ice_ufrags(sdp)
        groups = sdp_bundle_groups(sdp)
        distinct = len(set(u for u in ufrags if u))
        self.result.notes.append(
            'Chromium\'s %s offer: %d m-lines, %d distinct ice-ufrag(s) %s, BUNDLE groups %s'
            % (self.browser_bundle, len(ufrags), distinct, ufrags, groups))
        if len(ufrags) > 1 and distinct < len(ufrags):
            self.result.notes.append(
                'Chromium\'s %s offer does not give each m-line ICE credentials '
                'of its own' % self.browser_bundle)

    def _check_our_balanced_offer(self, sdp):
        """RFC 8829 §4.1.1 balanced, first offer: the first audio and the
        first video m-line each get ICE credentials (and a transport) of
        their own, and every m-line is in one BUNDLE group."""
        r = self.result
        ufrags = sdp_media_ice_ufrags(sdp)
        mids = sdp_mids(sdp)
        if len(ufrags) >= 2 and (None in ufrags or len(set(ufrags)) != len(ufrags)):
            r.problems.append('our balanced offer does not give each m-line an '
                              'a=ice-ufrag of its own: %s' % ufrags)
        groups = sdp_bundle_groups(sdp)
        if groups != [mids]:
            r.problems.append('our balanced offer has BUNDLE groups %s, expected '
                              'one group %s' % (groups, mids))
        fingerprints = [sdp_media_fingerprint(sdp, i) for i in range(len(mids))]
        r.notes.append('our balanced offer: ice-ufrag %s, BUNDLE %s, %d distinct '
                       'fingerprint(s)' % (ufrags, groups, len(set(fingerprints))))

    def _check_bundled_answer(self, sdp, whose):
        """An answer that bundles every m-line: one BUNDLE group of all the
        mids, and one ICE ufrag for every m-line that carries one."""
        r = self.result
        mids = sdp_mids(sdp)
        groups = sdp_bundle_groups(sdp)
        ufrags = set(u for u in sdp_media_ice_ufrags(sdp) if u)
        if groups != [mids]:
            r.problems.append('%s answer has BUNDLE groups %s, expected one group %s'
                              % (whose, groups, mids))
        if len(ufrags) != 1:
            r.problems.append('%s answer has %d ICE ufrags %s, expected one (bundled)'
                              % (whose, len(ufrags), sorted(ufrags)))

    def _check_ice_transports(self):
        """Our side ends with expected_ice_transports ICE transports; an
        unused one leaves the bin asynchronously, so wait for it (every
        element that leaves, and the page's stats every 250 ms, wake this
        up), bounded."""
        expected = self.expected_ice_transports
        t0 = time.monotonic()
        try:
            self._wait(lambda: self.peer.ice_transports() == expected,
                       self.TRANSPORT_SECONDS, '%d ICE transport(s) in our bin' % expected,
                       pending=lambda: ['it holds %d' % self.peer.ice_transports()])
        except CallFailed as e:
            self._note_transports('at the end')
            self.result.problems.append(str(e))
            return
        self._note_transports('%.1f s after media flowed' % (time.monotonic() - t0))

    # -- outcomes

    def _browser_in(self, kind):
        return _stat(self.result.browser_stats, 'inbound', kind, default={}) or {}

    def _we_send(self, kind):
        return kind in self.media and not (kind == 'video' and self.video_codec == 'h264')

    def _media_pending(self):
        """What the media cases still wait for (empty: done)."""
        pending = []
        ours = self.peer.frames()
        for kind in self.media:
            if ours[kind] < self.min_frames:
                pending.append('we decoded %d %s frames' % (ours[kind], kind))
            b = self._browser_in(kind)
            if self._we_send(kind):
                if kind == 'video' and b.get('framesDecoded', 0) < self.min_frames:
                    pending.append('Chromium decoded %d video frames'
                                   % b.get('framesDecoded', 0))
                if kind == 'audio' and (b.get('packetsReceived', 0) < self.min_frames
                                        or b.get('totalSamplesReceived', 0)
                                        - b.get('concealedSamples', 0) <= 0):
                    pending.append('Chromium received %d audio packets, %d samples '
                                   '(%d concealed)' % (
                                       b.get('packetsReceived', 0),
                                       b.get('totalSamplesReceived', 0),
                                       b.get('concealedSamples', 0)))
        stats = self.result.browser_stats
        if self._our_state != 'connected':
            pending.append('our connection-state is %s' % self._our_state)
        if _stat(stats, 'connectionState', default='') != 'connected':
            pending.append('Chromium is %s' % _stat(stats, 'connectionState', default=None))
        # Chromium leaves out the address of a peer-reflexive remote
        # candidate (our check came before our candidate): wait until the
        # selected pair names both addresses.
        pair = _stat(stats, 'transport', 'selectedPair', default={}) or {}
        for side in ('local', 'remote'):
            if not _stat(pair, side, 'address', default=''):
                pending.append('Chromium\'s selected pair has no %s address yet' % side)
        return pending

    def _check_media(self):
        r = self.result
        stats = r.browser_stats or {}
        transport = stats.get('transport') or {}
        pair = transport.get('selectedPair') or {}
        for side in ('local', 'remote'):
            addr = _stat(pair, side, 'address', default=None)
            if addr != '127.0.0.1' and (side == 'remote' or self.browser_loopback):
                r.problems.append('browser selected pair %s address %s, not 127.0.0.1'
                                  % (side, addr))
        our_sdp = r.offer if self.role == 'answerer' else r.answer
        ours = sdp_fingerprints(our_sdp)
        if len(ours) > 1:
            # our balanced offer: a certificate per transport; the bundled
            # call runs on m-line 0's (the BUNDLE tag's)
            ours = {sdp_media_fingerprint(our_sdp, 0)}
        if transport.get('remoteFingerprint') is None:
            # Chromium 156 leaves remoteCertificateId out of some calls'
            # transport stats (either DTLS role), for the whole call.
            r.notes.append('Chromium reported no remote certificate')
        elif (transport.get('remoteFingerprint') or '').lower() not in {f.lower() for f in ours}:
            r.problems.append('browser saw fingerprint %s, our SDP has %s'
                              % (transport.get('remoteFingerprint'), sorted(ours)))
        if r.our_dropped:
            r.problems.append('our peer gathered non-loopback candidates: %s' % r.our_dropped)
        if self.browser_bundle != 'max-bundle':
            r.notes.append('Chromium\'s candidates (ports) by m-line: %s'
                           % dict(sorted(self._browser_ports.items())))
        if self._bundle_checks() and stats.get('transports') != 1:
            # Chromium drops the transports a bundled answer leaves unused
            r.problems.append('Chromium holds %s transports, expected 1 (bundled)'
                              % stats.get('transports'))
        for kind in self.media:
            if self.video_codec == 'h264' and kind == 'video':
                codec = _stat(self._browser_out(kind), 'codec', default='')
                if codec.lower() != 'video/h264':
                    r.problems.append('browser sent %s video, expected H264' % codec)

    def _browser_out(self, kind):
        return _stat(self.result.browser_stats, 'outbound', kind, default={}) or {}

    # -- the call

    def run(self):
        self._t0 = time.monotonic()
        r = self.result
        self.server = SignalingServer(self.events)
        query = dict(role=self.role,
                     media=('both' if len(self.media) == 2 else
                            self.media[0] if self.media else 'none'),
                     video=self.video_codec, bundle=self.browser_bundle)
        if self.dc is not None:
            query.update(data='1', dcLabel=datachannels.BROWSER_LABEL,
                         dcProtocol=datachannels.BROWSER_PROTOCOL)
        self.chromium = Chromium(self.server.url(**query), events=self.events)
        # every case bundles: with another policy on either side, check
        # that the exchange does
        bundle_checks = self._bundle_checks()
        try:
            self.peer.start(self.events)
            self.chromium.start()
            self._log('chromium pid %d: %s' % (self.chromium.proc.pid, self.chromium.url))
            if self.role == 'offerer':
                r.offer = self._wait_page_sdp('offer')
                if self.browser_bundle != 'max-bundle':
                    self._note_browser_offer(r.offer)
                to_us = tamper_fingerprint(r.offer) if self.tamper == 'to-us' else r.offer
                to_us = self._change_max_message_size(to_us)
                r.answer = self.peer.take_offer(to_us)
                self._remote_applied()
                if self.dc is not None:
                    # before the transport connects: it opens when it does
                    self._open_our_channel()
                if bundle_checks:
                    self._check_bundled_answer(r.answer, 'our')
                if self.expected_ice_transports is not None:
                    self._note_transports('after our answer')
                to_page = (tamper_fingerprint(r.answer) if self.tamper == 'to-browser'
                           else r.answer)
                self.server.send({'type': 'answer', 'sdp': to_page})
            else:
                r.offer = self.peer.make_offer(
                    prepare=self._open_our_channel if self.dc is not None else None)
                if self.our_bundle == 'balanced':
                    self._check_our_balanced_offer(r.offer)
                if self.expected_ice_transports is not None:
                    made = self._note_transports('after our offer')
                    ufrags = set(sdp_media_ice_ufrags(r.offer)) - {None}
                    if self.our_bundle == 'balanced' and made != len(ufrags):
                        r.problems.append('our offer has %d ICE ufrag(s) but our bin holds '
                                          '%d ICE transport(s)' % (len(ufrags), made))
                to_page = (tamper_fingerprint(r.offer) if self.tamper == 'to-browser'
                           else r.offer)
                self.server.send({'type': 'offer', 'sdp': to_page})
                r.answer = self._wait_page_sdp('answer')
                if bundle_checks:
                    self._check_bundled_answer(r.answer, 'Chromium\'s')
                to_us = tamper_fingerprint(r.answer) if self.tamper == 'to-us' else r.answer
                to_us = self._change_max_message_size(to_us)
                self.peer.take_answer(to_us)
                self._remote_applied()
                if self.expected_ice_transports is not None:
                    self._note_transports('after the answer')
            self._log('descriptions exchanged')
            if self.tamper is None:
                self._wait(lambda: not self._media_pending(), self.timeout,
                           '%d frames each way and both sides connected' % self.min_frames,
                           pending=self._media_pending)
                self._check_media()
                if self.expected_ice_transports is not None:
                    self._check_ice_transports()
                if self.dc is not None:
                    our_max, browser_max = self.dc.check_sdp(r.offer, r.answer,
                                                             self.role == 'answerer')
                    if self.our_max_message_size not in (None, our_max):
                        r.problems.append(
                            'our a=max-message-size is %d, our bin\'s max-message-size %d'
                            % (our_max, self.our_max_message_size))
                    if self.browser_max_message_size is not None:
                        browser_max = self.browser_max_message_size
                    self.dc.run(our_max, browser_max)
            else:
                self._run_tampered()
            self._finish_page()
        except CallFailed as e:
            r.problems.append(str(e))
        except HarnessError as e:
            r.problems.append('harness: %s' % e)
        except Exception:  # a bug here: still a failed call, with the trace
            import traceback
            r.problems.append('harness: %s' % traceback.format_exc())
        finally:
            r.our_frames = self.peer.frames()
            r.received = getattr(self.peer, 'received', lambda: [])()
            r.seconds = time.monotonic() - self._t0
            # Chromium first: it is stopped even if our pipeline's shutdown
            # were to hang.
            try:
                self.chromium.stop()
                self.server.close()
            finally:
                self.peer.stop()
        if r.our_errors and self.tamper is None:
            r.problems.append('our bus errors: %s' % r.our_errors)
        r.ok = not r.problems
        if not r.ok:
            r.chromium_log_tail = self.chromium.log_tail
        return r

    def _run_tampered(self):
        r = self.result
        browser_state = lambda: _stat(r.browser_stats, 'connectionState', default='')
        if self.tamper == 'to-us':
            # Reverse MITM: our side must refuse the browser's certificate:
            # connection-state failed, nothing decoded. Stop early when our
            # side connects or decodes anything instead.
            self._wait(lambda: self._our_state in ('failed', 'connected')
                       or any(self.peer.frames().values()),
                       self.timeout, 'our connection-state failed')
        else:
            # Our fingerprint altered on its way to the browser: Chromium
            # refuses our certificate, and our side must end in failed too.
            self._wait(lambda: (browser_state() == 'failed' and self._our_state == 'failed')
                       or browser_state() == 'connected'
                       or self._our_state == 'connected'
                       or any(self.peer.frames().values()),
                       self.timeout, 'both sides failed')
        # Let the page report its stats once more, so that what it decoded
        # after our failure is counted.
        n = self._stats_count()
        self._wait(lambda: self._stats_count() > n + 1, 5, 'two more stats reports')
        if self._our_state != 'failed':
            r.problems.append('our connection-state is %s, expected failed' % self._our_state)
        if self.tamper == 'to-browser' and browser_state() != 'failed':
            r.problems.append('browser connectionState is %s, expected failed'
                              % browser_state())
        if any(self.peer.frames().values()):
            r.problems.append('we decoded %s despite the tampered fingerprint'
                              % self.peer.frames())
        bf = {k: self._browser_in(k).get('framesDecoded', 0)
              + self._browser_in(k).get('packetsReceived', 0) for k in self.media}
        if any(bf.values()):
            r.problems.append('the browser received %s despite the tampered fingerprint' % bf)

    def _stats_count(self):
        return self._nstats

    def _change_max_message_size(self, sdp):
        if self.browser_max_message_size is None:
            return sdp
        self.result.notes.append('Chromium\'s a=max-message-size changed to %d on its '
                                 'way to us' % self.browser_max_message_size)
        return set_max_message_size(sdp, self.browser_max_message_size)

    def _open_our_channel(self):
        self.peer.create_data_channel(datachannels.OUR_LABEL, datachannels.OUR_PROTOCOL)

    def _finish_page(self):
        self.server.send({'type': 'done'})
        try:
            self._wait(lambda: self._page_closed, 5, 'the page to close')
        except CallFailed as e:
            self.result.browser_log.append('not closed: %s' % e)


def _brief(value):
    """A page message or event value for the verbose log, long texts cut."""
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + '...'


def run_call(peer, **kwargs):
    return Call(peer, **kwargs).run()
