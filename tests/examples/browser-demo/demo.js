// SPDX-License-Identifier: LGPL-2.1-or-later
// The browser demo's page: publishes the camera and microphone by WHIP
// (a plain fetch() client), plays the program's test pattern by WHEP,
// shows what both sides negotiated, and reports to the program (/result).
'use strict';

const params = new URLSearchParams(location.hash.slice(1));
const token = params.get('token');
const whipUrl = params.get('whip');
// the fragment holds the token: out of the address bar and history
history.replaceState(null, '', location.pathname);

const logEl = document.getElementById('log');
function log(text) {
  logEl.textContent += text + '\n';
}

const auth = { Authorization: 'Bearer ' + token };

function gathered(pc) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
}

// RFC 9725: POST the offer with every candidate, apply the 201's answer
async function exchange(pc, url) {
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const response = await fetch(url, {
    method: 'POST',
    headers: Object.assign({ 'Content-Type': 'application/sdp' }, auth),
    body: pc.localDescription.sdp,
  });
  if (response.status !== 201)
    throw new Error(url + ' answered ' + response.status + ': ' +
        await response.text());
  const location = new URL(response.headers.get('Location'), url).href;
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
  return location;
}

async function summary(pc) {
  const stats = await pc.getStats();
  const out = { framesDecoded: 0, framesEncoded: 0 };
  let pairId = null;
  stats.forEach((s) => {
    if (s.type === 'transport') {
      out.dtlsState = s.dtlsState;
      out.tlsVersion = s.tlsVersion;
      out.dtlsCipher = s.dtlsCipher;
      out.srtpCipher = s.srtpCipher;
      pairId = s.selectedCandidatePairId;
    }
    if (s.type === 'inbound-rtp' && s.kind === 'video')
      out.framesDecoded = s.framesDecoded || 0;
    if (s.type === 'outbound-rtp' && s.kind === 'video')
      out.framesEncoded = s.framesEncoded || 0;
  });
  if (pairId && stats.get(pairId)) {
    const pair = stats.get(pairId);
    const local = stats.get(pair.localCandidateId);
    const remote = stats.get(pair.remoteCandidateId);
    out.candidates = (local ? local.candidateType : '?') + ' -> ' +
        (remote ? remote.candidateType : '?');
  }
  return out;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main() {
  const result = { published: false, played: false };
  let whipSession = null, whepSession = null;
  try {
    const media = await navigator.mediaDevices.getUserMedia(
        { video: { width: 320, height: 240 }, audio: true });
    document.getElementById('local').srcObject = media;

    const publisher = new RTCPeerConnection();
    for (const track of media.getTracks())
      publisher.addTransceiver(track, { direction: 'sendonly' });
    whipSession = await exchange(publisher, whipUrl);
    log('published to ' + whipUrl);

    const player = new RTCPeerConnection();
    player.addTransceiver('video', { direction: 'recvonly' });
    player.addTransceiver('audio', { direction: 'recvonly' });
    const remote = new MediaStream();
    player.ontrack = (event) => {
      remote.addTrack(event.track);
      document.getElementById('remote').srcObject = remote;
    };
    whepSession = await exchange(player, new URL('/whep', location.href).href);
    log('playing from /whep');

    // until both directions carry video, at most 20 s
    for (let i = 0; i < 40; i++) {
      await sleep(500);
      result.whip = await summary(publisher);
      result.whep = await summary(player);
      if (result.whip.framesEncoded >= 30 && result.whep.framesDecoded >= 30)
        break;
    }
    result.published = result.whip.framesEncoded > 0;
    result.played = result.whep.framesDecoded > 0;

    // the program's side, with its short authentication strings
    const info = await (await fetch('/info', { headers: auth })).json();
    result.program = info;
    document.getElementById('sas-whip').textContent =
        (info.whip && info.whip.sas) || '(not connected)';
    document.getElementById('sas-whep').textContent =
        (info.whep && info.whep.sas) || '(not connected)';
    document.getElementById('info').textContent =
        'browser, publishing: ' + JSON.stringify(result.whip) + '\n' +
        'browser, playing: ' + JSON.stringify(result.whep) + '\n' +
        'program: ' + JSON.stringify(info, null, 1);
  } catch (e) {
    result.error = String(e);
    log('error: ' + e);
  }
  await fetch('/result', {
    method: 'POST',
    headers: Object.assign({ 'Content-Type': 'application/json' }, auth),
    body: JSON.stringify(result),
  });
  // the program ends the sessions on exit; say goodbye to both anyway
  // when the person closes the page
  window.addEventListener('pagehide', () => {
    for (const url of [whipSession, whepSession])
      if (url) fetch(url, { method: 'DELETE', headers: auth, keepalive: true });
  });
}

main();
