/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the benchmarks share: child processes, their environment and
 * plugin check, the clock and the machine (benchcommon.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "benchcommon.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

gint64
sec_bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

gint
sec_bench_compare_double (gconstpointer a, gconstpointer b)
{
  gdouble da = *(const gdouble *) a, db = *(const gdouble *) b;

  return da < db ? -1 : (da > db ? 1 : 0);
}

gchar *
sec_bench_cpu_model (void)
{
  gchar *contents = NULL;
  gchar *model = NULL;
  gchar **lines;
  guint i;

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown CPU");
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] && model == NULL; i++) {
    if (g_str_has_prefix (lines[i], "model name")) {
      const gchar *colon = strchr (lines[i], ':');

      if (colon)
        model = g_strstrip (g_strdup (colon + 1));
    }
  }
  g_strfreev (lines);
  g_free (contents);
  return model ? model : g_strdup ("unknown CPU");
}

gchar *
sec_bench_load_average (void)
{
  gchar *contents = NULL;
  gchar **fields;
  gchar *ret;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return g_strdup ("unknown");
  fields = g_strsplit (contents, " ", 4);
  ret = g_strv_length (fields) >= 3 ? g_strjoin (" ", fields[0], fields[1],
      fields[2], NULL) : g_strdup ("unknown");
  g_strfreev (fields);
  g_free (contents);
  return ret;
}

gboolean
sec_bench_parse_options (const gchar * summary, const GOptionEntry * entries,
    int *argc, char ***argv)
{
  GOptionContext *context = g_option_context_new (summary);
  GError *error = NULL;
  gboolean parsed;

  g_option_context_add_main_entries (context, entries, NULL);
  parsed = g_option_context_parse (context, argc, argv, &error);
  if (!parsed) {
    g_printerr ("%s\n", error->message);
    g_clear_error (&error);
  }
  g_option_context_free (context);
  return parsed;
}

/* ---- the parent ---- */

gchar *
sec_bench_parent_prepare (const gchar * work_dir)
{
  gchar *self_exe = g_file_read_link ("/proc/self/exe", NULL);

  if (self_exe == NULL) {
    g_printerr ("cannot find this program's path in /proc/self/exe\n");
    return NULL;
  }
  if (g_getenv ("SEC_BUILD_ROOT") == NULL
      || g_getenv ("SEC_SYSTEM_PLUGIN_DIR") == NULL) {
    g_printerr ("SEC_BUILD_ROOT and SEC_SYSTEM_PLUGIN_DIR are not set: run "
        "the benchmark through meson test (./run bench) or meson devenv\n");
    g_free (self_exe);
    return NULL;
  }
  if (g_mkdir_with_parents (work_dir, 0755) != 0) {
    g_printerr ("cannot create %s\n", work_dir);
    g_free (self_exe);
    return NULL;
  }
  return self_exe;
}

gchar **
sec_bench_child_environ_new (SecBenchPlugins plugins,
    const gchar * work_dir, const gchar * bench_name)
{
  gchar **env = g_get_environ ();
  gchar *registry_file, *registry;

  env = g_environ_unsetenv (env, "MALLOC_PERTURB_");
  switch (plugins) {
    case SEC_BENCH_PLUGINS_TEST:
      return env;
    case SEC_BENCH_PLUGINS_SYSTEM:
      env = g_environ_setenv (env, "GST_PLUGIN_SYSTEM_PATH_1_0",
          g_environ_getenv (env, "SEC_SYSTEM_PLUGIN_DIR"), TRUE);
      break;
    case SEC_BENCH_PLUGINS_NONE:
      env = g_environ_setenv (env, "GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);
      break;
  }
  registry_file = g_strdup_printf ("%s-registry-%s.bin", bench_name,
      plugins == SEC_BENCH_PLUGINS_SYSTEM ? "system" : "empty");
  registry = g_build_filename (work_dir, registry_file, NULL);
  env = g_environ_setenv (env, "GST_PLUGIN_PATH_1_0", "", TRUE);
  env = g_environ_setenv (env, "GST_PLUGIN_PATH", "", TRUE);
  env = g_environ_setenv (env, "GST_REGISTRY_1_0", registry, TRUE);
  g_free (registry);
  g_free (registry_file);
  return env;
}

gchar *
sec_bench_run_child (const gchar * const *argv, gchar ** env,
    const gchar * what, SecBenchParseFunc parse, gpointer result)
{
  GError *error = NULL;
  gchar *out = NULL;
  gint status = 0;

  /* the child's stderr goes straight to ours */
  if (!g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
          &out, NULL, &status, &error)) {
    g_printerr ("could not start %s: %s\n", argv[0], error->message);
    g_clear_error (&error);
  } else if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    g_printerr ("variant %s failed (wait status %d)\n", what, status);
  } else if (!parse (out, result)) {
    g_printerr ("variant %s printed no result:\n%s\n", what, out);
  } else {
    return out;
  }
  g_free (out);
  return NULL;
}

