/* Reads the few values the terminal needs out of the session's JSON replies. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

static json_t *member(const char *json, const char *key, json_t **root)
{
    *root = json ? json_loads(json, JSON_DECODE_ANY, NULL) : NULL;
    return json_object_get(*root, key);
}

char *kn_repl_json_string(const char *json, const char *key)
{
    json_t *root;
    const char *text = json_string_value(member(json, key, &root));
    char *copy = text ? strdup(text) : NULL;
    json_decref(root);
    return copy;
}

long kn_repl_json_int(const char *json, const char *key, long fallback)
{
    json_t *root;
    json_t *value = member(json, key, &root);
    long n = json_is_integer(value) ? (long)json_integer_value(value) : fallback;
    json_decref(root);
    return n;
}

void kn_repl_json_each_string(const char *json, const char *key,
                              void (*fn)(void *ctx, const char *text), void *ctx)
{
    json_t *root;
    json_t *list = member(json, key, &root);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (json_is_string(item))
            fn(ctx, json_string_value(item));
    }
    json_decref(root);
}
