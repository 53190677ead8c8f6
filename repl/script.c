/* A script, or -c code, run as python runs it. */
#include "repl.h"

static int status_of(kn_run_result *r, int *killed_by_sigint)
{
    int status = kn_repl_exit_status(r, killed_by_sigint);
    kn_run_result_clear(r);
    return status;
}

int kn_repl_run_script(kn_session *s, const char *path, int *killed_by_sigint)
{
    kn_run_result r;
    kn_session_run_file(s, path, &r);
    return status_of(&r, killed_by_sigint);
}

/* As `python -c`: the value of a last expression is not shown. */
int kn_repl_run_code(kn_session *s, const char *code, int *killed_by_sigint)
{
    kn_run_options opts = {.allow_stdin = 1};
    kn_run_result r;
    kn_session_run_cell(s, code, &opts, &r);
    return status_of(&r, killed_by_sigint);
}
