/* The command line, read as python reads its own: options, then -c CODE, -m MODULE, FILE or -. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

static const char usage[] =
    "usage: kiln [option] ... [-c CODE | -m MODULE | FILE | -] [ARGS...]\n"
    "  -c CODE        run CODE; sys.argv is ['-c', ARGS...]\n"
    "  -m MODULE      run the module MODULE as a script, as python -m does\n"
    "  FILE           run the Python script FILE, as python does\n"
    "  -              run the program read from stdin (the prompt when stdin is a terminal)\n"
    "  -i             after the program, open the prompt (even when stdin is not a terminal)\n"
    "  --no-color     no ANSI colours (nor with the NO_COLOR variable set, not empty)\n"
    "  -V, --version  print the versions of Kiln and of its Python\n"
    "  -h, --help     print this help\n"
    "With no program, cells are read at a prompt.\n";

/* What the option readers answer, besides an exit status (0 or more). */
enum { NEXT = -1, RUN = -2, END_OF_OPTIONS = -3 };

/* sys.argv[0] of -c and -m, as python's. */
static char dash_c[] = "-c", dash_m[] = "-m";

static int fail(const char *message, const char *arg)
{
    fprintf(stderr, "kiln: %s%s\n%s", message, arg, usage);
    return 2;
}

static int version(void)
{
    printf("kiln %s (Python %s)\n", kn_version(), kn_session_python_version(NULL));
    return 0;
}

static int help(void)
{
    fputs(usage, stdout);
    return 0;
}

/* -c and -m take the rest of their word (-cCODE) or the next word; sys.argv starts there. */
static int take_program(int argc, char **argv, int *i, const char *p, kn_repl_options *o)
{
    char option[] = {'-', *p, '\0'};
    const char *value = p[1] ? p + 1 : *i + 1 < argc ? argv[++*i] : NULL;
    if (!value)
        return fail("argument expected for the option ", option);
    o->mode = *p == 'c' ? KN_REPL_CODE : KN_REPL_MODULE;
    o->what = value;
    argv[*i] = *p == 'c' ? dash_c : dash_m;
    o->argc = argc - *i;
    o->argv = argv + *i;
    return RUN;
}

/* One word of options: -i, -V, -h, several together (-iV), or ending in -c/-m and its value. */
static int short_options(int argc, char **argv, int *i, kn_repl_options *o)
{
    for (const char *p = argv[*i] + 1; *p; p++) {
        if (*p == 'c' || *p == 'm')
            return take_program(argc, argv, i, p, o);
        if (*p == 'V')
            return version();
        if (*p == 'h' || *p == '?')
            return help();
        if (*p != 'i') {
            char option[] = {'-', *p, '\0'};
            return fail("unknown option ", option);
        }
        o->inspect = 1;
    }
    return NEXT;
}

static int long_option(const char *arg, kn_repl_options *o)
{
    if (strcmp(arg, "--") == 0)
        return END_OF_OPTIONS;
    if (strcmp(arg, "--version") == 0)
        return version();
    if (strcmp(arg, "--help") == 0)
        return help();
    if (strcmp(arg, "--no-color") != 0)
        return fail("unknown option ", arg);
    o->color = 0;
    return NEXT;
}

/* FILE or - and what follows: sys.argv; no program at all is the prompt, with sys.argv ['']. */
static int take_rest(int argc, char **argv, int i, kn_repl_options *o)
{
    if (i == argc)
        return -1;
    o->argc = argc - i;
    o->argv = argv + i;
    o->what = argv[i];
    if (strcmp(argv[i], "-") == 0) {
        /* As python -: a terminal gets the prompt, a pipe or file is read as one program. */
        o->mode = isatty(STDIN_FILENO) ? KN_REPL_PROMPT : KN_REPL_STDIN;
        return -1;
    }
    if (access(argv[i], R_OK) != 0) {
        fprintf(stderr, "kiln: can't open file '%s': [Errno %d] %s\n", argv[i], errno,
                strerror(errno));
        return 2;
    }
    o->mode = KN_REPL_SCRIPT;
    return -1;
}

int kn_repl_parse_args(int argc, char **argv, kn_repl_options *o)
{
    const char *no_color = getenv("NO_COLOR");
    memset(o, 0, sizeof *o);
    o->color = !no_color || !*no_color;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        int rc = argv[i][1] == '-' ? long_option(argv[i], o) : short_options(argc, argv, &i, o);
        if (rc == RUN)
            return -1;
        if (rc == END_OF_OPTIONS) {
            i++;
            break;
        }
        if (rc != NEXT)
            return rc;
    }
    return take_rest(argc, argv, i, o);
}
