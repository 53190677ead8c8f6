/* The connection file Jupyter writes for a kernel: where to bind and how to sign. */
#include "connection.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* A string field, or def when absent; NULL when present but not a string. */
static const char *string_field(json_t *root, const char *name, const char *def)
{
    json_t *v = json_object_get(root, name);
    return v ? json_string_value(v) : def;
}

static int read_port(json_t *root, const char *name, int *port, char *err, size_t errlen)
{
    json_t *v = json_object_get(root, name);
    if (!v)
        return fail(err, errlen, "missing field \"%s\"", name);
    if (!json_is_integer(v))
        return fail(err, errlen, "field \"%s\" must be an integer", name);
    json_int_t p = json_integer_value(v);
    if (p < 1 || p > 65535)
        return fail(err, errlen, "field \"%s\" is not a port number: %lld", name, (long long)p);
    *port = (int)p;
    return 0;
}

static int read_ports(json_t *root, kn_connection *c, char *err, size_t errlen)
{
    struct {
        const char *name;
        int *port;
    } ports[] = {
        {"shell_port", &c->shell_port}, {"iopub_port", &c->iopub_port},
        {"stdin_port", &c->stdin_port}, {"control_port", &c->control_port},
        {"hb_port", &c->hb_port},
    };
    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
        if (read_port(root, ports[i].name, ports[i].port, err, errlen) < 0)
            return -1;
    return 0;
}

static int read_transport(json_t *root, kn_connection *c, char *err, size_t errlen)
{
    const char *transport = string_field(root, "transport", "tcp");
    if (!transport)
        return fail(err, errlen, "field \"transport\" must be a string");
    if (strcmp(transport, "tcp") != 0 && strcmp(transport, "ipc") != 0)
        return fail(err, errlen, "unsupported transport \"%s\" (tcp or ipc)", transport);
    strcpy(c->transport, transport);
    const char *ip = string_field(root, "ip", "127.0.0.1");
    if (!ip || !*ip)
        return fail(err, errlen, "field \"ip\" must be a non-empty string");
    c->ip = strdup(ip);
    return 0;
}

static int read_key(json_t *root, kn_connection *c, char *err, size_t errlen)
{
    json_t *key = json_object_get(root, "key");
    if (!key)
        return fail(err, errlen, "missing field \"key\"");
    if (!json_is_string(key))
        return fail(err, errlen, "field \"key\" must be a string");
    const char *scheme = string_field(root, "signature_scheme", "hmac-sha256");
    if (!scheme)
        return fail(err, errlen, "field \"signature_scheme\" must be a string");
    if (strcmp(scheme, "hmac-sha256") != 0)
        return fail(err, errlen, "unsupported signature_scheme \"%s\" (hmac-sha256)", scheme);
    c->key_len = json_string_length(key);
    c->key = malloc(c->key_len + 1);
    memcpy(c->key, json_string_value(key), c->key_len + 1);
    return 0;
}

static int read_all(json_t *root, kn_connection *c, char *err, size_t errlen)
{
    if (!json_is_object(root))
        return fail(err, errlen, "not a JSON object");
    if (read_transport(root, c, err, errlen) < 0 || read_ports(root, c, err, errlen) < 0)
        return -1;
    return read_key(root, c, err, errlen);
}

/* Takes root; a NULL root is a JSON error, described by jerr. */
static int from_json(json_t *root, const json_error_t *jerr, kn_connection *c, char *err,
                     size_t errlen)
{
    *c = (kn_connection){0};
    if (!root && jerr->line < 1) /* the file could not be read */
        return fail(err, errlen, "%s", jerr->text);
    if (!root)
        return fail(err, errlen, "invalid JSON at line %d: %s", jerr->line, jerr->text);
    int rc = read_all(root, c, err, errlen);
    json_decref(root);
    if (rc < 0)
        kn_kernel_connection_free(c);
    return rc;
}

int kn_kernel_connection_parse(const char *text, size_t len, kn_connection *c, char *err,
                               size_t errlen)
{
    json_error_t jerr;
    return from_json(json_loadb(text, len, 0, &jerr), &jerr, c, err, errlen);
}

int kn_kernel_connection_load(const char *path, kn_connection *c, char *err, size_t errlen)
{
    json_error_t jerr;
    return from_json(json_load_file(path, 0, &jerr), &jerr, c, err, errlen);
}

void kn_kernel_connection_free(kn_connection *c)
{
    free(c->ip);
    free(c->key);
    *c = (kn_connection){0};
}

void kn_kernel_connection_endpoint(const kn_connection *c, int port, char *buf, size_t len)
{
    char sep = strcmp(c->transport, "ipc") == 0 ? '-' : ':';
    snprintf(buf, len, "%s://%s%c%d", c->transport, c->ip, sep, port);
}
