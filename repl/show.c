/* What the session hands back, on the terminal: results to stdout, tracebacks to stderr. */
#include <stdlib.h>
#include <string.h>

#include "repl.h"

/* A result (count > 0) shows only at the prompt, as python -i -c '6*7' shows nothing. */
void kn_repl_show(void *ctx, const char *data_json, const char *metadata_json, int count)
{
    const kn_repl *repl = ctx;
    (void)metadata_json;
    if (count > 0 && !repl->show_results)
        return;
    char *plain = kn_repl_json_string(data_json, "text/plain");
    if (!plain)
        return;
    fputs(plain, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    free(plain);
}

static void print_line(void *ctx, const char *text)
{
    fputs(text, ctx);
    fputc('\n', ctx);
}

void kn_repl_print_error(const char *error_json)
{
    kn_repl_json_each_string(error_json, "traceback", print_line, stderr);
    fflush(stderr);
}

int kn_repl_exit_status(const kn_run_result *r, int *killed_by_sigint)
{
    *killed_by_sigint = 0;
    if (r->ok)
        return 0;
    if (r->exit_requested)
        return r->exit_status;
    kn_repl_print_error(r->error_json);
    char *ename = kn_repl_json_string(r->error_json, "ename");
    *killed_by_sigint = ename && strcmp(ename, "KeyboardInterrupt") == 0;
    free(ename);
    return 1;
}
