/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The candidate core without GStreamer or libnice: RFC 8839 §5.1
 * candidate attributes as Chrome, Firefox and libnice write them (host,
 * srflx, relay, ICE-TCP per RFC 6544 §4.5, mDNS names, extensions),
 * canonical formatting and round trips, malformed input (every prefix of
 * valid attributes included) and the address checks.
 */
#include "icecandidate.h"

#include <string.h>

typedef struct
{
  const gchar *text;
  const gchar *foundation;
  guint component;
  SecIceTransportProtocol transport;
  guint32 priority;
  const gchar *address;
  guint16 port;
  SecIceCandidateType type;
  const gchar *related_address;         /* NULL: no raddr/rport */
  guint16 related_port;
  SecIceTcpType tcp_type;
  const gchar *canonical;               /* sec_ice_candidate_to_string() */
} ValidCandidate;

/* Candidates as the browsers and libnice print them (addresses moved to
 * the documentation ranges, RFC 5737 and RFC 3849). */
static const ValidCandidate valid_candidates[] = {
  /* Chrome, host UDP IPv4 */
  {"candidate:4234997325 1 udp 2043278322 192.168.0.56 44323 typ host "
      "generation 0 ufrag 5kVS network-id 1",
      "4234997325", 1, SEC_ICE_TRANSPORT_UDP, 2043278322u,
      "192.168.0.56", 44323, SEC_ICE_CANDIDATE_HOST, NULL, 0,
      SEC_ICE_TCP_NONE,
      "candidate:4234997325 1 UDP 2043278322 192.168.0.56 44323 typ host"},
  /* Chrome, host UDP IPv6 */
  {"candidate:2157334355 1 udp 2122262783 2001:db8:1234::5 58761 typ host "
      "generation 0 network-id 2 network-cost 10",
      "2157334355", 1, SEC_ICE_TRANSPORT_UDP, 2122262783u,
      "2001:db8:1234::5", 58761, SEC_ICE_CANDIDATE_HOST, NULL, 0,
      SEC_ICE_TCP_NONE,
      "candidate:2157334355 1 UDP 2122262783 2001:db8:1234::5 58761 typ host"},
  /* Chrome, srflx */
  {"candidate:842163049 1 udp 1677729535 203.0.113.45 51275 typ srflx "
      "raddr 192.168.0.56 rport 44323 generation 0 ufrag 5kVS "
      "network-id 1 network-cost 10",
      "842163049", 1, SEC_ICE_TRANSPORT_UDP, 1677729535u,
      "203.0.113.45", 51275, SEC_ICE_CANDIDATE_SRFLX, "192.168.0.56",
      44323, SEC_ICE_TCP_NONE,
      "candidate:842163049 1 UDP 1677729535 203.0.113.45 51275 typ srflx "
      "raddr 192.168.0.56 rport 44323"},
  /* Chrome, srflx with the host address hidden */
  {"candidate:3528925834 1 udp 1685921535 203.0.113.45 51276 typ srflx "
      "raddr 0.0.0.0 rport 0 generation 0 network-id 1",
      "3528925834", 1, SEC_ICE_TRANSPORT_UDP, 1685921535u,
      "203.0.113.45", 51276, SEC_ICE_CANDIDATE_SRFLX, "0.0.0.0", 0,
      SEC_ICE_TCP_NONE,
      "candidate:3528925834 1 UDP 1685921535 203.0.113.45 51276 typ srflx "
      "raddr 0.0.0.0 rport 0"},
  /* Chrome, relay */
  {"candidate:3501447213 1 udp 41885439 198.51.100.20 60233 typ relay "
      "raddr 203.0.113.45 rport 51275 generation 0 ufrag 5kVS "
      "network-id 1 network-cost 10",
      "3501447213", 1, SEC_ICE_TRANSPORT_UDP, 41885439u,
      "198.51.100.20", 60233, SEC_ICE_CANDIDATE_RELAY, "203.0.113.45",
      51275, SEC_ICE_TCP_NONE,
      "candidate:3501447213 1 UDP 41885439 198.51.100.20 60233 typ relay "
      "raddr 203.0.113.45 rport 51275"},
  /* Chrome, mDNS host name */
  {"candidate:1467250027 1 udp 2122260223 "
      "c2a1b7e2-9c3d-4f0e-8a6b-1d2e3f4a5b6c.local 56143 typ host "
      "generation 0 ufrag 5kVS network-cost 999",
      "1467250027", 1, SEC_ICE_TRANSPORT_UDP, 2122260223u,
      "c2a1b7e2-9c3d-4f0e-8a6b-1d2e3f4a5b6c.local", 56143,
      SEC_ICE_CANDIDATE_HOST, NULL, 0, SEC_ICE_TCP_NONE,
      "candidate:1467250027 1 UDP 2122260223 "
      "c2a1b7e2-9c3d-4f0e-8a6b-1d2e3f4a5b6c.local 56143 typ host"},
  /* Chrome, TCP active on the discard port */
  {"candidate:1191209581 1 tcp 1518280447 192.168.0.56 9 typ host "
      "tcptype active generation 0 network-id 1",
      "1191209581", 1, SEC_ICE_TRANSPORT_TCP, 1518280447u,
      "192.168.0.56", 9, SEC_ICE_CANDIDATE_HOST, NULL, 0,
      SEC_ICE_TCP_ACTIVE,
      "candidate:1191209581 1 TCP 1518280447 192.168.0.56 9 typ host "
      "tcptype active"},
  /* Firefox, host UDP, SDP line */
  {"a=candidate:0 1 UDP 2122252543 192.168.1.33 59741 typ host",
      "0", 1, SEC_ICE_TRANSPORT_UDP, 2122252543u, "192.168.1.33", 59741,
      SEC_ICE_CANDIDATE_HOST, NULL, 0, SEC_ICE_TCP_NONE,
      "candidate:0 1 UDP 2122252543 192.168.1.33 59741 typ host"},
  /* Firefox, srflx on component 2 */
  {"candidate:1 2 UDP 1686052862 203.0.113.45 59742 typ srflx "
      "raddr 192.168.1.33 rport 59742",
      "1", 2, SEC_ICE_TRANSPORT_UDP, 1686052862u, "203.0.113.45", 59742,
      SEC_ICE_CANDIDATE_SRFLX, "192.168.1.33", 59742, SEC_ICE_TCP_NONE,
      "candidate:1 2 UDP 1686052862 203.0.113.45 59742 typ srflx "
      "raddr 192.168.1.33 rport 59742"},
  /* Firefox, TCP passive */
  {"candidate:3 1 TCP 2105458943 192.168.1.33 40563 typ host "
      "tcptype passive",
      "3", 1, SEC_ICE_TRANSPORT_TCP, 2105458943u, "192.168.1.33", 40563,
      SEC_ICE_CANDIDATE_HOST, NULL, 0, SEC_ICE_TCP_PASSIVE,
      "candidate:3 1 TCP 2105458943 192.168.1.33 40563 typ host "
      "tcptype passive"},
  /* libnice, TCP active with port 0 (RFC 6544 §4.5) */
  {"a=candidate:3 1 TCP 1015022079 192.168.1.33 0 typ host tcptype active",
      "3", 1, SEC_ICE_TRANSPORT_TCP, 1015022079u, "192.168.1.33", 0,
      SEC_ICE_CANDIDATE_HOST, NULL, 0, SEC_ICE_TCP_ACTIVE,
      "candidate:3 1 TCP 1015022079 192.168.1.33 0 typ host tcptype active"},
  /* libnice, TCP simultaneous-open srflx */
  {"a=candidate:6 1 TCP 1006632959 203.0.113.45 42128 typ srflx "
      "raddr 192.168.1.33 rport 42128 tcptype so",
      "6", 1, SEC_ICE_TRANSPORT_TCP, 1006632959u, "203.0.113.45", 42128,
      SEC_ICE_CANDIDATE_SRFLX, "192.168.1.33", 42128, SEC_ICE_TCP_SO,
      "candidate:6 1 TCP 1006632959 203.0.113.45 42128 typ srflx "
      "raddr 192.168.1.33 rport 42128 tcptype so"},
  /* libnice, prflx with an ice-char foundation and IPv6 relay address */
  {"candidate:a+b/C9 1 UDP 1862270975 2001:db8::77 50001 typ prflx "
      "raddr 2001:db8::1 rport 50000",
      "a+b/C9", 1, SEC_ICE_TRANSPORT_UDP, 1862270975u, "2001:db8::77",
      50001, SEC_ICE_CANDIDATE_PRFLX, "2001:db8::1", 50000,
      SEC_ICE_TCP_NONE,
      "candidate:a+b/C9 1 UDP 1862270975 2001:db8::77 50001 typ prflx "
      "raddr 2001:db8::1 rport 50000"},
  /* limits: 32-char foundation, component 256, priority 2^32-1,
   * a 63-character name, port 65535 */
  {"candidate:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 256 UDP 4294967295 "
      "a23456789.b23456789.c23456789.d23456789.e23456789.f23456789.g23 "
      "65535 typ host",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 256, SEC_ICE_TRANSPORT_UDP,
      4294967295u,
      "a23456789.b23456789.c23456789.d23456789.e23456789.f23456789.g23",
      65535, SEC_ICE_CANDIDATE_HOST, NULL, 0, SEC_ICE_TCP_NONE,
      "candidate:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 256 UDP 4294967295 "
      "a23456789.b23456789.c23456789.d23456789.e23456789.f23456789.g23 "
      "65535 typ host"},
};

