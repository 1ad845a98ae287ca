/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sectestdrop: a test element between two network elements. It drops
 * the datagrams whose index (0-based, counted on its sink) is listed in
 * "drop" ("0,2-4"), can inject a garbage datagram before each one it
 * forwards ("inject-garbage"), and records the largest datagram seen.
 * Registered by the tests with sec_test_drop_register (); never part of
 * a plugin.
 */
#ifndef SEC_TEST_DROP_H
#define SEC_TEST_DROP_H

#include <gst/gst.h>

G_BEGIN_DECLS

void sec_test_drop_register (void);

G_END_DECLS

#endif
