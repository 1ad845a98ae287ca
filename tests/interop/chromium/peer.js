// The browser side of the Chromium interop call (README.md).
//
// Signaling with harness.py over fetch() to the page's own origin
// (http://127.0.0.1:<port>):
//   GET  /recv?token=T   long poll: the next message from the test as JSON,
//                        or 204 when none came within the server's wait
//   POST /send?token=T   one message from the page as JSON
// Messages from the test: {type: 'offer'|'answer', sdp},
//   {type: 'candidate', mline, candidate} ('' = end of candidates),
//   {type: 'done'} (close the peer connection and stop).
// Query string: role=offerer|answerer, media=audio|video|both,
//   video=vp8|vp8-only|h264, bundle=max-bundle|balanced|max-compat (the
//   RTCConfiguration's bundlePolicy; default max-bundle), token=T.
// Messages from the page: {type: 'offer'|'answer', sdp},
//   {type: 'candidate', mline, candidate}, {type: 'candidate-dropped', ...}
//   for every local candidate not sent (not UDP on 127.0.0.1),
//   {type: 'stats', ...} (summary of getStats(), every STATS_MS and at
//   each connection state change), {type: 'log'|'error', text},
//   {type: 'closed'} (answer to 'done').
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

let pc = null;
let closed = false;
let statsTimer = null;

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
  };
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
      send({type: 'closed'});
      return;
    }
    await handle(msg);
  }
}

async function main() {
  send({type: 'log', text: 'loaded: ' + navigator.userAgent});
  if (!['max-bundle', 'balanced', 'max-compat'].includes(bundlePolicy)) {
    throw new Error('unknown bundle policy ' + bundlePolicy);
  }
  pc = new RTCPeerConnection({iceServers: [], bundlePolicy, rtcpMuxPolicy: 'require'});
  log('bundlePolicy: ' + pc.getConfiguration().bundlePolicy);
  pc.addEventListener('icecandidate', onIceCandidate);
  pc.addEventListener('track', onTrack);
  pc.addEventListener('connectionstatechange', postStats);
  statsTimer = setInterval(postStats, STATS_MS);
  if (role === 'offerer') {
    const stream = await getMedia();
    log('getUserMedia: ' + stream.getTracks().map(t => t.kind + ' ' + t.label).join(', '));
    for (const t of stream.getTracks()) {
      const transceiver = pc.addTransceiver(t, {direction: 'sendrecv', streams: [stream]});
      if (t.kind === 'video') setVideoPreferences(transceiver);
    }
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    send({type: 'offer', sdp: offer.sdp});
  }
  await receiveLoop();
}

main().catch(e => send({type: 'error', text: String(e && e.stack || e)}));
