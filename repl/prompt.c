/* The interactive prompt: >>> and ..., each complete cell run and its result shown. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

typedef struct cell {
    char *text;
    size_t len;
    size_t cap;
} cell;

static int append_line(cell *c, const char *line)
{
    size_t n = strlen(line);
    if (c->len + n + 2 > c->cap) {
        size_t cap = 2 * (c->len + n + 2);
        char *text = realloc(c->text, cap);
        if (!text)
            return -1;
        c->text = text;
        c->cap = cap;
    }
    memcpy(c->text + c->len, line, n);
    c->len += n;
    c->text[c->len++] = '\n';
    c->text[c->len] = '\0';
    return 0;
}

static int blank(const char *text)
{
    return text[strspn(text, " \t\r\n\f")] == '\0';
}

/*
 * Whether the cell can run, as the session answers Jupyter's is_complete. It
 * is asked without the final newline: "if x:\n  y" wants more, and the blank
 * line that follows makes it "if x:\n  y\n", which is done.
 */
static int ready(kn_session *s, cell *c)
{
    c->text[c->len - 1] = '\0';
    char *reply = kn_session_is_complete(s, c->text);
    c->text[c->len - 1] = '\n';
    char *status = kn_repl_json_string(reply, "status");
    int done = !status || strcmp(status, "incomplete") != 0;
    free(status);
    kn_free(reply);
    return done;
}

/* Runs a cell; returns 1 when it asked to exit, with *status set. */
static int run(kn_session *s, const char *code, int *status)
{
    kn_run_options opts = {.store_history = 1, .allow_stdin = 1, .report = 1};
    kn_run_result r;
    kn_session_run_cell(s, code, &opts, &r);
    int exit = r.exit_requested;
    if (exit)
        *status = r.exit_status;
    else if (!r.ok)
        kn_repl_print_error(r.error_json);
    kn_run_result_clear(&r);
    return exit;
}

/* Takes one line into the cell; returns 1 when the session asked to exit. */
static int take_line(kn_session *s, cell *c, const char *line, int *status)
{
    if (append_line(c, line) < 0) {
        fputs("kiln: out of memory\n", stderr);
        *status = 1;
        return 1;
    }
    if (!blank(c->text) && !ready(s, c))
        return 0;
    /* Cells are kept (In, history) as typed, without the newline of their last line. */
    c->text[c->len - 1] = '\0';
    int exit = !blank(c->text) && run(s, c->text, status);
    c->len = 0;
    return exit;
}

/* Prompts go to stderr when stdin is not a terminal, as with python -i, so stdout is the output. */
int kn_repl_prompt(kn_session *s)
{
    int tty = isatty(STDIN_FILENO);
    FILE *to = tty ? stdout : stderr;
    if (tty)
        fprintf(stderr, "kiln %s (Python %s)\n", kn_version(), kn_session_python_version(s));
    cell c = {0};
    int status = 0, exit = 0;
    while (!exit) {
        char *line;
        int n = kn_repl_read_line(c.len ? "... " : ">>> ", to, 0, &line);
        if (n == KN_REPL_LINE_EOF)
            break;
        if (n == KN_REPL_LINE_INTERRUPTED) {
            fputs("\nKeyboardInterrupt\n", stderr);
            c.len = 0;
            continue;
        }
        exit = take_line(s, &c, line, &status);
        free(line);
    }
    if (tty && !exit)
        fputc('\n', to);
    free(c.text);
    return status;
}
