/* kiln: a Python script, -c code, or a prompt, run in a Kiln session. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

static const char usage[] = "usage: kiln [-c CODE | FILE | --version | --help] [ARGS...]\n"
                            "  FILE ARGS      run the Python script FILE, as python does\n"
                            "  -c CODE ARGS   run CODE; sys.argv is ['-c', ARGS...]\n"
                            "  --version      print the versions of Kiln and of its Python\n"
                            "  -h, --help     print this help\n"
                            "With no FILE and no -c, cells are read at a prompt.\n";

enum mode { PROMPT, SCRIPT, CODE };

/* Dies of SIGINT, as python does after an unhandled KeyboardInterrupt, so a shell sees it. */
static void die_by_sigint(void)
{
    signal(SIGINT, SIG_DFL);
    kill(getpid(), SIGINT);
}

static int run(enum mode mode, const char *what, int argc, char **argv)
{
    static const kn_frontend prompt_frontend = {.display = kn_repl_show, .input = kn_repl_input};
    static const kn_frontend script_frontend = {0};
    int ignored = kn_repl_sigint_ignored();
    kn_session *s =
        kn_session_create(mode == PROMPT ? &prompt_frontend : &script_frontend, argc, argv);
    if (!s)
        return 1;
    if (!ignored)
        kn_repl_signals_install(s);
    int killed = 0;
    int status = mode == SCRIPT ? kn_repl_run_script(s, what, &killed)
                 : mode == CODE ? kn_repl_run_code(s, what, &killed)
                                : kn_repl_prompt(s);
    kn_session_destroy(s);
    if (killed)
        die_by_sigint();
    return status;
}

static int fail(const char *message, const char *arg)
{
    fprintf(stderr, "kiln: %s%s\n%s", message, arg, usage);
    return 2;
}

int main(int argc, char **argv)
{
    const char *arg = argc > 1 ? argv[1] : NULL;
    if (!arg)
        return run(PROMPT, NULL, 0, NULL);
    if (strcmp(arg, "--version") == 0) {
        printf("kiln %s (Python %s)\n", kn_version(), kn_session_python_version(NULL));
        return 0;
    }
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(arg, "-c") == 0) {
        if (argc < 3)
            return fail("argument expected for the -c option", "");
        const char *code = argv[2];
        /* sys.argv is ['-c', ARGS...], as with python. */
        argv[2] = argv[1];
        return run(CODE, code, argc - 2, argv + 2);
    }
    if (arg[0] == '-')
        return fail("unknown option ", arg);
    if (access(arg, R_OK) != 0) {
        fprintf(stderr, "kiln: can't open file '%s': [Errno %d] %s\n", arg, errno, strerror(errno));
        return 2;
    }
    return run(SCRIPT, arg, argc - 1, argv + 1);
}
