/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The data channel core (ext/sctp/dcep.c): DATA_CHANNEL_OPEN and
 * DATA_CHANNEL_ACK (RFC 8832) byte for byte, every field's limits and
 * every way a peer's message can be wrong, and the message framing of
 * RFC 8831 §6.6 (PPIDs, empty messages, stream ids per DTLS role).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dcep.h"

#include <string.h>

/* RFC 8832 §5.1, a reliable ordered channel "chat" with protocol "xmpp",
 * priority normal, written out by hand */
static const guint8 open_chat[] = {
  0x03, 0x00, 0x01, 0x00,       /* OPEN, reliable ordered, priority 256 */
  0x00, 0x00, 0x00, 0x00,       /* reliability parameter */
  0x00, 0x04, 0x00, 0x04,       /* label and protocol lengths */
  'c', 'h', 'a', 't', 'x', 'm', 'p', 'p',
};

static void
expect_error (const guint8 * data, gsize size, gint code, const gchar * part)
{
  SecDcepOpen open = { 0, };
  SecDcepType type;
  GError *error = NULL;

  g_assert_false (sec_dcep_parse (data, size, &type, &open, &error));
  g_assert_error (error, SEC_DCEP_ERROR, code);
  if (strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
  g_assert_null (open.label);
  g_error_free (error);
}

static void
test_open_parse (void)
{
  SecDcepOpen open = { 0, };
  SecDcepType type = 0;
  GError *error = NULL;

  g_assert_true (sec_dcep_parse (open_chat, sizeof (open_chat), &type,
          &open, &error));
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, SEC_DCEP_OPEN);
  g_assert_true (open.ordered);
  g_assert_cmpint (open.reliability, ==, SEC_DC_RELIABLE);
  g_assert_cmpuint (open.reliability_parameter, ==, 0);
  g_assert_cmpuint (open.priority, ==, SEC_DC_PRIORITY_NORMAL);
  g_assert_cmpstr (open.label, ==, "chat");
  g_assert_cmpstr (open.protocol, ==, "xmpp");
  sec_dcep_open_clear (&open);
}

static void
test_open_round_trip (void)
{
  static const struct
  {
    gboolean ordered;
    SecDcReliability reliability;
    guint32 parameter;
    guint8 channel_type;
  } cases[] = {
    {TRUE, SEC_DC_RELIABLE, 0, 0x00},
    {FALSE, SEC_DC_RELIABLE, 0, 0x80},
    {TRUE, SEC_DC_PARTIAL_RELIABLE_REXMIT, 3, 0x01},
    {FALSE, SEC_DC_PARTIAL_RELIABLE_REXMIT, 0, 0x81},
    {TRUE, SEC_DC_PARTIAL_RELIABLE_TIMED, 1500, 0x02},
    {FALSE, SEC_DC_PARTIAL_RELIABLE_TIMED, G_MAXUINT32, 0x82},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    SecDcepOpen in = { cases[i].ordered, cases[i].reliability,
      cases[i].parameter, SEC_DC_PRIORITY_HIGH, (gchar *) "l\xc3\xa9",
      (gchar *) ""
    };
    SecDcepOpen out = { 0, };
    SecDcepType type;
    GError *error = NULL;
    GBytes *bytes = sec_dcep_build_open (&in, &error);
    gsize size;
    const guint8 *data = g_bytes_get_data (bytes, &size);

    g_assert_no_error (error);
    g_assert_cmpuint (size, ==, 12 + 3);
    g_assert_cmpuint (data[1], ==, cases[i].channel_type);
    g_assert_true (sec_dcep_parse (data, size, &type, &out, &error));
    g_assert_no_error (error);
    g_assert_cmpint (out.ordered, ==, cases[i].ordered);
    g_assert_cmpint (out.reliability, ==, cases[i].reliability);
    g_assert_cmpuint (out.reliability_parameter, ==, cases[i].parameter);
    g_assert_cmpuint (out.priority, ==, SEC_DC_PRIORITY_HIGH);
    g_assert_cmpstr (out.label, ==, "l\xc3\xa9");
    g_assert_cmpstr (out.protocol, ==, "");
    sec_dcep_open_clear (&out);
    g_bytes_unref (bytes);
  }
}