/* ---- the child ---- */

static gchar *
canonical_path (const gchar * path)
{
  char *real = realpath (path, NULL);
  gchar *ret = g_strdup (real ? real : path);

  free (real);
  return ret;
}

/* The plugin file @factory_name loads from, canonical; NULL when the
 * factory does not exist. */
static gchar *
factory_file (const gchar * factory_name)
{
  GstElementFactory *factory = gst_element_factory_find (factory_name);
  GstPlugin *plugin;
  gchar *file;

  if (factory == NULL)
    return NULL;
  plugin = gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (factory));
  if (plugin != NULL && gst_plugin_get_filename (plugin) != NULL)
    file = canonical_path (gst_plugin_get_filename (plugin));
  else
    file = g_strdup ("(no file)");
  if (plugin)
    gst_object_unref (plugin);
  gst_object_unref (factory);
  return file;
}

gboolean
sec_bench_check_factories (const gchar * root_var,
    const gchar * plugin_file, const gchar * const *wanted,
    const gchar * const *unwanted, guint n_factories)
{
  const gchar *root_env = g_getenv (root_var);
  gchar *root, *expected = NULL;
  gboolean ok = TRUE;
  guint i;

  if (root_env == NULL) {
    g_printerr ("%s is not set: run the benchmark through meson test or "
        "meson devenv\n", root_var);
    return FALSE;
  }
  root = canonical_path (root_env);
  if (plugin_file != NULL)
    expected = g_build_filename (root, plugin_file, NULL);

  for (i = 0; i < n_factories; i++) {
    gchar *file = factory_file (wanted[i]);
    gboolean right_file;

    if (expected != NULL)
      right_file = file != NULL && g_strcmp0 (file, expected) == 0;
    else
      right_file = file != NULL && g_str_has_prefix (file, root)
          && file[strlen (root)] == G_DIR_SEPARATOR;
    if (!right_file) {
      g_printerr ("factory %s comes from %s, expected %s%s\n", wanted[i],
          file ? file : "nowhere (not found)", expected ? expected : root,
          expected ? "" : "/...");
      ok = FALSE;
    }
    g_free (file);

    file = factory_file (unwanted[i]);
    if (file != NULL) {
      g_printerr ("factory %s is in the registry (from %s): it must stay "
          "out of this variant's process\n", unwanted[i], file);
      ok = FALSE;
    }
    g_free (file);
  }
  g_free (expected);
  g_free (root);
  return ok;
}

gboolean
sec_bench_parse_samples (const gchar * out, gpointer user_data)
{
  SecBenchSamples *result = user_data;
  gchar **lines = g_strsplit (out, "\n", -1);
  gboolean found = FALSE;
  guint i, k;

  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "result samples=")) {
      gchar **values = g_strsplit (lines[i] + strlen ("result samples="),
          ",", -1);

      for (k = 0; values[k]; k++) {
        gdouble ns = g_ascii_strtod (values[k], NULL);

        if (ns > 0) {
          g_array_append_val (result->samples, ns);
          found = TRUE;
        }
      }
      g_strfreev (values);
    } else if (g_str_has_prefix (lines[i], "info ") && result->info == NULL
        && lines[i][5] != '\0') {
      result->info = g_strdup (lines[i] + 5);
    }
  }
  g_strfreev (lines);
  return found;
}

gdouble
sec_bench_median (GArray * values)
{
  guint n = values->len;

  g_array_sort (values, sec_bench_compare_double);
  /* the middle one, or the mean of the two middle ones */
  return n % 2 ? g_array_index (values, gdouble, n / 2) :
      (g_array_index (values, gdouble, n / 2 - 1)
      + g_array_index (values, gdouble, n / 2)) / 2;
}

void
sec_bench_samples_finish (SecBenchSamples * r)
{
  guint n = r->samples->len;

  r->ok = r->ran && r->ok && n > 0;
  if (!r->ok)
    return;
  r->median = sec_bench_median (r->samples);
  /* nearest rank: the ceil (0.9 n)-th smallest */
  r->p90 = g_array_index (r->samples, gdouble, (9 * n + 9) / 10 - 1);
  r->min = g_array_index (r->samples, gdouble, 0);
}

gint64
sec_bench_udp_counter (const gchar * name)
{
  gchar *contents = NULL;
  gchar **lines, **names = NULL, **values = NULL;
  gint64 out = -1;
  guint i;

  if (!g_file_get_contents ("/proc/net/snmp", &contents, NULL, NULL))
    return -1;
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] != NULL; i++) {
    if (!g_str_has_prefix (lines[i], "Udp: "))
      continue;
    /* the names, then the values */
    if (names == NULL)
      names = g_strsplit (lines[i], " ", -1);
    else if (values == NULL)
      values = g_strsplit (lines[i], " ", -1);
  }
  for (i = 0; names && values && names[i] && values[i]; i++) {
    if (g_str_equal (names[i], name))
      out = g_ascii_strtoll (values[i], NULL, 10);
  }
  g_strfreev (names);
  g_strfreev (values);
  g_strfreev (lines);
  g_free (contents);
  return out;
}

