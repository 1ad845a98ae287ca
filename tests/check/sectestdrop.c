/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sectestdrop.h"

#include <gst/base/gstbasetransform.h>
#include <string.h>

#define SEC_TYPE_TEST_DROP (sec_test_drop_get_type ())
G_DECLARE_FINAL_TYPE (SecTestDrop, sec_test_drop, SEC, TEST_DROP,
    GstBaseTransform)

struct _SecTestDrop
{
  GstBaseTransform parent;

  /* protected by the object lock */
  gchar *drop;
  gboolean inject_garbage;
  guint64 index;
  guint64 dropped;
  guint64 forwarded;
  guint64 injected;
  guint max_size;
};

enum
{
  PROP_0,
  PROP_DROP,
  PROP_INJECT_GARBAGE,
  PROP_DROPPED,
  PROP_FORWARDED,
  PROP_INJECTED,
  PROP_MAX_SIZE,
};

G_DEFINE_TYPE (SecTestDrop, sec_test_drop, GST_TYPE_BASE_TRANSFORM);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static gboolean
index_listed (const gchar * list, guint64 index)
{
  gchar **parts;
  gboolean found = FALSE;
  guint i;

  if (list == NULL)
    return FALSE;
  parts = g_strsplit (list, ",", -1);
  for (i = 0; parts[i] && !found; i++) {
    gchar *dash = strchr (parts[i], '-');
    guint64 first = g_ascii_strtoull (parts[i], NULL, 10);
    guint64 last = dash ? g_ascii_strtoull (dash + 1, NULL, 10) : first;

    found = index >= first && index <= last;
  }
  g_strfreev (parts);
  return found;
}

/* Garbage of three kinds in turn: random bytes, a DTLS-looking record
 * with a bad length, a well-framed handshake record of random content. */
static GstBuffer *
make_garbage (guint64 n)
{
  guint8 data[96];
  guint i;

  for (i = 0; i < sizeof (data); i++)
    data[i] = (guint8) g_random_int ();
  switch (n % 3) {
    case 0:
      data[0] = 0x80 | (data[0] & 0x3f);
      break;
    case 1:
      data[0] = 22;
      data[1] = 0xfe;
      data[2] = 0xfd;
      data[11] = 0x40;
      data[12] = 0x00;
      break;
    default:
      data[0] = 22;
      data[1] = 0xfe;
      data[2] = 0xfd;
      data[11] = 0;
      data[12] = sizeof (data) - 13;
      break;
  }
  return gst_buffer_new_memdup (data, sizeof (data));
}

static GstFlowReturn
sec_test_drop_transform_ip (GstBaseTransform * trans, GstBuffer * buffer)
{
  SecTestDrop *self = SEC_TEST_DROP (trans);
  gboolean drop, inject;
  guint64 injected = 0;

  GST_OBJECT_LOCK (self);
  drop = index_listed (self->drop, self->index);
  self->index++;
  self->max_size = MAX (self->max_size, gst_buffer_get_size (buffer));
  if (drop)
    self->dropped++;
  else
    self->forwarded++;
  inject = self->inject_garbage && !drop;
  if (inject)
    injected = self->injected++;
  GST_OBJECT_UNLOCK (self);

  if (inject) {
    GstFlowReturn ret = gst_pad_push (GST_BASE_TRANSFORM_SRC_PAD (trans),
        make_garbage (injected));

    if (ret != GST_FLOW_OK)
      return ret;
  }
  return drop ? GST_BASE_TRANSFORM_FLOW_DROPPED : GST_FLOW_OK;
}

static void
sec_test_drop_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  SecTestDrop *self = SEC_TEST_DROP (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_DROP:
      g_free (self->drop);
      self->drop = g_value_dup_string (value);
      break;
    case PROP_INJECT_GARBAGE:
      self->inject_garbage = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
sec_test_drop_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  SecTestDrop *self = SEC_TEST_DROP (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_DROP:
      g_value_set_string (value, self->drop);
      break;
    case PROP_INJECT_GARBAGE:
      g_value_set_boolean (value, self->inject_garbage);
      break;
    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;
    case PROP_FORWARDED:
      g_value_set_uint64 (value, self->forwarded);
      break;
    case PROP_INJECTED:
      g_value_set_uint64 (value, self->injected);
      break;
    case PROP_MAX_SIZE:
      g_value_set_uint (value, self->max_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
sec_test_drop_finalize (GObject * object)
{
  g_free (SEC_TEST_DROP (object)->drop);
  G_OBJECT_CLASS (sec_test_drop_parent_class)->finalize (object);
}

static void
sec_test_drop_class_init (SecTestDropClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = sec_test_drop_set_property;
  gobject_class->get_property = sec_test_drop_get_property;
  gobject_class->finalize = sec_test_drop_finalize;
  g_object_class_install_property (gobject_class, PROP_DROP,
      g_param_spec_string ("drop", "Drop", "Indexes to drop: \"0,2-4\"",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_INJECT_GARBAGE,
      g_param_spec_boolean ("inject-garbage", "Inject garbage",
          "Push a garbage datagram before each forwarded one", FALSE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_DROPPED,
      g_param_spec_uint64 ("dropped", "Dropped", "Datagrams dropped", 0,
          G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_FORWARDED,
      g_param_spec_uint64 ("forwarded", "Forwarded", "Datagrams forwarded",
          0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_INJECTED,
      g_param_spec_uint64 ("injected", "Injected", "Garbage injected", 0,
          G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_MAX_SIZE,
      g_param_spec_uint ("max-size", "Max size", "Largest datagram seen", 0,
          G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Test drop",
      "Testing", "Drops chosen datagrams (tests only)", "gst-secwebrtc");
  GST_BASE_TRANSFORM_CLASS (klass)->transform_ip =
      sec_test_drop_transform_ip;
}

static void
sec_test_drop_init (SecTestDrop * self)
{
  (void) self;
}

void
sec_test_drop_register (void)
{
  gst_element_register (NULL, "sectestdrop", GST_RANK_NONE,
      SEC_TYPE_TEST_DROP);
}