static void
test_open_limits (void)
{
  gchar *long_label = g_strnfill (65535, 'a');
  gchar *too_long = g_strnfill (65536, 'a');
  SecDcepOpen in = { TRUE, SEC_DC_RELIABLE, 7, 0, long_label, NULL };
  SecDcepOpen out = { 0, };
  SecDcepType type;
  GError *error = NULL;
  GBytes *bytes = sec_dcep_build_open (&in, &error);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  /* the largest label, and a reliable channel's parameter written 0 */
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, 12 + 65535);
  g_assert_true (sec_dcep_parse (data, size, &type, &out, &error));
  g_assert_cmpuint (strlen (out.label), ==, 65535);
  g_assert_cmpuint (out.reliability_parameter, ==, 0);
  sec_dcep_open_clear (&out);
  g_bytes_unref (bytes);

  in.label = too_long;
  g_assert_null (sec_dcep_build_open (&in, &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_TOO_LONG);
  g_clear_error (&error);
  in.label = NULL;
  in.protocol = too_long;
  g_assert_null (sec_dcep_build_open (&in, &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_TOO_LONG);
  g_clear_error (&error);
  in.protocol = (gchar *) "\xff";
  g_assert_null (sec_dcep_build_open (&in, &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  g_clear_error (&error);
  g_free (long_label);
  g_free (too_long);
}

static void
test_open_refused (void)
{
  guint8 bad[sizeof (open_chat) + 1];
  gsize i;

  /* every truncation */
  for (i = 0; i < sizeof (open_chat); i++)
    expect_error (open_chat, i, SEC_DCEP_ERROR_TRUNCATED,
        i == 0 ? "empty" : "DATA_CHANNEL_OPEN");
  /* bytes after the protocol */
  memcpy (bad, open_chat, sizeof (open_chat));
  bad[sizeof (open_chat)] = 'x';
  expect_error (bad, sizeof (bad), SEC_DCEP_ERROR_INVALID, "make 20");
  /* channel types */
  memcpy (bad, open_chat, sizeof (open_chat));
  bad[1] = 0x03;
  expect_error (bad, sizeof (open_chat), SEC_DCEP_ERROR_UNSUPPORTED,
      "channel type 0x03");
  bad[1] = 0x40;
  expect_error (bad, sizeof (open_chat), SEC_DCEP_ERROR_UNSUPPORTED,
      "channel type 0x40");
  /* a reliable channel with a parameter */
  memcpy (bad, open_chat, sizeof (open_chat));
  bad[7] = 5;
  expect_error (bad, sizeof (open_chat), SEC_DCEP_ERROR_INVALID,
      "reliability parameter 5");
  /* label and protocol: UTF-8 without NUL */
  memcpy (bad, open_chat, sizeof (open_chat));
  bad[13] = 0xc3;
  expect_error (bad, sizeof (open_chat), SEC_DCEP_ERROR_INVALID, "label");
  memcpy (bad, open_chat, sizeof (open_chat));
  bad[13] = 0;
  expect_error (bad, sizeof (open_chat), SEC_DCEP_ERROR_INVALID, "label");
  memcpy (bad, open_chat, sizeof (open_chat));
  bad[19] = 0xff;
  expect_error (bad, sizeof (open_chat), SEC_DCEP_ERROR_INVALID, "protocol");
  /* lengths larger than the message */
  memcpy (bad, open_chat, sizeof (open_chat));
  bad[8] = 0xff;
  expect_error (bad, sizeof (open_chat), SEC_DCEP_ERROR_TRUNCATED,
      "label (65284)");
}

static void
test_ack_and_types (void)
{
  static const guint8 ack[] = { 0x02 }, long_ack[] = { 0x02, 0x00 };
  static const guint8 unknown[] = { 0x01 };
  GBytes *bytes = sec_dcep_build_ack ();
  SecDcepOpen open = { 0, };
  SecDcepType type = 0;
  gsize size;

  g_assert_true (sec_dcep_parse (ack, 1, &type, &open, NULL));
  g_assert_cmpint (type, ==, SEC_DCEP_ACK);
  g_assert_null (open.label);
  g_assert_cmpmem (g_bytes_get_data (bytes, &size), 1, ack, 1);
  g_bytes_unref (bytes);
  expect_error (long_ack, 2, SEC_DCEP_ERROR_INVALID, "ACK of 2 bytes");
  expect_error (unknown, 1, SEC_DCEP_ERROR_UNSUPPORTED, "type 0x01");
  expect_error (NULL, 0, SEC_DCEP_ERROR_TRUNCATED, "empty");
}

static void
test_message_framing (void)
{
  static const guint8 hello[] = "hello";
  gboolean binary = FALSE;
  gsize size = 99, payload_size = 0;
  const guint8 *payload;
  GError *error = NULL;

  /* sending */
  g_assert_cmpuint (sec_dc_message_ppid (FALSE, 5), ==, 51);
  g_assert_cmpuint (sec_dc_message_ppid (TRUE, 5), ==, 53);
  g_assert_cmpuint (sec_dc_message_ppid (FALSE, 0), ==, 56);
  g_assert_cmpuint (sec_dc_message_ppid (TRUE, 0), ==, 57);
  payload = sec_dc_message_payload (hello, 5, &payload_size);
  g_assert_true (payload == hello);
  g_assert_cmpuint (payload_size, ==, 5);
  payload = sec_dc_message_payload (NULL, 0, &payload_size);
  g_assert_cmpuint (payload_size, ==, 1);
  g_assert_cmpuint (payload[0], ==, 0);

  /* receiving */
  g_assert_true (sec_dc_message_parse (51, hello, 5, &binary, &size, NULL));
  g_assert_false (binary);
  g_assert_cmpuint (size, ==, 5);
  g_assert_true (sec_dc_message_parse (53, (const guint8 *) "\xff\x00", 2,
          &binary, &size, NULL));
  g_assert_true (binary);
  g_assert_cmpuint (size, ==, 2);
  g_assert_true (sec_dc_message_parse (56, (const guint8 *) "\x07", 1,
          &binary, &size, NULL));
  g_assert_false (binary);
  g_assert_cmpuint (size, ==, 0);
  g_assert_true (sec_dc_message_parse (57, (const guint8 *) "\x00", 1,
          &binary, &size, NULL));
  g_assert_true (binary);
  g_assert_cmpuint (size, ==, 0);

  g_assert_false (sec_dc_message_parse (51, (const guint8 *) "\xc3", 1,
          &binary, &size, &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sec_dc_message_parse (51, hello, 0, &binary, &size,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sec_dc_message_parse (57, hello, 2, &binary, &size,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sec_dc_message_parse (50, hello, 1, &binary, &size,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (sec_dc_message_parse (52, hello, 1, &binary, &size,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "deprecated"));
  g_clear_error (&error);
  g_assert_false (sec_dc_message_parse (0, hello, 1, &binary, &size,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED);
  g_clear_error (&error);
}

static void
test_stream_ids (void)
{
  /* RFC 8832 §6: the DTLS client even, the server odd; 65535 reserved */
  g_assert_true (sec_dc_stream_id_ours (0, TRUE));
  g_assert_false (sec_dc_stream_id_ours (0, FALSE));
  g_assert_true (sec_dc_stream_id_ours (1, FALSE));
  g_assert_false (sec_dc_stream_id_ours (1, TRUE));
  g_assert_true (sec_dc_stream_id_ours (65534, TRUE));
  g_assert_false (sec_dc_stream_id_ours (65535, FALSE));
  g_assert_true (sec_dc_stream_id_valid (65534));
  g_assert_false (sec_dc_stream_id_valid (65535));
  g_assert_false (sec_dc_stream_id_valid (70000));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dcep/open-parse", test_open_parse);
  g_test_add_func ("/dcep/open-round-trip", test_open_round_trip);
  g_test_add_func ("/dcep/open-limits", test_open_limits);
  g_test_add_func ("/dcep/open-refused", test_open_refused);
  g_test_add_func ("/dcep/ack-and-types", test_ack_and_types);
  g_test_add_func ("/dcep/message-framing", test_message_framing);
  g_test_add_func ("/dcep/stream-ids", test_stream_ids);
  return g_test_run ();
}
