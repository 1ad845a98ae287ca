#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Calls between headless Chromium and our webrtc bin, one per case
(README.md beside this file): each side offering; VP8, H264 and Opus;
fingerprints tampered with each way; and bundle-policy balanced on both
sides (offer-balanced, answer-balanced: the exchange must end bundled, on
one ICE transport of ours); data channels, alone and next to audio and
video (offer-data, answer-data, offer-data-1mib, offer-media-data,
answer-media-data: a channel opened by each side, text and binary both
ways compared by SHA-256, the largest message each side allows and one
byte more, each side closing its channel; datachannels.py). Prints one
report per call and a closing 'N passed, N failed' line; exits 0 when
every call passed, 77 (skip) when Chromium is missing outside CI, 1
otherwise.

The peer is secwebrtcbin from our build tree (run through meson test or
meson devenv). With SEC_CHROMIUM_DEV_WEBRTCBIN=1 it is gst-plugins-bad's
webrtcbin instead (dev mode, to develop the harness; never in the test
suite).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# name: (what it checks, Call arguments). Call arguments also used to make
# the peer: media, video_codec, our_bundle (its bundle-policy; default
# max-bundle), data (data channels). browser_bundle is the page's
# bundlePolicy (default max-bundle); ice_transports, the ICE transports our
# bin must end with; browser_max_message_size, the a=max-message-size
# Chromium's description carries when it reaches us; our_max_message_size,
# our bin's max-message-size (the a=max-message-size we write).
CASES = {
    'offer-vp8': ('browser offers (VP8 first), we answer: VP8 + Opus both ways',
                  dict(role='offerer')),
    'answer-vp8': ('we offer VP8 + Opus, browser answers: both ways',
                   dict(role='answerer')),
    'offer-vp8-only': ('browser offers VP8 as its only video codec: both ways',
                       dict(role='offerer', video_codec='vp8-only')),
    'offer-h264': ('browser offers H264-only video + Opus: we decode its H264, '
                   'Opus both ways', dict(role='offerer', video_codec='h264')),
    'answer-h264': ('we offer H264 recvonly + Opus, browser answers and sends '
                    'H264', dict(role='answerer', video_codec='h264')),
    'offer-audio': ('browser offers audio only', dict(role='offerer', media=('audio',))),
    'answer-video': ('we offer video only', dict(role='answerer', media=('video',))),
    'mitm-offer': ('reverse MITM: the browser\'s offer reaches us with its '
                   'fingerprint altered: we must fail, zero frames',
                   dict(role='offerer', tamper='to-us')),
    'mitm-answer': ('reverse MITM: the browser\'s answer reaches us with its '
                    'fingerprint altered: we must fail, zero frames',
                    dict(role='answerer', tamper='to-us')),
    'tamper-to-browser': ('our answer reaches the browser with our fingerprint '
                          'altered: both sides fail, zero frames',
                          dict(role='offerer', tamper='to-browser')),
    'offer-balanced': ('browser with bundlePolicy balanced offers, we answer with '
                       'bundle-policy=balanced: our answer bundles, one ICE transport; '
                       'both ways',
                       dict(role='offerer', browser_bundle='balanced',
                            our_bundle='balanced', ice_transports=1)),
    'answer-balanced': ('we offer with bundle-policy=balanced (audio and video on a '
                        'transport each, one BUNDLE group), browser (balanced) answers '
                        'bundled: both ways, we end with one ICE transport',
                        dict(role='answerer', browser_bundle='balanced',
                             our_bundle='balanced', ice_transports=1)),
    'offer-data': ('browser offers a data-only call (its channel in the offer), we '
                   'answer and open ours: data channels (README.md)',
                   dict(role='offerer', media=(), data=True)),
    'answer-data': ('we offer a data-only call (our channel in the offer), browser '
                    'answers and then opens its channel in-band: data channels',
                    dict(role='answerer', media=(), data=True)),
    'offer-data-1mib': ('browser offers a data-only call; its a=max-message-size '
                        'reaches us as 1048576, our bin says 1048576 too: data '
                        'channels, with our messages of 1 MiB (arrives intact) and '
                        '1 MiB + 1 (on-error); Chromium still sends at most 256 KiB',
                        dict(role='offerer', media=(), data=True,
                             browser_max_message_size=1048576,
                             our_max_message_size=1048576)),
    'offer-media-data': ('browser offers VP8 + Opus + data: media both ways, then '
                         'data channels', dict(role='offerer', data=True)),
    'answer-media-data': ('we offer VP8 + Opus + data: media both ways, then data '
                          'channels', dict(role='answerer', data=True)),
}
MEDIA_CASES = ['offer-vp8', 'answer-vp8', 'offer-vp8-only', 'offer-h264',
               'answer-h264', 'offer-audio', 'answer-video', 'offer-balanced',
               'answer-balanced']