static void
assert_candidate_fields (const SecIceCandidate * candidate,
    const ValidCandidate * expected)
{
  g_assert_cmpstr (candidate->foundation, ==, expected->foundation);
  g_assert_cmpuint (candidate->component, ==, expected->component);
  g_assert_cmpint (candidate->transport, ==, expected->transport);
  g_assert_cmpuint (candidate->priority, ==, expected->priority);
  g_assert_cmpstr (candidate->address, ==, expected->address);
  g_assert_cmpuint (candidate->port, ==, expected->port);
  g_assert_cmpint (candidate->type, ==, expected->type);
  g_assert_cmpint (candidate->tcp_type, ==, expected->tcp_type);
  if (expected->related_address != NULL) {
    g_assert_true (candidate->has_related);
    g_assert_cmpstr (candidate->related_address, ==,
        expected->related_address);
    g_assert_cmpuint (candidate->related_port, ==, expected->related_port);
  } else {
    g_assert_false (candidate->has_related);
  }
}

static void
assert_parse_fails (const gchar * text, gint code, const gchar * in_message)
{
  SecIceCandidate candidate;
  GError *error = NULL;

  if (sec_ice_candidate_parse (text, &candidate, &error))
    g_error ("'%s' parsed, expected an error", text);
  g_assert_error (error, SEC_ICE_ERROR, code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("error for '%s' is \"%s\", expected it to contain \"%s\"",
        text, error->message, in_message);
  g_clear_error (&error);
}

static void
test_type_names (void)
{
  g_assert_cmpstr (sec_ice_candidate_type_name (SEC_ICE_CANDIDATE_HOST), ==,
      "host");
  g_assert_cmpstr (sec_ice_candidate_type_name (SEC_ICE_CANDIDATE_SRFLX), ==,
      "srflx");
  g_assert_cmpstr (sec_ice_candidate_type_name (SEC_ICE_CANDIDATE_PRFLX), ==,
      "prflx");
  g_assert_cmpstr (sec_ice_candidate_type_name (SEC_ICE_CANDIDATE_RELAY), ==,
      "relay");
}

static void
test_valid (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (valid_candidates); i++) {
    const ValidCandidate *expected = &valid_candidates[i];
    SecIceCandidate candidate;
    GError *error = NULL;
    gchar *text;

    if (!sec_ice_candidate_parse (expected->text, &candidate, &error))
      g_error ("'%s' refused: %s", expected->text, error->message);
    assert_candidate_fields (&candidate, expected);
    text = sec_ice_candidate_to_string (&candidate);
    g_assert_cmpstr (text, ==, expected->canonical);
    g_free (text);
  }
}

