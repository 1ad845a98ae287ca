/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "seccheck.h"

#include <stdlib.h>
#include <string.h>

static gchar *
canonical (const gchar * path)
{
  char *real = realpath (path, NULL);
  gchar *ret = g_strdup (real ? real : path);

  free (real);
  return ret;
}

void
sec_check_factory_is_ours (const gchar * factory_name)
{
  GstElementFactory *factory = gst_element_factory_find (factory_name);
  GstPlugin *plugin;
  const gchar *build_root = g_getenv ("SEC_BUILD_ROOT");
  gchar *root, *file;

  fail_unless (build_root != NULL,
      "SEC_BUILD_ROOT is not set: run the tests through meson test");
  fail_unless (factory != NULL, "factory %s not found", factory_name);
  plugin = gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (factory));
  fail_unless (plugin != NULL);
  fail_unless (gst_plugin_get_filename (plugin) != NULL);

  root = canonical (build_root);
  file = canonical (gst_plugin_get_filename (plugin));
  fail_unless (g_str_has_prefix (file, root),
      "factory %s comes from %s, not from our build tree %s", factory_name,
      file, root);
  g_free (root);
  g_free (file);
  gst_object_unref (plugin);
  gst_object_unref (factory);
}

void
sec_check_factory_absent (const gchar * factory_name)
{
  GstElementFactory *factory = gst_element_factory_find (factory_name);

  if (factory) {
    GstPlugin *plugin =
        gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (factory));

    fail ("%s is visible to the test (from %s): the test environment must "
        "keep same-purpose system plugins out", factory_name,
        plugin ? gst_plugin_get_filename (plugin) : "?");
  }
}

GstBuffer *
sec_check_rtp_buffer_new (guint32 ssrc, guint16 seq, guint32 timestamp,
    gsize payload_len)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 12 + payload_len, NULL);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  map.data[0] = 0x80;
  map.data[1] = 96;
  GST_WRITE_UINT16_BE (map.data + 2, seq);
  GST_WRITE_UINT32_BE (map.data + 4, timestamp);
  GST_WRITE_UINT32_BE (map.data + 8, ssrc);
  for (i = 0; i < payload_len; i++)
    map.data[12 + i] = (guint8) (seq * 7 + i);
  gst_buffer_unmap (buf, &map);
  return buf;
}

GstBuffer *
sec_check_rtcp_buffer_new (guint32 ssrc)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 28, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, 0, 28);
  map.data[0] = 0x80;           /* V=2, no reports */
  map.data[1] = 200;            /* SR */
  GST_WRITE_UINT16_BE (map.data + 2, 6);        /* length in words - 1 */
  GST_WRITE_UINT32_BE (map.data + 4, ssrc);
  GST_WRITE_UINT32_BE (map.data + 8, 0xdeadbeef);       /* NTP msw */
  GST_WRITE_UINT32_BE (map.data + 12, 0x01020304);
  GST_WRITE_UINT32_BE (map.data + 16, 90000);   /* RTP timestamp */
  GST_WRITE_UINT32_BE (map.data + 20, 42);      /* packet count */
  GST_WRITE_UINT32_BE (map.data + 24, 4200);    /* octet count */
  gst_buffer_unmap (buf, &map);
  return buf;
}

GstBuffer *
sec_check_key_new (gsize len, guint8 seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, len, NULL);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < len; i++)
    map.data[i] = (guint8) (seed + i * 13);
  gst_buffer_unmap (buf, &map);
  return buf;
}

guint64
sec_check_stat (GstElement * element, guint32 ssrc, const gchar * field)
{
  GstStructure *stats = NULL;
  guint64 value = 0;

  g_object_get (element, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  if (ssrc == 0) {
    fail_unless (gst_structure_get_uint64 (stats, field, &value),
        "no field %s in %" GST_PTR_FORMAT, field, stats);
  } else {
    const GValue *streams = gst_structure_get_value (stats, "streams");
    guint i;

    for (i = 0; i < gst_value_array_get_size (streams); i++) {
      const GstStructure *s =
          gst_value_get_structure (gst_value_array_get_value (streams, i));
      guint s_ssrc;

      fail_unless (gst_structure_get_uint (s, "ssrc", &s_ssrc));
      if (s_ssrc == ssrc) {
        fail_unless (gst_structure_get_uint64 (s, field, &value),
            "no field %s in %" GST_PTR_FORMAT, field, s);
        break;
      }
    }
  }
  gst_structure_free (stats);
  return value;
}

gboolean
sec_check_buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  gboolean equal;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  equal = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return equal;
}

GstElement *
sec_check_srtp_element_new (const gchar * factory, const gchar * profile,
    GstBuffer * key)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  fail_unless (e != NULL, "no %s", factory);
  gst_util_set_object_arg (G_OBJECT (e), "profile", profile);
  if (key)
    g_object_set (e, "key", key, NULL);
  return e;
}

GstHarness *
sec_check_srtp_harness_new (GstElement * element, gboolean rtcp)
{
  GstHarness *h = gst_harness_new_with_element (element,
      rtcp ? "rtcp_sink_0" : "rtp_sink_0", rtcp ? "rtcp_src_0" : "rtp_src_0");
  gboolean enc = g_str_equal (GST_OBJECT_NAME (gst_element_get_factory
          (element)), "secsrtpenc");

  if (rtcp)
    gst_harness_set_src_caps_str (h, enc ? "application/x-rtcp" :
        "application/x-srtcp");
  else
    gst_harness_set_src_caps_str (h, enc ?
        "application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,"
        "payload=96" : "application/x-srtp,media=video,clock-rate=90000,"
        "encoding-name=VP8,payload=96");
  return h;
}

GstElement *
sec_check_find_by_factory (GstElement * bin, const gchar * factory)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (bin));
  GValue item = G_VALUE_INIT;
  GstElement *found = NULL;

  while (!found && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_equal (GST_OBJECT_NAME (f), factory))
      found = gst_object_ref (e);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}
