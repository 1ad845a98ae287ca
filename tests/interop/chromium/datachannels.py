# SPDX-License-Identifier: LGPL-2.1-or-later
"""The data-channel part of a Chromium call (README.md, "Data channels").

DataChannelExchange runs inside a harness.Call once both sides are
connected: one channel opened by each side, text and binary messages both
ways on both channels with their content compared exactly (SHA-256 of the
bytes, in order), a message of the largest size the receiver's
a=max-message-size allows and one byte above it (the sender must refuse
it: on-error on our side, an exception from send() in the browser, and the
channel must go on working), then each side closes the channel it opened
and the other side must see it close.

Both sides report what they sent and what they received (kind, size and
SHA-256): our bin's channel signals come through the call's event queue
(harness._OurChannel), the page's through its /send messages (peer.js).
Only the calling thread reads that queue, so nothing here needs a lock.
"""

import hashlib
import queue
import random
import re
import time

# The channel each side opens; the labels tell them apart everywhere.
OUR_LABEL = 'gst-opened'
OUR_PROTOCOL = 'sec-test-gst'
BROWSER_LABEL = 'chromium-opened'
BROWSER_PROTOCOL = 'sec-test-chromium'

# RFC 8841 §6: no a=max-message-size means 64 KiB; 0 means no limit.
DEFAULT_MAX_MESSAGE_SIZE = 65536
# A text above 64 KiB (when the receiver's limit allows): SCTP carries it
# in fragments cut anywhere, inside a character too; the receiver must
# join them before it decodes the UTF-8.
LONG_TEXT = 70000


def sdp_application(sdp):
    """(m= line, a=sctp-port, a=max-message-size) of an SDP's first
    m=application section, or None."""
    for section in re.split(r'\r?\n(?=m=)', sdp)[1:]:
        if not section.startswith('m=application'):
            continue
        mline = section.splitlines()[0].strip()
        port = re.search(r'^a=sctp-port:(\d+)', section, re.M)
        size = re.search(r'^a=max-message-size:(\d+)', section, re.M)
        return (mline, int(port.group(1)) if port else None,
                int(size.group(1)) if size else None)
    return None


def _digest(kind, payload):
    raw = payload.encode('utf-8') if kind == 'text' else payload
    return (kind, len(raw), hashlib.sha256(raw).hexdigest())


def random_text(rng, size):
    """A random str whose UTF-8 is exactly `size` bytes: characters of 1,
    2, 3 and 4 bytes (no U+0000, no surrogates), as peer.js makes them."""
    ranges = ((0x20, 0x7e), (0x80, 0x7ff), (0x800, 0xd7ff), (0x10000, 0x10ffff))
    out = []
    left = size
    while left > 0:
        n = min(left, rng.randint(1, 4))
        lo, hi = ranges[n - 1]
        out.append(chr(rng.randint(lo, hi)))
        left -= n
    return ''.join(out)


class End:
    """One side's view of one channel."""

    def __init__(self):
        self.first_state = None   # ready-state when our side first saw it
        self.how = None           # 'created' / 'announced' (ours); 'local'/'remote' (page)
        self.open_count = 0
        self.info = None          # the page's dc-open message
        self.received = []        # (kind, size, sha256, text or None)
        self.sent = []            # (kind, size, sha256), in order
        self.refused = []         # (kind, size, what was said)
        self.errors = []          # error texts not attributed to a send
        self.states = []
        self.close_count = 0
        self.send_done = 0

    @property
    def opened(self):
        # on-open (the page's open event) is what says so; a channel of
        # ours that was open by the time create-data-channel returned may
        # have fired on-open before we listened. A channel the peer opened
        # is open at on-data-channel, and on-open follows it: wait for it.
        return self.open_count > 0 or (self.how == 'created' and self.first_state == 'open')

    @property
    def closed(self):
        return self.close_count > 0