/* parse -> to_string -> parse gives an equal candidate, and the
 * canonical text is a fixed point */
static void
test_roundtrip (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (valid_candidates); i++) {
    SecIceCandidate candidate, again;
    gchar *text, *text_again;

    g_assert_true (sec_ice_candidate_parse (valid_candidates[i].text,
            &candidate, NULL));
    text = sec_ice_candidate_to_string (&candidate);
    g_assert_true (sec_ice_candidate_parse (text, &again, NULL));
    g_assert_true (sec_ice_candidate_equal (&candidate, &again));
    assert_candidate_fields (&again, &valid_candidates[i]);
    text_again = sec_ice_candidate_to_string (&again);
    g_assert_cmpstr (text, ==, text_again);
    /* and with an SDP "a=" in front */
    g_free (text_again);
    text_again = g_strconcat ("a=", text, "\r\n", NULL);
    g_assert_true (sec_ice_candidate_parse (text_again, &again, NULL));
    g_assert_true (sec_ice_candidate_equal (&candidate, &again));
    g_free (text_again);
    g_free (text);
  }
}

static void
test_equal (void)
{
  SecIceCandidate a, b;

  g_assert_true (sec_ice_candidate_parse (valid_candidates[2].text, &a,
          NULL));
  b = a;
  g_assert_true (sec_ice_candidate_equal (&a, &b));
  b.related_port++;
  g_assert_false (sec_ice_candidate_equal (&a, &b));
  b = a;
  b.priority--;
  g_assert_false (sec_ice_candidate_equal (&a, &b));
  b = a;
  b.address[0] = '1';
  g_assert_false (sec_ice_candidate_equal (&a, &b));
  b = a;
  b.foundation[3] = '\0';
  g_assert_false (sec_ice_candidate_equal (&a, &b));
  b = a;
  b.has_related = FALSE;
  g_assert_false (sec_ice_candidate_equal (&a, &b));
  /* the extensions are not kept, so they do not count */
  g_assert_true (sec_ice_candidate_parse (valid_candidates[2].canonical, &b,
          NULL));
  g_assert_true (sec_ice_candidate_equal (&a, &b));
}