DATA_CASES = ['offer-data', 'answer-data', 'offer-data-1mib', 'offer-media-data',
              'answer-media-data']
DEFAULT_CASES = MEDIA_CASES + DATA_CASES + ['mitm-offer', 'mitm-answer',
                                            'tamper-to-browser']


def choose_factory():
    if os.environ.get(harness.DEV_ENV) == '1':
        if os.environ.get('SEC_BUILD_ROOT'):
            raise harness.HarnessError(
                '%s=1 inside the test environment: dev mode runs webrtcbin '
                'with the system plugins, outside meson test' % harness.DEV_ENV)
        return 'webrtcbin'
    harness.check_factory_is_ours('secwebrtcbin')
    return 'secwebrtcbin'


def describe(name, r, factory):
    f = r.our_frames
    b = r.browser_stats or {}
    bin_ = b.get('inbound') or {}
    out = b.get('outbound') or {}
    t = b.get('transport') or {}
    pair = t.get('selectedPair') or {}
    lines = ['%s %s (%.1f s)' % ('PASS' if r.ok else 'FAIL', name, r.seconds)]
    lines.append('  %s decoded: video %d frames, audio %d buffers; streams %s'
                 % (factory, f.get('video', 0), f.get('audio', 0), r.received))
    v, a = bin_.get('video') or {}, bin_.get('audio') or {}
    lines.append('  Chromium decoded: video %d frames (%s, %s), audio %d packets, '
                 '%d samples (%d concealed) (%s); sent %s'
                 % (v.get('framesDecoded', 0), v.get('codec'), v.get('decoderImplementation'),
                    a.get('packetsReceived', 0), a.get('totalSamplesReceived', 0),
                    a.get('concealedSamples', 0), a.get('codec'),
                    {k: (o.get('codec'), o.get('framesEncoded') or o.get('packetsSent'),
                         o.get('encoderImplementation')) for k, o in out.items()}))
    lc, rc = pair.get('local') or {}, pair.get('remote') or {}
    lines.append('  Chromium: %s, %d transport(s), dtls %s %s %s %s; pair %s:%s %s <-> %s:%s %s; '
                 'sees our fingerprint %s'
                 % (b.get('connectionState'), b.get('transports') or 0,
                    t.get('dtlsState'), t.get('dtlsRole'),
                    t.get('tlsVersion'), t.get('srtpCipher'),
                    lc.get('address'), lc.get('port'), lc.get('candidateType'),
                    rc.get('address'), rc.get('port'), rc.get('candidateType'),
                    t.get('remoteFingerprint')))
    lines.append('  ours: connection-state %s; candidates sent %d, not sent %d; '
                 'browser candidates sent %d, not sent %s'
                 % (' > '.join(r.our_states.get('connection-state', [])),
                    len(r.our_candidates), len(r.our_dropped), len(r.browser_candidates),
                    sorted(set(r.browser_dropped))))
    for entry in r.data_channels:
        lines.append('  data channel %s' % entry)
    if r.ice_transports:
        lines.append('  our ICE transports: %s' % ', '.join(
            '%d %s' % (n, when) for when, n in r.ice_transports))
    if r.our_errors or r.our_warnings:
        lines.append('  our bus: errors %s warnings %s' % (r.our_errors[:3], r.our_warnings[:3]))
    for n in r.notes:
        lines.append('  note: %s' % n)
    for p in r.problems:
        lines.append('  problem: %s' % p)
    if not r.ok:
        for entry in r.browser_log[-10:]:
            lines.append('  page %s' % entry)
        tail = getattr(r, 'chromium_log_tail', '').strip().splitlines()[-8:]
        for entry in tail:
            lines.append('  chromium: %s' % entry)
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cases', default=','.join(DEFAULT_CASES),
                    help='comma-separated, from: ' + ', '.join(CASES))
    ap.add_argument('--repeat', type=int, default=1, help='run the cases N times')
    ap.add_argument('--timeout', type=float, default=30.0,
                    help='seconds each call may take to reach its outcome')
    ap.add_argument('--min-frames', type=int, default=10)
    ap.add_argument('--keyframe-interval', type=int, default=0,
                    help='our VP8 keyframe distance in frames; 0: keyframes only '
                    'when the browser asks (PLI/FIR) after the first')
    ap.add_argument('--capture-sdp', metavar='DIR',
                    help='write each call\'s offer and answer to DIR/<case>-offer.sdp ...')
    ap.add_argument('--netns', choices=('auto', 'yes', 'no'), default='auto',
                    help='run in a private network namespace with only loopback '
                    '(auto: when the system allows it; README.md)')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    names = [n for n in args.cases.split(',') if n]
    for n in names:
        if n not in CASES:
            ap.error('unknown case %s' % n)

    # First, while this is the only thread (harness.enter_private_netns).
    in_netns = False
    if args.netns != 'no':
        why = harness.enter_private_netns()
        if why is None:
            in_netns = True
        elif args.netns == 'yes':
            print('FAIL: no private network namespace: %s' % why)
            return 1
        else:
            print('note: no private network namespace (%s): Chromium may use its other '
                  'interfaces\' addresses as the local side of its checks' % why)
    harness.install_signal_handlers()
    if harness.chromium_binary() is None:
        reason = 'chromium not found (install Debian\'s chromium package)'
        if os.environ.get('CI'):
            print('FAIL: ' + reason)
            return 1
        print('SKIP: ' + reason)
        return 77
    try:
        factory = choose_factory()
    except harness.HarnessError as e:
        print('FAIL: %s' % e)
        return 1
    print('peer: %s; chromium: %s; interfaces: %s' % (
        harness.factory_plugin_file(factory), harness.chromium_binary(),
        ' '.join(harness.interfaces())))
    passed = failed = 0
    for i in range(args.repeat):
        for name in names:
            what, kwargs = CASES[name]
            peer = harness.GstWebRTCPeer(
                factory, media=kwargs.get('media', ('audio', 'video')),
                video_codec=kwargs.get('video_codec', 'vp8'),
                keyframe_interval=args.keyframe_interval,
                bundle_policy=kwargs.get('our_bundle', 'max-bundle'),
                data_channels=kwargs.get('data', False),
                max_message_size=kwargs.get('our_max_message_size'))
            r = harness.run_call(peer, timeout=args.timeout, min_frames=args.min_frames,
                                 browser_loopback=in_netns, verbose=args.verbose,
                                 **kwargs)
            label = name if args.repeat == 1 else '%s #%d' % (name, i + 1)
            print(describe(label, r, factory))
            sys.stdout.flush()
            if args.capture_sdp:
                for which, text in (('offer', r.offer), ('answer', r.answer)):
                    if text:
                        path = os.path.join(args.capture_sdp, '%s-%s.sdp' % (name, which))
                        with open(path, 'w', newline='') as f:
                            f.write(text)
            if r.ok:
                passed += 1
            else:
                failed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
