/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_SRTP_ALLOCATOR_H
#define GST_SEC_SRTP_ALLOCATOR_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_SRTP_ALLOCATOR (gst_sec_srtp_allocator_get_type ())
G_DECLARE_FINAL_TYPE (GstSecSrtpAllocator, gst_sec_srtp_allocator, GST,
    SEC_SRTP_ALLOCATOR, GstAllocator);

/* Packets up to this size (an Ethernet MTU plus the SRTP trailer, with
 * room to spare) come from recycled blocks. */
#define GST_SEC_SRTP_ALLOCATOR_BLOCK_SIZE 1536

G_GNUC_INTERNAL GstAllocator *gst_sec_srtp_allocator_new (void);
/* A new memory of @size bytes from @allocator (a GstSecSrtpAllocator) and
 * in @data where its bytes are. The memory is the caller's alone until it
 * is handed on, so the caller may write them without mapping it. */
G_GNUC_INTERNAL GstMemory *gst_sec_srtp_allocator_alloc_packet (
    GstAllocator *allocator, gsize size, guint8 **data);

G_END_DECLS

#endif