static void
test_separators_and_case (void)
{
  static const gchar *const variants[] = {
    "candidate:842163049  1   udp 1677729535 203.0.113.45 51275 typ srflx "
        "raddr 192.168.0.56 rport 44323",
    "candidate:842163049\t1\tUDP\t1677729535 203.0.113.45 51275 typ\tsrflx "
        "raddr  192.168.0.56  rport\t44323  generation 0",
    "  a=candidate:842163049 1 Udp 1677729535 203.0.113.45 51275 typ srflx "
        "raddr 192.168.0.56 rport 44323 \r\n",
    /* RFC 4566 §9 port = 1*DIGIT: leading zeros of any number */
    "candidate:842163049 1 uDp 1677729535 203.0.113.45 0000051275 typ srflx "
        "raddr 192.168.0.56 rport 044323",
    "candidate:842163049 001 UDP 1677729535 203.0.113.45 51275 typ srflx "
        "raddr 192.168.0.56 rport 44323",
  };
  SecIceCandidate reference, parsed;
  gsize i;

  g_assert_true (sec_ice_candidate_parse (valid_candidates[2].canonical,
          &reference, NULL));
  for (i = 0; i < G_N_ELEMENTS (variants); i++) {
    GError *error = NULL;
    gchar *text;

    if (!sec_ice_candidate_parse (variants[i], &parsed, &error))
      g_error ("variant '%s' refused: %s", variants[i], error->message);
    g_assert_true (sec_ice_candidate_equal (&parsed, &reference));
    text = sec_ice_candidate_to_string (&parsed);
    g_assert_cmpstr (text, ==, valid_candidates[2].canonical);
    g_free (text);
  }

  /* "candidate:" and "typ" are case-sensitive, as is the SDP "a=" */
  assert_parse_fails ("Candidate:1 1 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "does not start with 'candidate:'");
  assert_parse_fails ("A=candidate:1 1 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "does not start with 'candidate:'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 TYP host",
      SEC_ICE_ERROR_INVALID, "'TYP' where 'typ' was expected");
  /* a line break is not a separator */
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000\ntyp host",
      SEC_ICE_ERROR_INVALID, "port '5000\\x0atyp' is not a number");
}

