/* `kiln-kernel install`: registers the kernelspec where Jupyter looks for kernels. */
#include "install.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <kiln/session.h>

#include "buf.h"

/* Compiled from share/jupyter/kernels/kiln/ by its CMakeLists.txt. */
extern const unsigned char kn_logo_32[], kn_logo_64[];
extern const size_t kn_logo_32_len, kn_logo_64_len;

#define SPEC_SUBDIR "kernels/kiln"

typedef struct install_opts {
    enum { TO_USER, TO_PREFIX, TO_SYS_PREFIX } where;
    const char *prefix;
    const char *interrupt_mode;
} install_opts;

static int usage(FILE *f, int status)
{
    fputs("usage: kiln-kernel install [--user | --prefix DIR | --sys-prefix]"
          " [--interrupt-mode signal|message]\n"
          "  --user        into the user's Jupyter data dir (the default)\n"
          "  --prefix DIR  into DIR/share/jupyter/kernels/kiln\n"
          "  --sys-prefix  into the embedded Python's sys.prefix\n",
          f);
    return status;
}

/* The value of --name VALUE or --name=VALUE at argv[*i], advancing *i; NULL if not this option. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0' || *i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int parse_args(int argc, char **argv, install_opts *o)
{
    int places = 0;
    *o = (install_opts){TO_USER, NULL, "signal"};
    for (int i = 0; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--user") == 0) {
            o->where = TO_USER;
            places++;
        } else if (strcmp(argv[i], "--sys-prefix") == 0) {
            o->where = TO_SYS_PREFIX;
            places++;
        } else if ((v = option_value(argc, argv, &i, "--prefix"))) {
            o->where = TO_PREFIX;
            o->prefix = v;
            places++;
        } else if ((v = option_value(argc, argv, &i, "--interrupt-mode"))) {
            o->interrupt_mode = v;
        } else {
            fprintf(stderr, "kiln-kernel install: unexpected argument '%s'\n", argv[i]);
            return -1;
        }
    }
    if (places > 1)
        fputs("kiln-kernel install: give one of --user, --prefix, --sys-prefix\n", stderr);
    if (strcmp(o->interrupt_mode, "signal") != 0 && strcmp(o->interrupt_mode, "message") != 0)
        fprintf(stderr, "kiln-kernel install: interrupt mode is signal or message, not '%s'\n",
                o->interrupt_mode);
    else if (places <= 1)
        return 0;
    return -1;
}

static void capture(void *ctx, const char *name, const char *text, size_t len)
{
    if (strcmp(name, "stdout") == 0)
        kn_wire_buf_put(ctx, text, len);
}

/* --sys-prefix is --prefix with the embedded interpreter's sys.prefix, which it prints. */
static int resolve_sys_prefix(install_opts *o, kn_session *s, const kn_wire_buf *printed)
{
    kn_run_options opts = {0};
    kn_run_result res = {0};
    int ok = kn_session_run_cell(s, "import sys; print(sys.prefix, end='')", &opts, &res);
    kn_run_result_clear(&res);
    if (!ok || !printed->len) {
        fputs("kiln-kernel install: cannot find sys.prefix\n", stderr);
        return -1;
    }
    o->where = TO_PREFIX;
    o->prefix = printed->data;
    return 0;
}

/* $JUPYTER_DATA_DIR, or the XDG data dir's jupyter/, as jupyter_core finds it. */
static void user_data_dir(kn_wire_buf *dir)
{
    const char *env = getenv("JUPYTER_DATA_DIR");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (env && *env)
        kn_wire_buf_puts(dir, env);
    else if (xdg && *xdg)
        kn_wire_buf_printf(dir, "%s/jupyter", xdg);
    else
        kn_wire_buf_printf(dir, "%s/.local/share/jupyter", home ? home : ".");
}

static void spec_dir(const install_opts *o, kn_wire_buf *dir)
{
    if (o->where == TO_PREFIX) {
        kn_wire_buf_printf(dir, "%s/share/jupyter/" SPEC_SUBDIR, o->prefix);
        return;
    }
    user_data_dir(dir);
    kn_wire_buf_puts(dir, "/" SPEC_SUBDIR);
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc < 0 && errno != EEXIST)
            return -1;
    }
    return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "kiln-kernel install: cannot write %s: %s\n", path, strerror(errno));
    return ok ? 0 : -1;
}

static int write_spec(const char *dir, const install_opts *o, const kn_session *s)
{
    char exe[PATH_MAX], name[64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0)
        return -1;
    exe[n] = '\0';
    int major = 3, minor = 0;
    sscanf(kn_session_python_version(s), "%d.%d", &major, &minor);
    snprintf(name, sizeof name, "Kiln (Python %d.%d)", major, minor);
    json_t *spec = json_pack("{s:[s,s,s], s:s, s:s, s:s, s:{s:b}}", "argv", exe, "-f",
                             "{connection_file}", "display_name", name, "language", "python",
                             "interrupt_mode", o->interrupt_mode, "metadata", "debugger", 0);
    char *text = spec ? json_dumps(spec, JSON_INDENT(1)) : NULL;
    json_decref(spec);
    kn_wire_buf file = {0};
    if (text)
        kn_wire_buf_printf(&file, "%s\n", text);
    int rc = text ? write_file(dir, "kernel.json", file.data, file.len) : -1;
    kn_wire_buf_free(&file);
    free(text);
    if (rc == 0)
        rc = write_file(dir, "logo-32x32.png", kn_logo_32, kn_logo_32_len);
    if (rc == 0)
        rc = write_file(dir, "logo-64x64.png", kn_logo_64, kn_logo_64_len);
    return rc;
}

static int install(const install_opts *o, const kn_session *s, kn_wire_buf *dir)
{
    spec_dir(o, dir);
    if (mkdirs(dir->data) < 0) {
        fprintf(stderr, "kiln-kernel install: cannot create %s: %s\n", dir->data, strerror(errno));
        return 1;
    }
    if (write_spec(dir->data, o, s) < 0)
        return 1;
    printf("Installed kernelspec kiln in %s\n", dir->data);
    return 0;
}

/* A session, for the embedded Python's version (and sys.prefix): what kernel.json names. */
int kn_kernel_install(int argc, char **argv)
{
    install_opts o;
    if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
        return usage(stdout, 0);
    if (parse_args(argc, argv, &o) < 0)
        return usage(stderr, 2);
    kn_wire_buf printed = {0}, dir = {0};
    kn_frontend fe = {.ctx = &printed, .stream = capture};
    kn_session *s = kn_session_create(&fe, 0, NULL);
    if (!s) {
        fputs("kiln-kernel install: cannot start the Python session\n", stderr);
        return 1;
    }
    int rc = 1;
    if (o.where != TO_SYS_PREFIX || resolve_sys_prefix(&o, s, &printed) == 0)
        rc = install(&o, s, &dir);
    kn_session_destroy(s);
    kn_wire_buf_free(&printed);
    kn_wire_buf_free(&dir);
    return rc;
}
