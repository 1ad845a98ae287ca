// The browser side of the Chromium interop call (README.md).
//
// Signaling with harness.py over fetch() to the page's own origin
// (http://127.0.0.1:<port>):
//   GET  /recv?token=T   long poll: the next message from the test as JSON,
//                        or 204 when none came within the server's wait
//   POST /send?token=T   one message from the page as JSON
// Messages from the test: {type: 'offer'|'answer', sdp},
//   {type: 'candidate', mline, candidate} ('' = end of candidates),
//   {type: 'done'} (close the peer connection and stop);
//   data channels (data=1): {type: 'dc-create', label, protocol},
//   {type: 'dc-send', label, messages: [{kind: 'text', text} |
//   {kind: 'text', size} | {kind: 'binary', size}]} (size: bytes, the text
//   random UTF-8 of 1 to 4 bytes a character, the binary random bytes),
//   {type: 'dc-close', label}.
// Query string: role=offerer|answerer, media=audio|video|both|none,
//   video=vp8|vp8-only|h264, bundle=max-bundle|balanced|max-compat (the
//   RTCConfiguration's bundlePolicy; default max-bundle), data=1 (data
//   channels: as offerer the page opens the channel `dcLabel` before its
//   offer, so that the offer carries m=application), dcLabel, dcProtocol,
//   token=T.
// Messages from the page: {type: 'offer'|'answer', sdp},
//   {type: 'candidate', mline, candidate}, {type: 'candidate-dropped', ...}
//   for every local candidate not sent (not UDP on 127.0.0.1),
//   {type: 'stats', ...} (summary of getStats(), every STATS_MS and at
//   each connection state change), {type: 'log'|'error', text},
//   {type: 'closed'} (answer to 'done');
//   data channels, in the order things happened to them: {type: 'dc-open',
//   label, id, protocol, ordered, negotiated, maxRetransmits,
//   maxPacketLifeTime, local (the page opened it)}, {type: 'dc-message',
//   label, kind: 'text'|'binary', size (bytes; UTF-8 for text), sha256
//   (hex; of the UTF-8 for text), text (short texts only)},
//   {type: 'dc-sent', label, kind, size, sha256} or {type:
//   'dc-send-failed', label, kind, size, name, message} (what send()
//   threw) for each message of a dc-send, then {type: 'dc-send-done',
//   label, bufferedAmount}, {type: 'dc-closing'|'dc-close', label},
//   {type: 'dc-error', label, name, message} (the channel's error event).
'use strict';

const STATS_MS = 250;
const params = new URLSearchParams(location.search);
const role = params.get('role') || 'offerer';
const media = params.get('media') || 'both';
const videoCodec = params.get('video') || 'vp8';
const bundlePolicy = params.get('bundle') || 'max-bundle';
const token = params.get('token') || '';
const wantAudio = media === 'audio' || media === 'both';
const wantVideo = media === 'video' || media === 'both';
const wantData = params.get('data') === '1';
const dcLabel = params.get('dcLabel') || 'browser';
const dcProtocol = params.get('dcProtocol') || '';

let pc = null;
let closed = false;
let statsTimer = null;
const channels = new Map();  // label: RTCDataChannel (ours and the peer's)

// POSTs go out one after the other, in the order they were made, so the
// harness sees the offer before the candidates that follow it.
let sendChain = Promise.resolve();
function send(msg) {
  const body = JSON.stringify(msg);
  sendChain = sendChain.then(() => fetch('/send?token=' + token, {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body,
  })).catch(e => console.error('send failed', e));
  return sendChain;
}

function log(text) {
  document.getElementById('log').textContent += text + '\n';
  send({type: 'log', text});
}

window.addEventListener('error', e => send({type: 'error', text: String(e.message)}));
window.addEventListener('unhandledrejection',
  e => send({type: 'error', text: 'unhandled rejection: ' + String(e.reason)}));

// Only UDP host candidates on 127.0.0.1 leave the page: Chromium gathers
// on every interface, but the call must stay on loopback (README.md,
// "Keeping the call on loopback").
function onLoopback(c) {
  return c.protocol === 'udp' && c.address === '127.0.0.1';
}