static void
test_invalid (void)
{
  SecIceCandidate candidate;
  GError *error = NULL;
  GString *long_text;

  assert_parse_fails (NULL, SEC_ICE_ERROR_INVALID, "no candidate");
  assert_parse_fails ("", SEC_ICE_ERROR_INVALID, "empty");
  assert_parse_fails (" \r\n", SEC_ICE_ERROR_INVALID, "empty");
  assert_parse_fails ("a=", SEC_ICE_ERROR_INVALID,
      "does not start with 'candidate:'");
  assert_parse_fails ("1 1 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "'1 1 UDP 1 192.0.2.1 5000 typ host' does not "
      "start with 'candidate:'");
  assert_parse_fails ("candidate:", SEC_ICE_ERROR_INVALID,
      "candidate has no foundation");

  /* foundation */
  assert_parse_fails ("candidate:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 1 UDP 1 "
      "192.0.2.1 5000 typ host", SEC_ICE_ERROR_INVALID,
      "foundation 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456' is longer than 32");
  assert_parse_fails ("candidate:12-34 1 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "foundation '12-34' has a character other");
  assert_parse_fails ("candidate:1\x01 1 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "foundation '1\\x01'");

  /* component */
  assert_parse_fails ("candidate:1", SEC_ICE_ERROR_INVALID,
      "candidate has no component id");
  assert_parse_fails ("candidate:1 0 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "component id '0' is not in 1..256");
  assert_parse_fails ("candidate:1 257 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "component id '257' is not in 1..256");
  assert_parse_fails ("candidate:1 0001 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "component id '0001' is not in 1..256");
  assert_parse_fails ("candidate:1 x UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "component id 'x' is not a number");
  assert_parse_fails ("candidate:1 -1 UDP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "component id '-1' is not a number");

  /* transport */
  assert_parse_fails ("candidate:1 1", SEC_ICE_ERROR_INVALID,
      "candidate has no transport");
  assert_parse_fails ("candidate:1 1 SCTP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_UNSUPPORTED, "transport 'SCTP' is not supported");
  assert_parse_fails ("candidate:1 1 ssltcp 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_UNSUPPORTED, "transport 'ssltcp' is not supported");
  /* an unknown transport is only unsupported if the rest is well formed */
  assert_parse_fails ("candidate:1 1 SCTP 1 192.0.2.1 x typ host",
      SEC_ICE_ERROR_INVALID, "port 'x' is not a number");
  assert_parse_fails ("candidate:1 1 U\"DP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "transport 'U\"DP' is not a token");

  /* priority */
  assert_parse_fails ("candidate:1 1 UDP", SEC_ICE_ERROR_INVALID,
      "candidate has no priority");
  assert_parse_fails ("candidate:1 1 UDP 99999999999 192.0.2.1 5000 typ "
      "host", SEC_ICE_ERROR_INVALID,
      "candidate priority '99999999999' does not fit 32 bits");
  assert_parse_fails ("candidate:1 1 UDP 4294967296 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "priority '4294967296' does not fit 32 bits");
  assert_parse_fails ("candidate:1 1 UDP 00000000001 192.0.2.1 5000 typ "
      "host", SEC_ICE_ERROR_INVALID, "does not fit 32 bits");
  assert_parse_fails ("candidate:1 1 UDP 12a4 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "priority '12a4' is not a number");
  assert_parse_fails ("candidate:1 1 UDP +1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "priority '+1' is not a number");

  /* connection address */
  assert_parse_fails ("candidate:1 1 UDP 1", SEC_ICE_ERROR_INVALID,
      "candidate has no connection address");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.256 5000 typ host",
      SEC_ICE_ERROR_INVALID, "connection address '192.0.2.256' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2 5000 typ host",
      SEC_ICE_ERROR_INVALID, "connection address '192.0.2' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 2001:db8:::1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "'2001:db8:::1' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 [2001:db8::1] 5000 typ host",
      SEC_ICE_ERROR_INVALID, "'[2001:db8::1]' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 fe80::1%eth0 5000 typ host",
      SEC_ICE_ERROR_INVALID, "'fe80::1%eth0' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 host_name.local 5000 typ host",
      SEC_ICE_ERROR_INVALID, "'host_name.local' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 -abc.local 5000 typ host",
      SEC_ICE_ERROR_INVALID, "'-abc.local' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 abc..local 5000 typ host",
      SEC_ICE_ERROR_INVALID, "'abc..local' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 "
      "a23456789.b23456789.c23456789.d23456789.e23456789.f23456789.g234 "
      "5000 typ host", SEC_ICE_ERROR_INVALID, "is longer than 63 characters");

  /* port */
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1", SEC_ICE_ERROR_INVALID,
      "candidate has no port");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 65536 typ host",
      SEC_ICE_ERROR_INVALID, "port '65536' is not in 0..65535");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 123456 typ host",
      SEC_ICE_ERROR_INVALID, "port '123456' is not in 0..65535");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5o00 typ host",
      SEC_ICE_ERROR_INVALID, "port '5o00' is not a number");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 0 typ host",
      SEC_ICE_ERROR_INVALID, "port 0 is only valid for TCP active");
  assert_parse_fails ("candidate:1 1 TCP 1 192.0.2.1 0 typ host "
      "tcptype passive", SEC_ICE_ERROR_INVALID,
      "port 0 is only valid for TCP active");
  assert_parse_fails ("candidate:1 1 TCP 1 192.0.2.1 0 typ host tcptype so",
      SEC_ICE_ERROR_INVALID, "port 0 is only valid for TCP active");

  /* typ */
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000",
      SEC_ICE_ERROR_INVALID, "candidate has no 'typ'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 host",
      SEC_ICE_ERROR_INVALID, "candidate has 'host' where 'typ' was expected");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ",
      SEC_ICE_ERROR_INVALID, "candidate has no type after 'typ'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ local",
      SEC_ICE_ERROR_UNSUPPORTED, "type 'local' is not supported");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ HOST",
      SEC_ICE_ERROR_UNSUPPORTED, "type 'HOST' is not supported");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ ho(st",
      SEC_ICE_ERROR_INVALID, "type 'ho(st' is not a token");

  /* raddr / rport */
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx "
      "raddr 10.0.0.1", SEC_ICE_ERROR_INVALID,
      "candidate has 'raddr' without 'rport'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx "
      "raddr 10.0.0.1 generation 0", SEC_ICE_ERROR_INVALID,
      "'raddr' without 'rport'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx "
      "rport 5000", SEC_ICE_ERROR_INVALID,
      "candidate has 'rport' without 'raddr'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx raddr",
      SEC_ICE_ERROR_INVALID, "candidate has no address after 'raddr'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx "
      "raddr 10.0.0.1 rport", SEC_ICE_ERROR_INVALID,
      "candidate has no port after 'rport'");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx "
      "raddr 10.0.0.300 rport 1", SEC_ICE_ERROR_INVALID,
      "related address '10.0.0.300' is neither");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx "
      "raddr 10.0.0.1 rport 70000", SEC_ICE_ERROR_INVALID,
      "related port '70000' is not in 0..65535");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ srflx "
      "raddr 10.0.0.1 rport 1 raddr 10.0.0.2 rport 2", SEC_ICE_ERROR_INVALID,
      "candidate has 'raddr' twice");

  /* tcptype, RFC 6544 §4.5 */
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ host "
      "tcptype passive", SEC_ICE_ERROR_INVALID,
      "UDP candidate has a tcptype");
  assert_parse_fails ("candidate:1 1 TCP 1 192.0.2.1 5000 typ host",
      SEC_ICE_ERROR_INVALID, "TCP candidate has no tcptype");
  assert_parse_fails ("candidate:1 1 TCP 1 192.0.2.1 5000 typ host "
      "generation 0", SEC_ICE_ERROR_INVALID, "TCP candidate has no tcptype");
  assert_parse_fails ("candidate:1 1 TCP 1 192.0.2.1 5000 typ host "
      "tcptype listen", SEC_ICE_ERROR_INVALID,
      "tcptype 'listen' is not active, passive or so");
  assert_parse_fails ("candidate:1 1 TCP 1 192.0.2.1 5000 typ host "
      "tcptype", SEC_ICE_ERROR_INVALID, "no value after 'tcptype'");
  assert_parse_fails ("candidate:1 1 TCP 1 192.0.2.1 5000 typ host "
      "tcptype so tcptype so", SEC_ICE_ERROR_INVALID,
      "candidate has 'tcptype' twice");

  /* extensions */
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ host "
      "generation", SEC_ICE_ERROR_INVALID,
      "extension 'generation' has no value");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ host "
      "generation 0 ufrag", SEC_ICE_ERROR_INVALID,
      "extension 'ufrag' has no value");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ host "
      "gen(eration 0", SEC_ICE_ERROR_INVALID,
      "extension name 'gen(eration' is not a token");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ host "
      "ufrag ab\x7f", SEC_ICE_ERROR_INVALID,
      "extension 'ufrag' has a value with characters that are not visible");
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ host "
      "ufrag \xc3\xa9t\xc3\xa9", SEC_ICE_ERROR_INVALID,
      "extension 'ufrag' has a value");

  /* a failed parse leaves the output alone */
  memset (&candidate, 0xa5, sizeof (candidate));
  g_assert_false (sec_ice_candidate_parse ("candidate:1 1 UDP 1 192.0.2.1 "
          "5000 typ host generation", &candidate, NULL));
  g_assert_cmpuint (candidate.component, ==, 0xa5a5a5a5u);

  /* untrusted text in messages is escaped and cut short */
  assert_parse_fails ("candidate:1 1 UDP 1 192.0.2.1 5000 typ h\\o'\xff",
      SEC_ICE_ERROR_INVALID, "type 'h\\x5co\\x27\\xff' is not a token");
  long_text = g_string_new ("candidate:");
  while (long_text->len < 10000)
    g_string_append (long_text, "abcdefgh");
  g_string_append (long_text, " 1 UDP 1 192.0.2.1 5000 typ host");
  g_assert_false (sec_ice_candidate_parse (long_text->str, &candidate,
          &error));
  g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "foundation 'abcdefgh"));
  g_assert_nonnull (strstr (error->message, "...'"));
  g_assert_cmpuint (strlen (error->message), <, 120);
  g_clear_error (&error);
  g_string_free (long_text, TRUE);

  long_text = g_string_new ("candidate:1 1 UDP 1 ");
  while (long_text->len < 10000)
    g_string_append (long_text, "\x01\x02");
  g_string_append (long_text, " 5000 typ host");
  g_assert_false (sec_ice_candidate_parse (long_text->str, &candidate,
          &error));
  g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "'\\x01\\x02"));
  g_assert_cmpuint (strlen (error->message), <, 120);
  g_clear_error (&error);
  g_string_free (long_text, TRUE);
}