gdouble
sec_bench_field (gchar ** words, const gchar * key)
{
  gsize len = strlen (key);
  guint i;

  for (i = 0; words[i]; i++) {
    if (strncmp (words[i], key, len) == 0 && words[i][len] == '=')
      return g_ascii_strtod (words[i] + len + 1, NULL);
  }
  return -1;
}

gchar *
sec_bench_format_ratio (gdouble ours, gdouble theirs, const gchar * less,
    const gchar * more)
{
  gdouble ratio;

  if (theirs <= 0)
    return g_strdup ("n/a");
  ratio = ours / theirs;
  if (ratio <= 0)
    return g_strdup_printf ("%.3g", ratio);
  if (ratio >= 0.99 && ratio <= 1.01)
    return g_strdup_printf ("%.3g (about the same)", ratio);
  if (ratio < 1)
    return g_strdup_printf ("%.3g (%.1fx %s)", ratio, 1 / ratio, less);
  return g_strdup_printf ("%.3g (%.2fx %s)", ratio, ratio, more);
}

/* ---- promises and enum properties (the webrtc benchmarks) ---- */

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;                /* protected by lock */
} PromiseWait;

static void
promise_changed (GstPromise * promise, gpointer user_data)
{
  PromiseWait *wait = user_data;

  (void) promise;
  g_mutex_lock (&wait->lock);
  wait->done = TRUE;
  g_cond_broadcast (&wait->cond);
  g_mutex_unlock (&wait->lock);
}

/* the promise's notify: it lives as long as the promise */
static void
promise_wait_free (gpointer user_data)
{
  PromiseWait *wait = user_data;

  g_mutex_clear (&wait->lock);
  g_cond_clear (&wait->cond);
  g_free (wait);
}

static GQuark
promise_wait_quark (void)
{
  return g_quark_from_static_string ("sec-bench-promise-wait");
}

GstPromise *
sec_bench_promise_new (void)
{
  PromiseWait *wait = g_new0 (PromiseWait, 1);
  GstPromise *promise;

  g_mutex_init (&wait->lock);
  g_cond_init (&wait->cond);
  promise = gst_promise_new_with_change_func (promise_changed, wait,
      promise_wait_free);
  /* found again by sec_bench_promise_wait (); freed with the promise */
  gst_mini_object_set_qdata (GST_MINI_OBJECT (promise),
      promise_wait_quark (), wait, NULL);
  return promise;
}

gboolean
sec_bench_promise_wait (GstPromise * promise, const gchar * what,
    guint timeout_s, const GstStructure ** reply, gchar ** error)
{
  PromiseWait *wait = gst_mini_object_get_qdata (GST_MINI_OBJECT (promise),
      promise_wait_quark ());
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  GstPromiseResult result;
  const GstStructure *s;
  GError *err = NULL;
  gboolean done;

  *reply = NULL;
  g_return_val_if_fail (wait != NULL, FALSE);
  g_mutex_lock (&wait->lock);
  while (!wait->done && g_cond_wait_until (&wait->cond, &wait->lock,
          deadline));
  done = wait->done;
  g_mutex_unlock (&wait->lock);
  if (!done) {
    gst_promise_interrupt (promise);
    *error = g_strdup_printf ("%s: no reply within %u s", what, timeout_s);
    return FALSE;
  }
  result = gst_promise_wait (promise);
  if (result != GST_PROMISE_RESULT_REPLIED) {
    *error = g_strdup_printf ("%s: the promise was not replied to (%d)",
        what, result);
    return FALSE;
  }
  s = gst_promise_get_reply (promise);
  if (s != NULL && gst_structure_has_field (s, "error")) {
    if (gst_structure_get (s, "error", G_TYPE_ERROR, &err, NULL)) {
      *error = g_strdup_printf ("%s: %s", what, err->message);
      g_error_free (err);
    } else {
      *error = g_strdup_printf ("%s: %" GST_PTR_FORMAT, what, s);
    }
    return FALSE;
  }
  *reply = s;
  return TRUE;
}

const gchar *
sec_bench_enum_nick (GObject * object, const gchar * property)
{
  GParamSpec *pspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  GEnumValue *value;
  gint state = 0;

  if (pspec == NULL || !G_IS_PARAM_SPEC_ENUM (pspec))
    return "?";
  g_object_get (object, property, &state, NULL);
  value = g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class, state);
  return value ? value->value_nick : "?";
}
