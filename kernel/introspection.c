/* complete_request, inspect_request, is_complete_request: questions about code, for the session. */
#include "kernel.h"

#include "handlers.h"

/* Characters, not bytes: cursor_pos counts Unicode code points. */
static int utf8_length(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* The code, or NULL after an error reply. */
static const char *code_of(kn_request *r)
{
    const char *code = json_string_value(json_object_get(r->msg.content, "code"));
    if (!code)
        kn_kernel_reply_error(r, "TypeError", "code must be a string");
    return code;
}

/* cursor_pos, the end of the code when absent or null; -1 after an error reply. */
static int cursor_of(kn_request *r, const char *code)
{
    json_t *pos = json_object_get(r->msg.content, "cursor_pos");
    int len = utf8_length(code);
    if (!pos || json_is_null(pos))
        return len;
    if (!json_is_integer(pos)) {
        kn_kernel_reply_error(r, "TypeError", "cursor_pos must be an integer");
        return -1;
    }
    json_int_t p = json_integer_value(pos);
    return p < 0 ? 0 : p > len ? len : (int)p;
}

void kn_kernel_handle_complete(kn_request *r)
{
    const char *code = code_of(r);
    int cursor = code ? cursor_of(r, code) : -1;
    if (cursor >= 0)
        kn_kernel_reply_owned(r, kn_session_complete(r->k->session, code, cursor));
}

void kn_kernel_handle_inspect(kn_request *r)
{
    const char *code = code_of(r);
    int cursor = code ? cursor_of(r, code) : -1;
    json_t *level = json_object_get(r->msg.content, "detail_level");
    int detail = json_is_integer(level) ? (int)json_integer_value(level) : 0;
    if (cursor >= 0)
        kn_kernel_reply_owned(r, kn_session_inspect(r->k->session, code, cursor, detail));
}

void kn_kernel_handle_is_complete(kn_request *r)
{
    const char *code = code_of(r);
    if (code)
        kn_kernel_reply_owned(r, kn_session_is_complete(r->k->session, code));
}