/* libnice stun/tests/test-parse.c style: every prefix of a valid
 * attribute either fails cleanly or, once the mandatory fields through
 * the type are complete, may parse (a cut before optional extensions);
 * what parses agrees with the full attribute on the mandatory fields and
 * round-trips. Exact-size heap copies, so that a read past the end shows
 * under valgrind or ASan. */
static void
test_every_prefix (void)
{
  gsize i, len;

  for (i = 0; i < G_N_ELEMENTS (valid_candidates); i++) {
    const ValidCandidate *expected = &valid_candidates[i];
    const gchar *typ = strstr (expected->text, " typ ");
    gsize full_len = strlen (expected->text);
    gsize mandatory_len;
    guint n_parsed = 0;

    g_assert_nonnull (typ);
    mandatory_len = (gsize) (typ - expected->text) + strlen (" typ ")
        + strlen (sec_ice_candidate_type_name (expected->type));

    for (len = 0; len < full_len; len++) {
      gchar *prefix = g_strndup (expected->text, len);
      SecIceCandidate candidate;
      GError *error = NULL;

      if (sec_ice_candidate_parse (prefix, &candidate, &error)) {
        SecIceCandidate again;
        gchar *text;

        if (len < mandatory_len)
          g_error ("prefix '%s' of a mandatory field parsed", prefix);
        g_assert_cmpstr (candidate.foundation, ==, expected->foundation);
        g_assert_cmpuint (candidate.component, ==, expected->component);
        g_assert_cmpint (candidate.transport, ==, expected->transport);
        g_assert_cmpuint (candidate.priority, ==, expected->priority);
        g_assert_cmpstr (candidate.address, ==, expected->address);
        g_assert_cmpuint (candidate.port, ==, expected->port);
        g_assert_cmpint (candidate.type, ==, expected->type);
        text = sec_ice_candidate_to_string (&candidate);
        g_assert_true (sec_ice_candidate_parse (text, &again, NULL));
        g_assert_true (sec_ice_candidate_equal (&candidate, &again));
        g_free (text);
        n_parsed++;
      } else {
        g_assert_nonnull (error);
        g_assert_true (error->domain == SEC_ICE_ERROR);
        g_assert_true (error->code == SEC_ICE_ERROR_INVALID
            || error->code == SEC_ICE_ERROR_UNSUPPORTED);
        g_assert_nonnull (error->message);
        g_clear_error (&error);
      }
      g_free (prefix);
    }
    /* UDP attributes with something after the type have a valid prefix
     * (the one cut right after the type); TCP ones need their tcptype */
    if (full_len > mandatory_len
        && expected->transport == SEC_ICE_TRANSPORT_UDP)
      g_assert_cmpuint (n_parsed, >, 0);
  }
}