function onIceCandidate(e) {
  if (!e.candidate || !e.candidate.candidate) {
    send({type: 'candidate', mline: e.candidate ? e.candidate.sdpMLineIndex : 0, candidate: ''});
    return;
  }
  const c = e.candidate;
  const msg = {type: 'candidate', mline: c.sdpMLineIndex, candidate: c.candidate};
  if (!onLoopback(c)) {
    msg.type = 'candidate-dropped';
    msg.address = c.address;
    msg.protocol = c.protocol;
  }
  send(msg);
}

function onTrack(e) {
  const el = document.getElementById(e.track.kind === 'video' ? 'remoteVideo' : 'remoteAudio');
  el.srcObject = e.streams[0] || new MediaStream([e.track]);
  el.play().catch(err => log('play() of ' + e.track.kind + ': ' + err));
}

// Codec order for the browser's own video m-line: H264 only, VP8 only
// (with its rtx), or VP8 first (then everything else Chromium has).
function setVideoPreferences(transceiver) {
  const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
  let prefs;
  if (videoCodec === 'h264') {
    prefs = codecs.filter(c => c.mimeType === 'video/H264');
    if (prefs.length === 0) throw new Error('this Chromium has no H264');
  } else if (videoCodec === 'vp8-only') {
    prefs = codecs.filter(c => c.mimeType === 'video/VP8' || c.mimeType === 'video/rtx');
  } else {
    prefs = codecs.filter(c => c.mimeType === 'video/VP8')
      .concat(codecs.filter(c => c.mimeType !== 'video/VP8'));
  }
  transceiver.setCodecPreferences(prefs);
}

async function getMedia() {
  if (!wantAudio && !wantVideo) return null;
  return navigator.mediaDevices.getUserMedia({audio: wantAudio, video: wantVideo});
}

// A data-only call still asks for the microphone once, as every mode does
// (README.md, "Keeping the call on loopback"): without media permission a
// page may get mDNS (.local) host candidates, which the call cannot use.
// (Chromium 156 here gave addresses without it too.) The track is never
// sent; it is stopped at the end of the call.
let permissionStream = null;
async function askMediaPermission() {
  permissionStream = await navigator.mediaDevices.getUserMedia({audio: true});
}

// --- Data channels

