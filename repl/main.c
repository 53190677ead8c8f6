/* kiln: a Python program (script, -c, -m, -) or a prompt, run in a Kiln session. */
#include <signal.h>
#include <unistd.h>

#include "repl.h"

/* Dies of SIGINT, as python does after an unhandled KeyboardInterrupt, so a shell sees it. */
static void die_by_sigint(void)
{
    signal(SIGINT, SIG_DFL);
    kill(getpid(), SIGINT);
}

/*
 * The program, then the prompt when asked (-i). As python -i, the program's
 * error is shown and the prompt comes all the same, SystemExit included.
 */
static int run_program(kn_session *s, const kn_repl_options *o, int *killed)
{
    kn_run_result r;
    kn_repl_run_program(s, o, &r);
    int status = 0;
    if (!o->inspect)
        status = kn_repl_exit_status(&r, killed);
    else if (!r.ok)
        kn_repl_print_error(r.error_json);
    kn_run_result_clear(&r);
    return status;
}

static int run(const kn_repl_options *o)
{
    static const kn_frontend program_frontend = {0};
    int prompt = o->mode == KN_REPL_PROMPT || o->inspect;
    kn_repl repl = {.readline = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)};
    /* At the prompt results and input() go through the terminal; a program has python's own. */
    const kn_frontend prompt_frontend = {
        .ctx = &repl, .display = kn_repl_show, .input = kn_repl_input};
    int ignored = kn_repl_sigint_ignored();
    kn_session_preload_jit();
    kn_session *s =
        kn_session_create(prompt ? &prompt_frontend : &program_frontend, o->argc, o->argv);
    if (!s)
        return 1;
    kn_session_set_color(s, o->color && isatty(STDOUT_FILENO));
    if (!ignored)
        kn_repl_signals_install(s);
    if (prompt && repl.readline)
        kn_repl_readline_init(s);
    int killed = 0;
    int status = o->mode == KN_REPL_PROMPT ? 0 : run_program(s, o, &killed);
    if (prompt)
        status = kn_repl_prompt(s, &repl, o);
    kn_session_destroy(s);
    if (killed)
        die_by_sigint();
    return status;
}

int main(int argc, char **argv)
{
    kn_repl_options o;
    int status = kn_repl_parse_args(argc, argv, &o);
    return status >= 0 ? status : run(&o);
}