static void
test_addresses (void)
{
  static const gchar *const ips[] = {
    "192.0.2.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1",
    "::ffff:192.0.2.1", "2001:db8:0:0:0:0:0:1",
    "fe80:0000:0000:0000:0204:61ff:fe9d:f156",
  };
  static const gchar *const names[] = {
    "localhost", "stun.example.org",
    "c2a1b7e2-9c3d-4f0e-8a6b-1d2e3f4a5b6c.local", "a", "1a.example",
    "xn--bcher-kva.example", "EXAMPLE.ORG",
  };
  static const gchar *const invalid[] = {
    "", "192.0.2", "192.0.2.256", "01.2.3.4", "1234", "1.2.3.4.",
    ".example", "example.", "a..b", "-a.example", "a-.example", "a_b",
    "[::1]", "fe80::1%eth0", "::1::", "1:2:3:4:5:6:7:8:9", "a b", "a\nb",
    "exa\xc3\xa9mple",
  };
  gchar *label64, *name255;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (ips); i++) {
    if (!sec_ice_address_is_ip (ips[i]) || !sec_ice_address_is_valid (ips[i]))
      g_error ("'%s' refused as an IP address", ips[i]);
  }
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    g_assert_false (sec_ice_address_is_ip (names[i]));
    if (!sec_ice_address_is_valid (names[i]))
      g_error ("'%s' refused as a host name", names[i]);
  }
  for (i = 0; i < G_N_ELEMENTS (invalid); i++) {
    g_assert_false (sec_ice_address_is_ip (invalid[i]));
    if (sec_ice_address_is_valid (invalid[i]))
      g_error ("'%s' taken as an address", invalid[i]);
  }

  /* RFC 1035 §2.3.4: labels of at most 63, names of at most 253 */
  label64 = g_strnfill (64, 'a');
  g_assert_false (sec_ice_address_is_valid (label64));
  label64[63] = '\0';
  g_assert_true (sec_ice_address_is_valid (label64));
  g_free (label64);
  name255 = g_strnfill (255, 'a');
  for (i = 1; i < 255; i += 2)
    name255[i] = '.';
  g_assert_false (sec_ice_address_is_valid (name255));
  name255[253] = '\0';
  g_assert_true (sec_ice_address_is_valid (name255));
  g_free (name255);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ice/candidate/type-names", test_type_names);
  g_test_add_func ("/ice/candidate/valid", test_valid);
  g_test_add_func ("/ice/candidate/roundtrip", test_roundtrip);
  g_test_add_func ("/ice/candidate/equal", test_equal);
  g_test_add_func ("/ice/candidate/separators-and-case",
      test_separators_and_case);
  g_test_add_func ("/ice/candidate/invalid", test_invalid);
  g_test_add_func ("/ice/candidate/every-prefix", test_every_prefix);
  g_test_add_func ("/ice/candidate/addresses", test_addresses);
  return g_test_run ();
}
