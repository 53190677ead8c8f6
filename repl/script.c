/* The program of the command line (a script, -c code, -m module, - for stdin), run as python runs
 * it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

/* As python -c: the value of a last expression is not shown. */
static void run_code(kn_session *s, const char *code, kn_run_result *r)
{
    kn_run_options opts = {.allow_stdin = 1};
    kn_session_run_cell(s, code, &opts, r);
}

/* name as a Python string literal: quotes, backslashes and control characters escaped. */
static char *quoted(const char *name)
{
    char *q = malloc(4 * strlen(name) + 3), *p = q;
    if (!q)
        return NULL;
    *p++ = '\'';
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        p += *c < 0x20 || *c == 0x7f || *c == '\'' || *c == '\\' ? sprintf(p, "\\x%02x", *c)
                                                                 : sprintf(p, "%c", *c);
    strcpy(p, "'");
    return q;
}

/*
 * As python -m, through the function python -m itself calls: the module runs
 * in __main__ itself (so that -i sees its names, where runpy.run_module would
 * give it a namespace of its own), its path becomes sys.argv[0], and a module
 * that cannot be found ends the program with python's one-line message.
 * sys.path[0] is the working folder, unless PYTHONSAFEPATH says no. Written
 * with __import__ so that no name is left in __main__.
 */
static void run_module(kn_session *s, const char *name, kn_run_result *r)
{
    static const char format[] =
        "__import__('sys').flags.safe_path or "
        "__import__('sys').path.__setitem__(0, __import__('os').getcwd())\n"
        "__import__('runpy')._run_module_as_main(%s)\n";
    char *literal = quoted(name);
    size_t n = sizeof format + (literal ? strlen(literal) : 0);
    char *code = literal ? malloc(n) : NULL;
    if (code)
        snprintf(code, n, format, literal);
    run_code(s, code ? code : "raise MemoryError", r);
    free(code);
    free(literal);
}

/* All of stdin, as one program: python reads it whole before running it too. */
static char *read_stdin(void)
{
    size_t len = 0, cap = 0;
    char *text = NULL;
    for (;;) {
        if (cap - len < 4096 + 1) {
            cap = 2 * cap + 4096 + 1;
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                return NULL;
            }
            text = grown;
        }
        ssize_t n = read(STDIN_FILENO, text + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    text[len] = '\0';
    return text;
}

static void run_stdin(kn_session *s, kn_run_result *r)
{
    char *program = read_stdin();
    run_code(s, program ? program : "raise MemoryError", r);
    free(program);
}

void kn_repl_run_program(kn_session *s, const kn_repl_options *o, kn_run_result *r)
{
    if (o->mode == KN_REPL_SCRIPT)
        kn_session_run_file(s, o->what, r);
    else if (o->mode == KN_REPL_MODULE)
        run_module(s, o->what, r);
    else if (o->mode == KN_REPL_STDIN)
        run_stdin(s, r);
    else
        run_code(s, o->what, r);
}
