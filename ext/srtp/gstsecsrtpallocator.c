/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecSrtpAllocator: memory for packets secsrtpenc has to copy because
 * upstream left no room after them for the SRTP tag (payloaders allocate
 * exactly the packet size). Blocks of GST_SEC_SRTP_ALLOCATOR_BLOCK_SIZE
 * bytes are recycled through a lock-free queue when downstream frees
 * them, from whatever thread, so the steady state makes no allocation
 * per packet. Larger packets get a block of their own, freed normally.
 *
 * The memory cannot be shared (GST_MEMORY_FLAG_NO_SHARE): sub-buffers
 * copy it, so a recycled block is never still referenced.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecsrtpallocator.h"

#include <string.h>

#define MAX_FREE_BLOCKS 256
#define ALIGNMENT 16

typedef struct
{
  GstMemory mem;
  guint8 *data;
  gboolean recyclable;
} SecSrtpMemory;

struct _GstSecSrtpAllocator
{
  GstAllocator parent;

  GstAtomicQueue *free_blocks;  /* SecSrtpMemory * */
  gint n_free;                  /* atomic */
};

G_DEFINE_TYPE (GstSecSrtpAllocator, gst_sec_srtp_allocator, GST_TYPE_ALLOCATOR);

/* One allocation holds the struct and the data after it, aligned. */
static SecSrtpMemory *
block_new (gsize capacity, gboolean recyclable)
{
  gsize header = (sizeof (SecSrtpMemory) + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
  SecSrtpMemory *block = g_malloc (header + capacity);

  block->data = (guint8 *) block + header;
  block->recyclable = recyclable;
  return block;
}

static GstMemory *
gst_sec_srtp_allocator_alloc (GstAllocator * allocator, gsize size,
    GstAllocationParams * params)
{
  GstSecSrtpAllocator *self = (GstSecSrtpAllocator *) allocator;
  SecSrtpMemory *block = NULL;
  gsize capacity;

  if (params && (params->prefix || params->padding
          || params->align >= ALIGNMENT))
    return gst_allocator_alloc (NULL, size, params);

  if (size <= GST_SEC_SRTP_ALLOCATOR_BLOCK_SIZE) {
    capacity = GST_SEC_SRTP_ALLOCATOR_BLOCK_SIZE;
    block = gst_atomic_queue_pop (self->free_blocks);
    if (block != NULL)
      g_atomic_int_add (&self->n_free, -1);
    else
      block = block_new (capacity, TRUE);
  } else {
    capacity = size;
    block = block_new (capacity, FALSE);
  }

  gst_memory_init (&block->mem, GST_MEMORY_FLAG_NO_SHARE, allocator, NULL,
      capacity, ALIGNMENT - 1, 0, size);
  return &block->mem;
}

static void
gst_sec_srtp_allocator_free (GstAllocator * allocator, GstMemory * mem)
{
  GstSecSrtpAllocator *self = (GstSecSrtpAllocator *) allocator;
  SecSrtpMemory *block = (SecSrtpMemory *) mem;

  if (block->recyclable
      && g_atomic_int_add (&self->n_free, 1) < MAX_FREE_BLOCKS) {
    gst_atomic_queue_push (self->free_blocks, block);
    return;
  }
  if (block->recyclable)
    g_atomic_int_add (&self->n_free, -1);
  g_free (block);
}

static gpointer
sec_srtp_memory_map (GstMemory * mem, gsize maxsize, GstMapFlags flags)
{
  return ((SecSrtpMemory *) mem)->data;
}

static void
sec_srtp_memory_unmap (GstMemory * mem)
{
}

static GstMemory *
sec_srtp_memory_copy (GstMemory * mem, gssize offset, gssize size)
{
  GstMemory *copy;
  GstMapInfo map;

  if (size == -1)
    size = mem->size > (gsize) offset ? mem->size - offset : 0;
  copy = gst_allocator_alloc (NULL, size, NULL);
  gst_memory_map (copy, &map, GST_MAP_WRITE);
  memcpy (map.data, ((SecSrtpMemory *) mem)->data + mem->offset + offset,
      size);
  gst_memory_unmap (copy, &map);
  return copy;
}

static GstMemory *
sec_srtp_memory_share (GstMemory * mem, gssize offset, gssize size)
{
  /* GST_MEMORY_FLAG_NO_SHARE: callers copy instead */
  return NULL;
}

static gboolean
sec_srtp_memory_is_span (GstMemory * mem1, GstMemory * mem2, gsize * offset)
{
  return FALSE;
}

static void
gst_sec_srtp_allocator_finalize (GObject * object)
{
  GstSecSrtpAllocator *self = GST_SEC_SRTP_ALLOCATOR (object);
  gpointer block;

  while ((block = gst_atomic_queue_pop (self->free_blocks)))
    g_free (block);
  gst_atomic_queue_unref (self->free_blocks);

  G_OBJECT_CLASS (gst_sec_srtp_allocator_parent_class)->finalize (object);
}

static void
gst_sec_srtp_allocator_class_init (GstSecSrtpAllocatorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  gobject_class->finalize = gst_sec_srtp_allocator_finalize;
  allocator_class->alloc = gst_sec_srtp_allocator_alloc;
  allocator_class->free = gst_sec_srtp_allocator_free;
}

static void
gst_sec_srtp_allocator_init (GstSecSrtpAllocator * self)
{
  GstAllocator *allocator = GST_ALLOCATOR_CAST (self);

  allocator->mem_type = "SecSrtpMemory";
  allocator->mem_map = sec_srtp_memory_map;
  allocator->mem_unmap = sec_srtp_memory_unmap;
  allocator->mem_copy = sec_srtp_memory_copy;
  allocator->mem_share = sec_srtp_memory_share;
  allocator->mem_is_span = sec_srtp_memory_is_span;
  GST_OBJECT_FLAG_SET (self, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);

  self->free_blocks = gst_atomic_queue_new (64);
}

GstAllocator *
gst_sec_srtp_allocator_new (void)
{
  GstAllocator *allocator = g_object_new (GST_TYPE_SEC_SRTP_ALLOCATOR, NULL);

  gst_object_ref_sink (allocator);
  return allocator;
}

GstMemory *
gst_sec_srtp_allocator_alloc_packet (GstAllocator * allocator, gsize size,
    guint8 ** data)
{
  SecSrtpMemory *block;

  /* per packet: no type check, the callers pass their own allocator */
  block = (SecSrtpMemory *) gst_sec_srtp_allocator_alloc (allocator, size,
      NULL);
  *data = block->data;
  return &block->mem;
}