class DataChannelExchange:
    """The data-channel script of one call. dispatch() takes the call's
    events (page 'dc-*' messages, ('peer', 'dc', ...) tuples); run() drives
    the script from the calling thread and appends what went wrong to
    call.result.problems, what was seen to call.result.notes and a summary
    to call.result.data_channels."""

    def __init__(self, call, seed=None):
        self.call = call
        self.rng = random.Random(seed)
        self.ours = {}      # label: End, as our bin saw it
        self.page = {}      # label: End, as the browser saw it
        self._our_send_index = None   # (label, kind, size) being sent now
        self.limits = {}
        self._t0 = None

    def _end(self, side, label):
        return side.setdefault(label, End())

    # -- events

    def dispatch_page(self, msg):
        t = msg['type']
        label = msg.get('label')
        end = self._end(self.page, label)
        if t == 'dc-open':
            end.open_count += 1
            end.info = msg
            end.how = 'local' if msg.get('local') else 'remote'
        elif t == 'dc-message':
            end.received.append((msg.get('kind'), msg.get('size'), msg.get('sha256'),
                                 msg.get('text')))
        elif t == 'dc-sent':
            end.sent.append((msg.get('kind'), msg.get('size'), msg.get('sha256')))
        elif t == 'dc-send-failed':
            end.refused.append((msg.get('kind'), msg.get('size'),
                                '%s: %s' % (msg.get('name'), msg.get('message'))))
        elif t == 'dc-send-done':
            end.send_done += 1
        elif t == 'dc-closing':
            end.states.append('closing')
        elif t == 'dc-close':
            end.close_count += 1
            end.states.append('closed')
        elif t == 'dc-error':
            end.errors.append('%s: %s' % (msg.get('name'), msg.get('message')))

    def dispatch_peer(self, label, what, value):
        end = self._end(self.ours, label)
        if what in ('created', 'announced'):
            end.how = what
            end.first_state = value
        elif what == 'open':
            end.open_count += 1
        elif what == 'close':
            end.close_count += 1
        elif what == 'state':
            end.states.append(value)
        elif what == 'message':
            end.received.append(value)
        elif what == 'error':
            sending = self._our_send_index
            if sending is not None and sending[0] == label:
                end.refused.append((sending[1], sending[2], value))
            else:
                end.errors.append(value)

    # -- helpers

    def _wait(self, predicate, what, pending=None):
        self.call._wait(predicate, self.call.timeout, what, pending=pending)

    def _drain(self):
        """Dispatch what is queued now, without waiting: an on-error our bin
        emits from the thread that sent is then attributed to that send."""
        while True:
            try:
                ev = self.call.events.get_nowait()
            except queue.Empty:
                return
            self.call._dispatch(ev)

    def _problem(self, text):
        self.call.result.problems.append('data channels: ' + text)

    def _note(self, text):
        self.call.result.notes.append('data channels: ' + text)

    def _send_ours(self, label, messages):
        """Send messages (kind, payload) on our channel `label`, one after
        the other; returns the digests in order. Each send is followed by
        a drain, so that an on-error emitted while sending is tied to it."""
        out = []
        for kind, payload in messages:
            d = _digest(kind, payload)
            self._our_send_index = (label, kind, d[1])
            try:
                if kind == 'text':
                    self.call.peer.send_text(label, payload)
                else:
                    self.call.peer.send_binary(label, payload)
                self._drain()
            finally:
                self._our_send_index = None
            self._end(self.ours, label).sent.append(d)
            out.append(d)
        return out

    def _our_messages(self, label, limit):
        """What we send on a channel: (kind, payload), plus the index of
        the one above the browser's limit (None: no limit)."""
        rng = self.rng
        msgs = [
            ('text', 'from gst on %s: h\u00e9llo \u2713 \U0001F600' % label),
            ('binary', rng.randbytes(1000)),
            ('text', random_text(rng, min(LONG_TEXT, limit or LONG_TEXT))),
            ('binary', b''),
            ('text', ''),
        ]
        over = None
        if limit:
            msgs.append(('binary', rng.randbytes(limit)))
            over = len(msgs)
            msgs.append(('binary', rng.randbytes(limit + 1)))
        msgs.append(('text', 'end of gst on %s' % label))
        return msgs, over

    def _page_messages(self, label, limit):
        msgs = [
            {'kind': 'text', 'text': 'from chromium on %s: h\u00e9llo \u2713 \U0001F600' % label},
            {'kind': 'binary', 'size': 1000},
            {'kind': 'text', 'size': min(LONG_TEXT, limit or LONG_TEXT)},
            {'kind': 'binary', 'size': 0},
            {'kind': 'text', 'text': ''},
        ]
        over = None
        if limit:
            msgs.append({'kind': 'binary', 'size': limit})
            over = len(msgs)
            msgs.append({'kind': 'binary', 'size': limit + 1})
        msgs.append({'kind': 'text', 'text': 'end of chromium on %s' % label})
        return msgs, over

    # -- checks

    def check_sdp(self, offer, answer, our_role_is_offerer):
        """Both descriptions carry an accepted m=application for SCTP over
        DTLS; returns (our a=max-message-size, the browser's), RFC 8841
        defaults applied."""
        sizes = {}
        for whose, sdp in (('offer', offer), ('answer', answer)):
            app = sdp_application(sdp or '')
            if app is None:
                self._problem('the %s has no m=application' % whose)
                continue
            mline, port, size = app
            fields = mline.split()
            if len(fields) < 4 or fields[1] == '0' or fields[2] != 'UDP/DTLS/SCTP' \
                    or fields[3] != 'webrtc-datachannel':
                self._problem('the %s has %r, expected an accepted UDP/DTLS/SCTP '
                              'webrtc-datachannel m-line' % (whose, mline))
            if port is None:
                self._problem('the %s has no a=sctp-port' % whose)
            mine = (whose == 'offer') == our_role_is_offerer
            sizes['ours' if mine else 'browser'] = size
            self._note('%s (%s): %s, a=sctp-port:%s, a=max-message-size:%s'
                       % (whose, 'ours' if mine else 'Chromium\'s', mline, port, size))
        ours = sizes.get('ours')
        browser = sizes.get('browser')
        return (DEFAULT_MAX_MESSAGE_SIZE if ours is None else ours,
                DEFAULT_MAX_MESSAGE_SIZE if browser is None else browser)

    def _check_open(self):
        stats = self.call.result.browser_stats or {}
        role = ((stats.get('transport') or {}).get('dtlsRole'))
        for label, opener, protocol in ((OUR_LABEL, 'ours', OUR_PROTOCOL),
                                        (BROWSER_LABEL, 'browser', BROWSER_PROTOCOL)):
            ours = self.ours.get(label) or End()
            page = self.page.get(label) or End()
            props = self.call.peer.data_channel_properties(label) or {}
            info = page.info or {}
            want_how = ('created', 'remote') if opener == 'ours' else ('announced', 'local')
            if (ours.how, page.how) != want_how:
                self._problem('%s: seen as %s by us and %s by Chromium, expected %s'
                              % (label, ours.how, page.how, want_how))
            if props.get('label') != label:
                self._problem('%s: our channel\'s label is %r' % (label, props.get('label')))
            for name, ours_v, page_v, want in (
                    ('protocol', props.get('protocol'), info.get('protocol'), protocol),
                    ('ordered', props.get('ordered'), info.get('ordered'), True),
                    ('negotiated', props.get('negotiated'), info.get('negotiated'), False)):
                if ours_v != want or page_v != want:
                    self._problem('%s: %s is %r on our side and %r in Chromium, '
                                  'expected %r' % (label, name, ours_v, page_v, want))
            if props.get('id') != info.get('id') or not isinstance(info.get('id'), int) \
                    or info.get('id') < 0:
                self._problem('%s: id %r on our side, %r in Chromium'
                              % (label, props.get('id'), info.get('id')))
            elif role in ('client', 'server'):
                # RFC 8832 §6: the DTLS client opens even stream ids, the
                # server odd ones
                browser_opened = opener == 'browser'
                client_opened = (role == 'client') == browser_opened
                if info['id'] % 2 != (0 if client_opened else 1):
                    self._problem('%s: id %d, but it was opened by the DTLS %s'
                                  % (label, info['id'], 'client' if client_opened
                                     else 'server'))
            if props.get('ready-state') != 'open':
                self._problem('%s: our ready-state is %s once open'
                              % (label, props.get('ready-state')))
        if role is None:
            self._note('Chromium reported no DTLS role: stream id parity not checked')

    def _compare(self, label, direction, sent, received):
        """sent: digests in order; received: what arrived, in order."""
        got = [m[:3] for m in received]
        if got == sent:
            return True
        for i in range(max(len(sent), len(got))):
            want = sent[i] if i < len(sent) else None
            have = got[i] if i < len(got) else None
            if want != have:
                text = received[i][3] if i < len(received) else None
                self._problem('%s, %s: message %d of %d is %s%s, expected %s (%d arrived)'
                              % (label, direction, i + 1, len(sent),
                                 _short(have), ' %r' % text if text is not None else '',
                                 _short(want), len(got)))
                break
        return False

    # -- the script

    def run(self, our_max, browser_max):
        """our_max, browser_max: the a=max-message-size each side signaled
        (the largest message the other may send it)."""
        call = self.call
        self._t0 = time.monotonic()
        if call.role == 'answerer':
            # the page answered: it opens its channel now, in-band
            call.server.send({'type': 'dc-create', 'label': BROWSER_LABEL,
                              'protocol': BROWSER_PROTOCOL})
        labels = (OUR_LABEL, BROWSER_LABEL)
        # and a stats report of the page's taken with its SCTP transport
        # connected, for its maxMessageSize (a report comes every 250 ms)
        self._wait(lambda: all(self._end(s, l).opened for s in (self.ours, self.page)
                               for l in labels) and self._page_sctp().get('state') == 'connected',
                   'both channels open on both sides', pending=self._open_pending)
        self._check_open()

        # The browser's send() limit is its RTCSctpTransport's
        # maxMessageSize (what our SDP said, unless Chromium caps it).
        page_limit = self._page_sctp().get('maxMessageSize')
        self.limits = {'ours signaled': our_max, 'Chromium signaled': browser_max,
                       'Chromium\'s maxMessageSize': page_limit}
        if page_limit != our_max:
            self._note('Chromium\'s sctp.maxMessageSize is %s, our a=max-message-size %s'
                       % (page_limit, our_max))
        page_limit = page_limit or None  # 0: no limit, nothing to refuse

        # Messages both ways on both channels.
        plans = {}
        for label in labels:
            page_msgs, page_over = self._page_messages(label, page_limit)
            call.server.send({'type': 'dc-send', 'label': label, 'messages': page_msgs})
            plans[label] = (page_msgs, page_over)
        our_sent = {}
        our_over = {}
        for label in labels:
            msgs, over = self._our_messages(label, browser_max or None)
            digests = self._send_ours(label, msgs)
            our_over[label] = (over, digests[over] if over is not None else None)
            our_sent[label] = [d for i, d in enumerate(digests) if i != over]
        self._wait(lambda: all(self.page[l].send_done >= 1 for l in labels)
                   and all(len(self.ours[l].received) >= len(self.page[l].sent)
                           for l in labels)
                   and all(len(self.page[l].received) >= len(our_sent[l]) for l in labels),
                   'the messages both ways', pending=lambda: self._message_pending(our_sent))
        for label in labels:
            page_msgs, page_over = plans[label]
            page = self.page[label]
            ours = self.ours[label]
            # the browser refuses exactly its message over our limit
            if page_over is not None:
                want = [('binary', page_limit + 1)]
                if [m[:2] for m in page.refused] != want:
                    self._problem('%s: Chromium refused %s, expected only the %d-byte '
                                  'message (over our a=max-message-size %d)'
                                  % (label, page.refused, page_limit + 1, page_limit))
            elif page.refused:
                self._problem('%s: Chromium refused %s' % (label, page.refused))
            if len(page.sent) + len(page.refused) != len(page_msgs):
                self._problem('%s: Chromium reported %d sent and %d refused of %d'
                              % (label, len(page.sent), len(page.refused), len(page_msgs)))
            self._compare(label, 'Chromium to us', page.sent, ours.received)
            self._compare(label, 'us to Chromium', our_sent[label], page.received)
            over, over_digest = our_over[label]
            if over is not None:
                want = [over_digest[:2]]
                if [m[:2] for m in ours.refused] != want:
                    self._problem('%s: our on-error came for %s, expected one for the '
                                  '%d-byte message over Chromium\'s a=max-message-size %d'
                                  % (label, ours.refused or 'no send', over_digest[1],
                                     browser_max))
            elif ours.refused:
                self._problem('%s: our on-error while sending: %s' % (label, ours.refused))

        # Each side closes the channel it opened; the other channel goes on.
        call.peer.close_data_channel(OUR_LABEL)
        self._wait(lambda: self.ours[OUR_LABEL].closed and self.page[OUR_LABEL].closed,
                   'the channel we closed to close on both sides',
                   pending=lambda: self._close_pending(OUR_LABEL))
        n_page, n_ours = len(self.page[BROWSER_LABEL].received), \
            len(self.ours[BROWSER_LABEL].received)
        call.server.send({'type': 'dc-send', 'label': BROWSER_LABEL,
                          'messages': [{'kind': 'text', 'text': 'still open'}]})
        after = self._send_ours(BROWSER_LABEL, [('text', 'still open')])
        self._wait(lambda: len(self.page[BROWSER_LABEL].received) > n_page
                   and len(self.ours[BROWSER_LABEL].received) > n_ours,
                   'a message each way on %s after %s closed' % (BROWSER_LABEL, OUR_LABEL))
        if [m[:3] for m in self.page[BROWSER_LABEL].received[n_page:]] != after \
                or [m[:3] for m in self.ours[BROWSER_LABEL].received[n_ours:]] \
                != [_digest('text', 'still open')]:
            self._problem('%s after %s closed: Chromium got %s, we got %s'
                          % (BROWSER_LABEL, OUR_LABEL,
                             self.page[BROWSER_LABEL].received[n_page:],
                             self.ours[BROWSER_LABEL].received[n_ours:]))
        call.server.send({'type': 'dc-close', 'label': BROWSER_LABEL})
        self._wait(lambda: self.ours[BROWSER_LABEL].closed and self.page[BROWSER_LABEL].closed,
                   'the channel Chromium closed to close on both sides',
                   pending=lambda: self._close_pending(BROWSER_LABEL))
        # Sending on a closed channel: on-error, nothing else.
        before = len(self.ours[OUR_LABEL].refused)
        self._send_ours(OUR_LABEL, [('text', 'after close')])
        if len(self.ours[OUR_LABEL].refused) != before + 1:
            self._problem('%s: sending on the closed channel gave no on-error' % OUR_LABEL)
        else:
            self._note('on-error for a send on a closed channel: %s'
                       % self.ours[OUR_LABEL].refused[-1][2])

        for label in labels:
            props = call.peer.data_channel_properties(label) or {}
            if props.get('ready-state') != 'closed':
                self._problem('%s: our ready-state is %s after on-close'
                              % (label, props.get('ready-state')))
            for side, end in (('our on-close', self.ours[label]),
                              ('Chromium\'s close', self.page[label])):
                if end.close_count != 1:
                    self._problem('%s: %s came %d times' % (label, side, end.close_count))
            # once each (the wait for open saw the first)
            for side, end in (('our on-open', self.ours[label]),
                              ('Chromium\'s open', self.page[label])):
                if end.open_count > 1:
                    self._problem('%s: %s came %d times' % (label, side, end.open_count))

        for label in labels:
            for side, end in (('our', self.ours[label]), ('Chromium\'s', self.page[label])):
                if end.errors:
                    self._problem('%s: %s error event(s): %s' % (label, side, end.errors))
        self._summarise()

    def _page_sctp(self):
        return (self.call.result.browser_stats or {}).get('sctp') or {}

    def _open_pending(self):
        out = ['Chromium\'s SCTP transport: %s' % (self._page_sctp() or None)]
        for name, side in (('ours', self.ours), ('Chromium', self.page)):
            for label in (OUR_LABEL, BROWSER_LABEL):
                end = side.get(label)
                if end is None or not end.opened:
                    out.append('%s: %s not open' % (name, label))
        return out

    def _message_pending(self, our_sent):
        out = []
        for label in (OUR_LABEL, BROWSER_LABEL):
            page, ours = self.page.get(label) or End(), self.ours.get(label) or End()
            out.append('%s: we received %d of %d, Chromium %d of %d (send done %d)'
                       % (label, len(ours.received), len(page.sent),
                          len(page.received), len(our_sent[label]), page.send_done))
        return out

    def _close_pending(self, label):
        return ['our on-close %d, Chromium close %d'
                % (self.ours[label].close_count, self.page[label].close_count)]

    def _summarise(self):
        lines = []
        for label in (OUR_LABEL, BROWSER_LABEL):
            ours, page = self.ours.get(label) or End(), self.page.get(label) or End()
            info = page.info or {}
            lines.append('%s (id %s): we sent %d (%d bytes), Chromium got %d; Chromium '
                         'sent %d (%d bytes), we got %d; refused: ours %s, Chromium\'s %s'
                         % (label, info.get('id'), len(ours.sent) - len(ours.refused),
                            sum(m[1] for m in ours.sent) - sum(m[1] for m in ours.refused),
                            len(page.received), len(page.sent),
                            sum(m[1] for m in page.sent), len(ours.received),
                            ours.refused, page.refused))
        lines.append('limits: %s; the exchange took %.1f s'
                     % (self.limits, time.monotonic() - self._t0))
        self.call.result.data_channels = lines


def _short(d):
    if d is None:
        return 'nothing'
    return '%s %d bytes sha256 %s' % (d[0], d[1], d[2][:12])

