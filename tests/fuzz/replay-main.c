/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs a libFuzzer target over every file of the corpus folders given
 * on the command line: the corpus as a regression test, with any
 * compiler.
 */
#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
main (int argc, char **argv)
{
  int i, n = 0;

  for (i = 1; i < argc; i++) {
    GDir *dir = g_dir_open (argv[i], 0, NULL);
    const gchar *name;

    if (dir == NULL) {
      g_printerr ("cannot open corpus %s\n", argv[i]);
      return 1;
    }
    while ((name = g_dir_read_name (dir))) {
      gchar *path = g_build_filename (argv[i], name, NULL);
      gchar *contents;
      gsize len;

      if (g_file_get_contents (path, &contents, &len, NULL)) {
        LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
        g_free (contents);
        n++;
      }
      g_free (path);
    }
    g_dir_close (dir);
  }
  g_print ("replayed %d inputs\n", n);
  return n > 0 ? 0 : 1;
}
