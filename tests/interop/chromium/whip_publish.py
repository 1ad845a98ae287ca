#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Headless Chromium publishes to secwhipserversrc with a plain fetch() WHIP
client (RFC 9725; README.md beside this file, "chromium-whip").

The page (written by this script into its temporary folder and served by
harness.SignalingServer on http://127.0.0.1:P, its origin the only one in
the endpoint's allowed-origins) gets Chromium's fake camera and microphone,
makes a sendonly RTCPeerConnection, waits for ICE gathering to complete and
POSTs its offer to the endpoint with the bearer token, which reaches the
page in the URL fragment only. We decode what arrives on the endpoint's
src_%u pads (VP8, Opus), read its security-info, then have the page DELETE
its session. Refusals from the browser: the same offer with a wrong token
(401, readable by the page through CORS) and a page of another origin
(403 to its preflight: fetch() fails).

Exit 0: pass, 1: fail, 77: skip (Chromium missing and CI not set). Run
through meson test (chromium-whip) or meson devenv: both elements must come
from our build tree.
"""

import argparse
import base64
import hashlib
import os
import queue
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PAGE_HTML = '''<!doctype html>
<meta charset="utf-8">
<title>WHIP publish (gst-secwebrtc interop)</title>
<script src="whip.js"></script>
'''

# The WHIP client: nothing but getUserMedia, RTCPeerConnection and fetch().
# Reports go to this page's own server (POST /send, harness.SignalingServer),
# orders come by its long poll (GET /recv).
PAGE_JS = r'''
'use strict';
// Secrets come in the fragment, which no request carries; drop it from the
// address at once.
const hash = new URLSearchParams(location.hash.slice(1));
history.replaceState(null, '', location.pathname);
const sig = hash.get('sig'), token = hash.get('token'),
      whipUrl = hash.get('whip'), mode = hash.get('mode');
const t0 = performance.now();
let step = 'start';  // named in an error report

let chain = Promise.resolve();
function send(type, fields) {
  const body = JSON.stringify(Object.assign(
      {type, mode, t: Math.round(performance.now() - t0)}, fields || {}));
  chain = chain.then(() => fetch('/send?token=' + encodeURIComponent(sig), {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body,
  })).catch(() => {});
  return chain;
}
window.addEventListener('error', e => send('error', {message: String(e.message)}));
window.addEventListener('unhandledrejection',
                        e => send('error', {message: String(e.reason)}));

async function recv() {
  for (;;) {
    let r;
    try {
      r = await fetch('/recv?token=' + encodeURIComponent(sig), {cache: 'no-store'});
    } catch (e) {
      return null;
    }
    if (r.status === 200) return await r.json();
    if (r.status !== 204) return null;
  }
}

function gathered(pc, ms) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve(true);
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), ms);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
}

function randomHex(n) {
  return Array.from(crypto.getRandomValues(new Uint8Array(n)),
                    b => b.toString(16).padStart(2, '0')).join('');
}

function post(sdp, bearer) {
  return fetch(whipUrl, {
    method: 'POST',
    headers: {'Content-Type': 'application/sdp', 'Authorization': 'Bearer ' + bearer},
    body: sdp,
  });
}

async function stats(pc) {
  const report = await pc.getStats();
  const outbound = {};
  let transport = null;
  report.forEach(s => {
    if (s.type === 'outbound-rtp') {
      const codec = s.codecId ? report.get(s.codecId) : null;
      outbound[s.kind] = {packetsSent: s.packetsSent || 0,
                          framesEncoded: s.framesEncoded,
                          codec: codec ? codec.mimeType : null};
    } else if (s.type === 'transport') {
      const cert = s.remoteCertificateId ? report.get(s.remoteCertificateId) : null;
      const pair = s.selectedCandidatePairId ? report.get(s.selectedCandidatePairId) : null;
      const cand = id => {
        const c = id ? report.get(id) : null;
        return c ? {address: c.address, port: c.port, protocol: c.protocol,
                    candidateType: c.candidateType} : null;
      };
      transport = {dtlsState: s.dtlsState, dtlsRole: s.dtlsRole, tlsVersion: s.tlsVersion,
                   srtpCipher: s.srtpCipher,
                   remoteFingerprint: cert ? cert.fingerprintAlgorithm + ' ' + cert.fingerprint
                                           : null,
                   local: pair ? cand(pair.localCandidateId) : null,
                   remote: pair ? cand(pair.remoteCandidateId) : null};
    }
  });
  return send('stats', {outbound, transport, connectionState: pc.connectionState});
}

async function publish() {
  send('loaded', {origin: location.origin});
  step = 'getUserMedia';
  const stream = await navigator.mediaDevices.getUserMedia(
      {audio: true, video: {width: 320, height: 240, frameRate: 30}});
  send('media', {tracks: stream.getTracks().map(t => t.kind)});
  const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
  for (const track of stream.getTracks())
    pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
  pc.addEventListener('connectionstatechange',
                      () => send('state', {state: pc.connectionState}));
  await pc.setLocalDescription(await pc.createOffer());
  const complete = await gathered(pc, 5000);
  const offer = pc.localDescription.sdp;
  send('offer', {sdp: offer, gatheringComplete: complete});

  // A refusal first: the same offer with a wrong token.
  step = 'POST with a wrong token';
  let r = await post(offer, randomHex(32));
  send('wrong-token', {status: r.status, body: await r.text()});

  step = 'POST';
  r = await post(offer, token);
  const answer = await r.text();
  const where = r.headers.get('Location');
  send('posted', {status: r.status, location: where, etag: r.headers.get('ETag'),
                  contentType: r.headers.get('Content-Type'), sdp: answer});
  if (r.status !== 201) return;
  step = 'setRemoteDescription';
  await pc.setRemoteDescription({type: 'answer', sdp: answer});
  step = 'publishing';
  send('answer-set');
  const timer = setInterval(() => stats(pc), 500);

  for (;;) {
    const msg = await recv();
    if (!msg || msg.type === 'done') break;
    if (msg.type === 'delete') {
      clearInterval(timer);
      await stats(pc);
      const url = where === null ? null : new URL(where, whipUrl).href;
      let status = null, error = null;
      try {
        const d = await fetch(url, {method: 'DELETE',
                                    headers: {'Authorization': 'Bearer ' + token}});
        status = d.status;
      } catch (e) {
        error = e.name + ': ' + e.message;
      }
      pc.close();
      stream.getTracks().forEach(t => t.stop());
      send('deleted', {status, error, url});
    } else if (msg.type === 'foreign') {
      // a page of an origin the endpoint does not allow
      const frame = document.createElement('iframe');
      frame.src = msg.url;
      document.body.appendChild(frame);
    }
  }
  send('closing');
}

async function foreign() {
  send('loaded', {origin: location.origin});
  try {
    const r = await post('v=0\r\n', token);
    send('foreign', {status: r.status, origin: location.origin});
  } catch (e) {
    send('foreign', {error: e.name + ': ' + e.message, origin: location.origin});
  }
}

(mode === 'foreign' ? foreign() : publish())
    .catch(e => send('error', {message: step + ': ' + e.name + ': ' + e.message}));
'''


class PageServer(harness.SignalingServer):
    """The harness's signaling server (page files, POST /send, long-poll
    GET /recv, its own random token on both), serving our page instead."""
    FILES = {'/whip.html': 'text/html; charset=utf-8',
             '/whip.js': 'text/javascript; charset=utf-8'}

    def page_url(self, **fragment):
        fragment['sig'] = self.token
        return 'http://127.0.0.1:%d/whip.html#%s' % (self.port,
                                                     urllib.parse.urlencode(fragment))

    @property
    def origin(self):
        return 'http://127.0.0.1:%d' % self.port


def spki_sha256_base64(pem):
    """base64(SHA-256(SubjectPublicKeyInfo)) of a PEM certificate, for
    Chromium's --ignore-certificate-errors-spki-list: the browser then
    trusts exactly the endpoint's self-signed certificate."""
    body = ''.join(line for line in pem.strip().splitlines() if not line.startswith('-----'))
    der = base64.b64decode(body)

    def tlv(pos):
        tag, length = der[pos], der[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7f
            length = int.from_bytes(der[pos:pos + n], 'big')
            pos += n
        return tag, pos, pos + length

    _, cert, _ = tlv(0)         # Certificate SEQUENCE
    _, pos, end = tlv(cert)     # tbsCertificate SEQUENCE
    tag, _, nxt = tlv(pos)
    if tag == 0xa0:             # [0] version
        pos = nxt
    for _ in range(5):          # serial, signature, issuer, validity, subject
        pos = tlv(pos)[2]
    tag, _, nxt = tlv(pos)
    if tag != 0x30 or nxt > end:
        raise harness.HarnessError('no SubjectPublicKeyInfo in the certificate')
    return base64.b64encode(hashlib.sha256(der[pos:nxt]).digest()).decode()


class Failed(Exception):
    pass


class Run:
    """One publish: the endpoint in a pipeline of ours, Chromium's page,
    everything that happens as events in one queue read by this thread."""

    def __init__(self, timeout, min_frames, verbose, in_netns):
        self.in_netns = in_netns
        self.timeout = timeout
        self.min_frames = min_frames
        self.verbose = verbose
        self.events = queue.Queue()
        self.t0 = time.monotonic()
        self.problems = []
        self.notes = []
        self.page = {}          # last page message of each type
        self.page_errors = []
        self.bus_errors = []
        self.bus_warnings = []
        self.streams = []       # encoding-name of each src pad, in order
        self.frames = {'VP8': 0, 'OPUS': 0}
        self.lock = threading.Lock()
        self.chromium_exited = None
        self.chromium = None
        self.pipe = None
        self.src = None
        self.tmp = None
        self.servers = []

    def log(self, text):
        if self.verbose:
            print('  [%6.2f] %s' % (time.monotonic() - self.t0, text))
            sys.stdout.flush()

    # -- our side

    def _on_pad_added(self, _src, pad):
        Gst, _ = harness.gst_modules()
        caps = pad.get_current_caps() or pad.query_caps(None)
        name = (caps.get_structure(0).get_string('encoding-name') or '?').upper()
        with self.lock:
            self.streams.append(name)
        if name == 'VP8':
            desc = 'queue ! rtpvp8depay ! vp8dec ! fakesink name=frames sync=false ' \
                   'signal-handoffs=true'
        elif name == 'OPUS':
            desc = 'queue ! rtpopusdepay ! opusdec ! fakesink name=frames sync=false ' \
                   'signal-handoffs=true'
        else:
            desc = 'fakesink name=frames sync=false async=false'
        branch = Gst.parse_bin_from_description(desc, True)
        sink = branch.get_by_name('frames')
        if name in self.frames:
            sink.connect('handoff', self._on_frame, name)
        self.pipe.add(branch)
        branch.sync_state_with_parent()
        ret = pad.link(branch.get_static_pad('sink'))
        self.events.put(('pad', pad.get_name(), name, caps.to_string(), ret.value_nick))

    def _on_frame(self, _sink, _buffer, _pad, name):
        with self.lock:
            self.frames[name] += 1
            n = self.frames[name]
        if n <= self.min_frames or n & (n - 1) == 0:
            self.events.put(('frame', name, n))

    def _on_notify(self, src, pspec):
        self.events.put(('notify', pspec.name))

    def _on_bus(self, _bus, message):
        Gst, _ = harness.gst_modules()
        if message.type == Gst.MessageType.ERROR:
            err, dbg = message.parse_error()
            self.events.put(('bus', 'error', '%s: %s (%s)' % (message.src.get_name(),
                                                              err.message, dbg)))
        elif message.type == Gst.MessageType.WARNING:
            err, dbg = message.parse_warning()
            self.events.put(('bus', 'warning', '%s: %s' % (message.src.get_name(), err.message)))

    def n_sessions(self):
        return self.src.get_property('n-sessions')

    def security_info(self):
        s = self.src.get_property('security-info')
        if s is None:
            return None
        out = {}
        for i in range(s.n_fields()):
            key = s.nth_field_name(i)
            out[key] = s.get_value(key)
        return out

    def start_endpoint(self, token_file, origin):
        Gst, _ = harness.gst_modules()
        self.pipe = Gst.Pipeline.new('chromium-whip')
        self.src = Gst.ElementFactory.make('secwhipserversrc', 'whip')
        if self.src is None:
            raise harness.HarnessError('element secwhipserversrc not found')
        self.src.set_property('port', 0)
        self.src.set_property('local-addresses', '127.0.0.1')
        self.src.set_property('auth-token-file', token_file)
        self.src.set_property('allowed-origins', origin)
        self.pipe.add(self.src)
        self.src.connect('pad-added', self._on_pad_added)
        self.src.connect('notify::n-sessions', self._on_notify)
        self.src.connect('notify::security-info', self._on_notify)
        bus = self.pipe.get_bus()
        bus.enable_sync_message_emission()
        bus.connect('sync-message', self._on_bus)
        if self.pipe.set_state(Gst.State.READY) != Gst.StateChangeReturn.SUCCESS:
            raise harness.HarnessError('secwhipserversrc does not reach READY: %s'
                                       % self._drain_bus_errors())
        port = self.src.get_property('bound-port')
        cert = self.src.get_property('tls-certificate')
        if not port or not cert or 'PRIVATE KEY' in cert:
            raise harness.HarnessError('READY endpoint: bound-port %r, tls-certificate %r'
                                       % (port, (cert or '')[:40]))
        if self.pipe.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            raise harness.HarnessError('the pipeline does not start: %s'
                                       % self._drain_bus_errors())
        return port, cert

    def _drain_bus_errors(self):
        out = []
        while True:
            try:
                ev = self.events.get_nowait()
            except queue.Empty:
                return out
            if ev[0] == 'bus':
                out.append(ev[2])

    def stop_endpoint(self, timeout=15.0):
        if self.pipe is None:
            return
        Gst, _ = harness.gst_modules()
        done = threading.Event()

        def to_null():
            self.pipe.set_state(Gst.State.NULL)
            done.set()
        threading.Thread(target=to_null, name='to-null', daemon=True).start()
        if not done.wait(timeout):
            self.problems.append('our pipeline did not reach NULL within %g s' % timeout)

    # -- events

    def _take(self, ev):
        kind = ev[0]
        if kind == 'page':
            msg = ev[1]
            self.page[msg['type']] = msg
            if msg['type'] == 'error':
                self.page_errors.append(msg.get('message'))
            if msg['type'] != 'stats' or self.verbose > 1:
                self.log('page %s' % harness._brief(
                    {k: v for k, v in msg.items() if k != 'sdp'}))
        elif kind == 'chromium':
            self.chromium_exited = ev[2]
            self.log('chromium exited %s' % ev[2])
        elif kind == 'bus':
            (self.bus_errors if ev[1] == 'error' else self.bus_warnings).append(ev[2])
            self.log('bus %s: %s' % (ev[1], ev[2]))
        elif kind == 'pad':
            self.log('pad %s: %s (%s) link %s' % ev[1:])
        elif kind == 'frame':
            if ev[2] in (1, self.min_frames):
                self.log('%s: %d decoded' % (ev[1], ev[2]))
        elif kind == 'notify':
            self.log('notify %s: n-sessions %d' % (ev[1], self.n_sessions()))

    def wait(self, done, seconds, what, pending=None):
        deadline = time.monotonic() + seconds
        while True:
            if done():
                return
            if self.page_errors:
                raise Failed('the page: %s' % self.page_errors[0])
            if self.bus_errors:
                raise Failed('our bus: %s' % self.bus_errors[0])
            if self.chromium_exited is not None:
                raise Failed('chromium exited (%s) while waiting for %s'
                              % (self.chromium_exited, what))
            left = deadline - time.monotonic()
            if left <= 0:
                extra = ('; %s' % '; '.join(pending())) if pending else ''
                raise Failed('no %s within %g s%s' % (what, seconds, extra))
            try:
                self._take(self.events.get(timeout=left))
            except queue.Empty:
                pass

    def page_msg(self, kind):
        return self.page.get(kind)

    # -- the run

    def media_pending(self):
        pending = []
        with self.lock:
            frames = dict(self.frames)
            streams = list(self.streams)
        if frames['VP8'] < self.min_frames:
            pending.append('%d VP8 frames decoded (streams %s)' % (frames['VP8'], streams))
        if self.audio_expected() and frames['OPUS'] < self.min_frames:
            pending.append('%d Opus buffers decoded' % frames['OPUS'])
        info = self.security_info()
        if not info or info.get('fingerprint-verified') is not True:
            pending.append('security-info %s' % info)
        return pending

    def audio_expected(self):
        """Chromium sent audio: an Opus pad of ours, or its stats say so."""
        stats = self.page_msg('stats') or {}
        sent = ((stats.get('outbound') or {}).get('audio') or {}).get('packetsSent', 0)
        with self.lock:
            return 'OPUS' in self.streams or sent > 0

    def run(self):
        Gst, _ = harness.gst_modules()
        self.tmp = tempfile.mkdtemp(prefix='secwhip-chromium-')
        token = secrets.token_urlsafe(32)
        token_file = os.path.join(self.tmp, 'token')
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(token + '\n')
        for name, text in (('whip.html', PAGE_HTML), ('whip.js', PAGE_JS)):
            with open(os.path.join(self.tmp, name), 'w') as f:
                f.write(text)
        page = PageServer(self.events, page_dir=self.tmp)
        self.servers.append(page)
        foreign = PageServer(self.events, page_dir=self.tmp)
        self.servers.append(foreign)

        port, cert = self.start_endpoint(token_file, page.origin)
        whip_url = 'https://127.0.0.1:%d/whip' % port
        spki = spki_sha256_base64(cert)
        self.log('endpoint %s, allowed origin %s, server certificate SPKI %s'
                 % (whip_url, page.origin, spki))
        self.chromium = harness.Chromium(
            page.page_url(token=token, whip=whip_url, mode='publish'),
            extra_flags=['--ignore-certificate-errors-spki-list=' + spki],
            events=self.events)
        self.chromium.start()
        self.log('chromium pid %d' % self.chromium.proc.pid)

        # 1. the wrong token, then the offer
        self.wait(lambda: self.page_msg('posted'), self.timeout, 'POST from the page')
        wrong = self.page_msg('wrong-token')
        if wrong is None or wrong.get('status') != 401:
            self.problems.append('POST with a wrong token: %s, expected 401'
                                 % (wrong and wrong.get('status')))
        posted = self.page_msg('posted')
        self.offer = (self.page_msg('offer') or {}).get('sdp') or ''
        self.answer = posted.get('sdp') or ''
        if not (self.page_msg('offer') or {}).get('gatheringComplete'):
            self.notes.append('Chromium\'s ICE gathering did not complete in 5 s')
        if posted.get('status') != 201:
            raise Failed('POST of the offer: %s %s' % (posted.get('status'),
                                                       self.answer.strip()[:200]))
        location = posted.get('location') or ''
        if not re.fullmatch(r'/whip/[0-9a-f]{32}', location):
            self.problems.append('Location %r is not /whip/<32 hex>' % location)
        if not posted.get('etag'):
            self.problems.append('no ETag readable by the page')
        if not (posted.get('contentType') or '').startswith('application/sdp'):
            self.problems.append('answer Content-Type %r' % posted.get('contentType'))
        if 'a=candidate:' not in self.answer:
            self.problems.append('the answer carries no candidate')
        for line in re.findall(r'a=candidate:\S+ \d+ (\S+) \d+ (\S+)', self.answer):
            if line[1] != '127.0.0.1':
                self.problems.append('answer candidate on %s %s' % line)
        self.wait(lambda: self.page_msg('answer-set'), 10, 'setRemoteDescription(answer)')

        # 2. media decoded on our side, the publisher's certificate verified
        self.wait(lambda: not self.media_pending(), self.timeout,
                  '%d frames decoded and a verified fingerprint' % self.min_frames,
                  pending=self.media_pending)
        self.sessions_while_connected = self.n_sessions()
        if self.sessions_while_connected != 1:
            self.problems.append('n-sessions %d while publishing, expected 1'
                                 % self.sessions_while_connected)
        self.info = self.security_info() or {}
        offered = {f.lower() for f in harness.sdp_fingerprints(self.offer)}
        remote = (self.info.get('remote-fingerprint') or '').lower()
        if remote not in offered:
            self.problems.append('security-info remote-fingerprint %r is not the offer\'s %s'
                                 % (remote, sorted(offered)))
        answered = {f.lower() for f in harness.sdp_fingerprints(self.answer)}
        local = (self.info.get('local-fingerprint') or '').lower()
        if local not in answered:
            self.problems.append('security-info local-fingerprint %r is not the answer\'s %s'
                                 % (local, sorted(answered)))
        # the browser's view: one more stats report, then compare
        self.stats_at_media = None
        before = self.page_msg('stats')
        self.wait(lambda: self.page_msg('stats') is not before, 5, 'a stats report')
        self.stats_at_media = self.page_msg('stats')
        seen = ((self.stats_at_media.get('transport') or {}).get('remoteFingerprint') or '')
        if seen and seen.lower() not in answered:
            self.problems.append('Chromium saw fingerprint %s, the answer has %s'
                                 % (seen, sorted(answered)))
        elif not seen:
            self.notes.append('Chromium reported no remote certificate')
        for side in ('local', 'remote'):
            addr = ((self.stats_at_media.get('transport') or {}).get(side) or {}).get('address')
            if addr != '127.0.0.1' and (side == 'remote' or self.in_netns):
                self.problems.append('Chromium\'s selected pair: %s address %s, not 127.0.0.1'
                                     % (side, addr))
        # 3. the page DELETEs its session
        page.send({'type': 'delete'})
        self.wait(lambda: self.page_msg('deleted'), 10, 'the page\'s DELETE')
        deleted = self.page_msg('deleted')
        if deleted.get('status') != 200:
            self.problems.append('DELETE %s: %s %s' % (deleted.get('url'), deleted.get('status'),
                                                       deleted.get('error') or ''))
        try:
            self.wait(lambda: self.n_sessions() == 0, 10, 'n-sessions 0 after the DELETE',
                      pending=lambda: ['n-sessions %d' % self.n_sessions()])
        except Failed as e:
            self.problems.append(str(e))

        # 4. a page of an origin not in allowed-origins
        requests = self.src.get_property('requests')
        with self.lock:
            pads = len(self.streams)
        page.send({'type': 'foreign',
                   'url': foreign.page_url(token=token, whip=whip_url, mode='foreign')})
        self.wait(lambda: self.page_msg('foreign'), 10, 'the other origin\'s fetch()')
        self.foreign = self.page_msg('foreign')
        self.foreign_requests = self.src.get_property('requests') - requests
        if self.foreign.get('origin') != foreign.origin:
            self.problems.append('the other page ran at %s, not %s'
                                 % (self.foreign.get('origin'), foreign.origin))
        if 'status' in self.foreign:
            self.problems.append('origin %s was not refused: the page read status %s'
                                 % (foreign.origin, self.foreign['status']))
        if self.foreign_requests < 1:
            self.problems.append('the other origin\'s request never reached the endpoint')
        with self.lock:
            if len(self.streams) != pads:
                self.problems.append('a stream appeared after the other origin\'s POST')
        if self.n_sessions() != 0:
            self.problems.append('n-sessions %d after the other origin\'s POST'
                                 % self.n_sessions())

        page.send({'type': 'done'})
        self.wait(lambda: self.page_msg('closing'), 5, 'the page to finish')

    def stop(self):
        try:
            if self.chromium is not None:
                self.chromium.stop()
        finally:
            for server in self.servers:
                server.close()
            self.stop_endpoint()
            if self.tmp:
                shutil.rmtree(self.tmp, ignore_errors=True)

    def report(self, ok, seconds):
        lines = ['%s chromium-whip (%.1f s)' % ('PASS' if ok else 'FAIL', seconds)]
        with self.lock:
            frames, streams = dict(self.frames), list(self.streams)
        lines.append('  endpoint decoded: VP8 %d frames, Opus %d buffers; streams %s'
                     % (frames['VP8'], frames['OPUS'], streams))
        wrong = self.page_msg('wrong-token') or {}
        posted = self.page_msg('posted') or {}
        deleted = self.page_msg('deleted') or {}
        lines.append('  page: wrong token -> %s; POST -> %s, Location %s, ETag %s; '
                     'DELETE -> %s' % (wrong.get('status'), posted.get('status'),
                                       posted.get('location'), posted.get('etag'),
                                       deleted.get('status') or deleted.get('error')))
        info = getattr(self, 'info', None)
        if info:
            lines.append('  security-info: %s' % ', '.join(
                '%s=%s' % (k, info[k]) for k in sorted(info)))
        stats = getattr(self, 'stats_at_media', None) or self.page_msg('stats') or {}
        t = stats.get('transport') or {}
        out = stats.get('outbound') or {}
        lines.append('  Chromium: %s, dtls %s %s %s %s; pair %s <-> %s; sent %s'
                     % (stats.get('connectionState'), t.get('dtlsState'), t.get('dtlsRole'),
                        t.get('tlsVersion'), t.get('srtpCipher'),
                        t.get('local'), t.get('remote'),
                        {k: (v.get('codec'), v.get('packetsSent')) for k, v in out.items()}))
        foreign = getattr(self, 'foreign', None)
        if foreign:
            lines.append('  other origin %s: %s (%d request(s) reached the endpoint)'
                         % (foreign.get('origin'),
                            foreign.get('error') or 'status %s' % foreign.get('status'),
                            self.foreign_requests))
        if self.src is not None:
            lines.append('  endpoint: n-sessions %d, %d requests'
                         % (self.n_sessions(), self.src.get_property('requests')))
        if self.bus_errors or self.bus_warnings:
            lines.append('  our bus: errors %s warnings %s'
                         % (self.bus_errors[:3], self.bus_warnings[:3]))
        for n in self.notes:
            lines.append('  note: %s' % n)
        for p in self.problems:
            lines.append('  problem: %s' % p)
        if not ok and self.chromium is not None:
            for entry in self.chromium.log_tail.strip().splitlines()[-8:]:
                lines.append('  chromium: %s' % entry)
        return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--timeout', type=float, default=25.0,
                    help='seconds for the page\'s POST, and then for the media')
    ap.add_argument('--min-frames', type=int, default=10)
    ap.add_argument('--netns', choices=('auto', 'yes', 'no'), default='auto',
                    help='run in a private network namespace with only loopback '
                    '(as run-chromium-check.py)')
    ap.add_argument('-v', '--verbose', action='count', default=1,
                    help='(default) the steps with their times; -vv: page stats too')
    ap.add_argument('-q', '--quiet', action='store_true', help='the report only')
    args = ap.parse_args()
    if args.quiet:
        args.verbose = 0

    # First, while this is the only thread (harness.enter_private_netns).
    in_netns = False
    if args.netns != 'no':
        why = harness.enter_private_netns()
        in_netns = why is None
        if why is not None:
            if args.netns == 'yes':
                print('FAIL: no private network namespace: %s' % why)
                return 1
            print('note: no private network namespace (%s): Chromium may gather on '
                  'other interfaces too' % why)
    harness.install_signal_handlers()
    if harness.chromium_binary() is None:
        reason = 'chromium not found (install Debian\'s chromium package)'
        if os.environ.get('CI'):
            print('FAIL: ' + reason)
            return 1
        print('SKIP: ' + reason)
        return 77
    try:
        for factory in ('secwhipserversrc', 'secwebrtcbin'):
            harness.check_factory_is_ours(factory)
    except harness.HarnessError as e:
        print('FAIL: %s' % e)
        return 1
    print('endpoint: %s; chromium: %s; interfaces: %s' % (
        harness.factory_plugin_file('secwhipserversrc'), harness.chromium_binary(),
        ' '.join(harness.interfaces())))
    sys.stdout.flush()

    r = Run(args.timeout, args.min_frames, args.verbose, in_netns)
    t0 = time.monotonic()
    try:
        r.run()
    except Failed as e:
        r.problems.append(str(e))
    except harness.HarnessError as e:
        r.problems.append('harness: %s' % e)
    except Exception:
        import traceback
        r.problems.append('harness: %s' % traceback.format_exc())
    finally:
        r.stop()
    if r.bus_errors and not any('our bus' in p for p in r.problems):
        r.problems.append('our bus errors: %s' % r.bus_errors)
    ok = not r.problems
    print(r.report(ok, time.monotonic() - t0))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