// Everything that happens on a channel is reported in the order it
// happened: a message's digest is computed (asynchronously) before the
// next event is reported.
let dcChain = Promise.resolve();
function dcReport(make) {
  dcChain = dcChain.then(async () => {
    const msg = await make();
    if (msg) await send(msg);
  })
    .catch(e => send({type: 'error', text: 'data channel report: ' + String(e && e.stack || e)}));
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), b => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(bytes) {
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

const SHORT_TEXT = 200;

function watchChannel(dc, local) {
  channels.set(dc.label, dc);
  dc.binaryType = 'arraybuffer';
  const label = dc.label;
  dc.addEventListener('open', () => dcReport(() => ({
    type: 'dc-open', label, id: dc.id, protocol: dc.protocol, ordered: dc.ordered,
    negotiated: dc.negotiated, maxRetransmits: dc.maxRetransmits,
    maxPacketLifeTime: dc.maxPacketLifeTime, local,
  })));
  dc.addEventListener('message', e => {
    const data = e.data;
    dcReport(async () => {
      if (typeof data === 'string') {
        const bytes = new TextEncoder().encode(data);
        return {type: 'dc-message', label, kind: 'text', size: bytes.length,
                sha256: await sha256(bytes),
                text: bytes.length <= SHORT_TEXT ? data : undefined};
      }
      return {type: 'dc-message', label, kind: 'binary', size: data.byteLength,
              sha256: await sha256(data)};
    });
  });
  dc.addEventListener('closing', () => dcReport(() => ({type: 'dc-closing', label})));
  dc.addEventListener('close', () => dcReport(() => ({type: 'dc-close', label})));
  dc.addEventListener('error', e => dcReport(() => ({
    type: 'dc-error', label, name: e.error ? e.error.name : null,
    message: e.error ? e.error.message : String(e),
  })));
}

function createChannel(label, protocol) {
  watchChannel(pc.createDataChannel(label, {ordered: true, protocol}), true);
}

function randomBytes(size) {
  const out = new Uint8Array(size);
  // getRandomValues fills at most 65536 bytes a call
  for (let i = 0; i < size; i += 65536) {
    crypto.getRandomValues(out.subarray(i, Math.min(size, i + 65536)));
  }
  return out;
}

// A random string whose UTF-8 is exactly `size` bytes: characters of 1, 2,
// 3 and 4 bytes (no U+0000, no surrogate halves), ASCII to fill the end.
function randomText(size) {
  const ranges = [[0x20, 0x7e], [0x80, 0x7ff], [0x800, 0xd7ff], [0x10000, 0x10ffff]];
  const rnd = randomBytes(4 * size + 8);
  const view = new DataView(rnd.buffer);
  let text = '';
  let bytes = 0;
  for (let i = 0; bytes < size; i++) {
    const n = Math.min(size - bytes, 1 + rnd[i % rnd.length] % 4);
    const [lo, hi] = ranges[n - 1];
    const cp = lo + view.getUint32((4 * i) % (rnd.length - 4)) % (hi - lo + 1);
    text += String.fromCodePoint(cp);
    bytes += n;
  }
  return text;
}

async function sendOne(dc, m) {
  let data;
  let bytes;
  if (m.kind === 'text') {
    data = m.text !== undefined ? m.text : randomText(m.size);
    bytes = new TextEncoder().encode(data);
  } else {
    data = bytes = randomBytes(m.size);
  }
  const digest = await sha256(bytes);
  try {
    dc.send(data);
  } catch (e) {
    return {type: 'dc-send-failed', label: dc.label, kind: m.kind, size: bytes.length,
            name: e.name, message: e.message};
  }
  return {type: 'dc-sent', label: dc.label, kind: m.kind, size: bytes.length,
          sha256: digest};
}

function channel(label) {
  const dc = channels.get(label);
  if (!dc) throw new Error('no data channel ' + JSON.stringify(label));
  return dc;
}

function summary(report) {
  const byId = new Map();
  report.forEach(r => byId.set(r.id, r));
  const codecOf = id => { const c = byId.get(id); return c ? c.mimeType : null; };
  const cand = id => {
    const c = byId.get(id);
    return c ? {address: c.address, port: c.port, protocol: c.protocol,
                candidateType: c.candidateType} : null;
  };
  const fp = id => {
    const c = byId.get(id);
    return c ? c.fingerprintAlgorithm + ' ' + c.fingerprint : null;
  };
  const s = {
    type: 'stats', connectionState: pc.connectionState,
    iceConnectionState: pc.iceConnectionState, signalingState: pc.signalingState,
    inbound: {}, outbound: {}, transport: null, transports: 0,
    sctp: pc.sctp ? {state: pc.sctp.state, maxMessageSize: pc.sctp.maxMessageSize,
                     maxChannels: pc.sctp.maxChannels} : null,
    channels: {},
  };
  for (const [label, dc] of channels) {
    s.channels[label] = {readyState: dc.readyState, id: dc.id,
                         bufferedAmount: dc.bufferedAmount};
  }
  report.forEach(r => {
    if (r.type === 'inbound-rtp') {
      s.inbound[r.kind] = {
        codec: codecOf(r.codecId), packetsReceived: r.packetsReceived || 0,
        bytesReceived: r.bytesReceived || 0, packetsLost: r.packetsLost || 0,
        framesDecoded: r.framesDecoded || 0, keyFramesDecoded: r.keyFramesDecoded || 0,
        pliCount: r.pliCount || 0, firCount: r.firCount || 0, nackCount: r.nackCount || 0,
        totalSamplesReceived: r.totalSamplesReceived || 0,
        concealedSamples: r.concealedSamples || 0,
        decoderImplementation: r.decoderImplementation || null,
      };
    } else if (r.type === 'outbound-rtp') {
      s.outbound[r.kind] = {
        codec: codecOf(r.codecId), packetsSent: r.packetsSent || 0,
        framesEncoded: r.framesEncoded || 0,
        encoderImplementation: r.encoderImplementation || null,
      };
    } else if (r.type === 'data-channel' && s.channels[r.label]) {
      Object.assign(s.channels[r.label], {
        messagesSent: r.messagesSent || 0, bytesSent: r.bytesSent || 0,
        messagesReceived: r.messagesReceived || 0, bytesReceived: r.bytesReceived || 0,
      });
    } else if (r.type === 'transport') {
      // With bundlePolicy 'balanced' there are two until the answer
      // bundles; s.transport is the last one listed.
      s.transports += 1;
      const pair = byId.get(r.selectedCandidatePairId);
      s.transport = {
        dtlsState: r.dtlsState, dtlsRole: r.dtlsRole || null,
        tlsVersion: r.tlsVersion || null, dtlsCipher: r.dtlsCipher || null,
        srtpCipher: r.srtpCipher || null,
        localFingerprint: fp(r.localCertificateId),
        remoteFingerprint: fp(r.remoteCertificateId),
        selectedPair: pair ? {state: pair.state, nominated: pair.nominated,
                              local: cand(pair.localCandidateId),
                              remote: cand(pair.remoteCandidateId)} : null,
      };
    }
  });
  return s;
}

async function postStats() {
  if (!pc || closed) return;
  try {
    send(summary(await pc.getStats()));
  } catch (e) {
    log('getStats: ' + e);
  }
}

async function handle(msg) {
  if (msg.type === 'offer') {
    await pc.setRemoteDescription({type: 'offer', sdp: msg.sdp});
    const stream = await getMedia();
    if (stream) {
      // Attaches to the transceivers the offer made (same kind, never sent on).
      for (const t of stream.getTracks()) pc.addTrack(t, stream);
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    send({type: 'answer', sdp: answer.sdp});
  } else if (msg.type === 'answer') {
    await pc.setRemoteDescription({type: 'answer', sdp: msg.sdp});
  } else if (msg.type === 'dc-create') {
    createChannel(msg.label, msg.protocol || '');
  } else if (msg.type === 'dc-send') {
    // one after the other, in the chain: in order, and after whatever
    // the channel reported before
    const dc = channel(msg.label);
    for (const m of msg.messages) dcReport(() => sendOne(dc, m));
    dcReport(() => ({type: 'dc-send-done', label: dc.label,
                     bufferedAmount: dc.bufferedAmount}));
  } else if (msg.type === 'dc-close') {
    const dc = channel(msg.label);
    dcReport(() => { dc.close(); return null; });
  } else if (msg.type === 'candidate') {
    try {
      await pc.addIceCandidate({candidate: msg.candidate, sdpMLineIndex: msg.mline});
    } catch (e) {
      log('addIceCandidate(' + JSON.stringify(msg.candidate) + '): ' + e);
    }
  } else {
    log('unknown message ' + JSON.stringify(msg));
  }
}

async function receiveLoop() {
  while (!closed) {
    const r = await fetch('/recv?token=' + token);
    if (r.status === 204) continue;
    if (!r.ok) throw new Error('GET /recv: HTTP ' + r.status);
    const msg = await r.json();
    if (msg.type === 'done') {
      clearInterval(statsTimer);
      await postStats();
      closed = true;
      pc.close();
      if (permissionStream) permissionStream.getTracks().forEach(t => t.stop());
      send({type: 'closed'});
      return;
    }
    await handle(msg);
  }
}

async function main() {
  send({type: 'log', text: 'loaded: ' + navigator.userAgent});
  if (!['audio', 'video', 'both', 'none'].includes(media)) {
    throw new Error('unknown media ' + media);
  }
  if (!['max-bundle', 'balanced', 'max-compat'].includes(bundlePolicy)) {
    throw new Error('unknown bundle policy ' + bundlePolicy);
  }
  pc = new RTCPeerConnection({iceServers: [], bundlePolicy, rtcpMuxPolicy: 'require'});
  log('bundlePolicy: ' + pc.getConfiguration().bundlePolicy);
  pc.addEventListener('icecandidate', onIceCandidate);
  pc.addEventListener('track', onTrack);
  pc.addEventListener('datachannel', e => watchChannel(e.channel, false));
  pc.addEventListener('connectionstatechange', postStats);
  statsTimer = setInterval(postStats, STATS_MS);
  if (!wantAudio && !wantVideo) await askMediaPermission();
  if (role === 'offerer') {
    const stream = await getMedia();
    if (stream) {
      log('getUserMedia: ' + stream.getTracks().map(t => t.kind + ' ' + t.label).join(', '));
      for (const t of stream.getTracks()) {
        const transceiver = pc.addTransceiver(t, {direction: 'sendrecv', streams: [stream]});
        if (t.kind === 'video') setVideoPreferences(transceiver);
      }
    }
    if (wantData) createChannel(dcLabel, dcProtocol);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    send({type: 'offer', sdp: offer.sdp});
  }
  await receiveLoop();
}

main().catch(e => send({type: 'error', text: String(e && e.stack || e)}));
