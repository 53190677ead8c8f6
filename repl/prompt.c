/* The interactive prompt: >>> and ..., each complete cell run, its result and compilations shown.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

typedef struct cell {
    char *text;
    size_t len;
    size_t cap;
} cell;

typedef struct prompt {
    kn_session *s;
    const kn_repl *repl;
    FILE *to; /* where prompts go without readline */
    cell c;
    char *indent; /* how the next line starts, when the cell wants more */
    int status;   /* the process's exit status */
    int exit;     /* the session asked to exit */
} prompt;

static int blank(const char *text)
{
    return text[strspn(text, " \t\r\n\f")] == '\0';
}

/* A line of white space alone (the carried indentation, left as it came) is a blank line. */
static int append_line(cell *c, const char *line)
{
    size_t n = blank(line) ? 0 : strlen(line);
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

/*
 * Whether the cell can run, as the session answers Jupyter's is_complete. It
 * is asked without the final newline: "if x:\n  y" wants more, and the blank
 * line that follows makes it "if x:\n  y\n", which is done. When it wants
 * more, *indent is how the next line starts (the same indentation, four
 * spaces more after a ':').
 */
static int ready(kn_session *s, cell *c, char **indent)
{
    c->text[c->len - 1] = '\0';
    char *reply = kn_session_is_complete(s, c->text);
    c->text[c->len - 1] = '\n';
    char *status = kn_repl_json_string(reply, "status");
    int done = !status || strcmp(status, "incomplete") != 0;
    *indent = done ? NULL : kn_repl_json_string(reply, "indent");
    free(status);
    kn_free(reply);
    return done;
}

/*
 * Runs a cell. Magics and the report of what it compiled are the session's:
 * they come back through kn_repl_show, as text/plain.
 */
static void run(prompt *p, const char *code)
{
    kn_run_options opts = {.store_history = 1, .allow_stdin = 1, .report = 1};
    kn_run_result r;
    kn_session_run_cell(p->s, code, &opts, &r);
    p->exit = r.exit_requested;
    if (p->exit)
        p->status = r.exit_status;
    else if (!r.ok)
        kn_repl_print_error(r.error_json);
    kn_run_result_clear(&r);
}

/* Takes one line into the cell, and runs the cell once it is complete. */
static void take_line(prompt *p, const char *line)
{
    cell *c = &p->c;
    free(p->indent);
    p->indent = NULL;
    if (append_line(c, line) < 0) {
        fputs("kiln: out of memory\n", stderr);
        p->status = p->exit = 1;
        return;
    }
    if (!blank(c->text) && !ready(p->s, c, &p->indent))
        return;
    /* Cells are kept (In, history) as typed, without the newline of their last line. */
    c->text[c->len - 1] = '\0';
    if (!blank(c->text)) {
        if (p->repl->readline)
            kn_repl_history_add(c->text);
        run(p, c->text);
    }
    c->len = 0;
}

static int read_line(prompt *p, char **line)
{
    const char *ps = p->c.len ? "... " : ">>> ";
    if (!p->repl->readline)
        return kn_repl_read_line(ps, p->to, 0, line);
    kn_repl_complete_context(p->c.len ? p->c.text : "");
    return kn_repl_readline(ps, p->indent, line);
}

/*
 * As python -u: what a running cell prints shows at once, partial lines
 * included. A silent cell, since front ends reach Python through the session.
 */
static const char unbuffered[] =
    "def _kiln_unbuffered():\n"
    "    import io, sys\n"
    "    for name in 'stdout', 'stderr':\n"
    "        f = getattr(sys, name)\n"
    "        try:\n"
    "            raw = io.FileIO(f.fileno(), 'w', closefd=False)\n"
    "        except (AttributeError, OSError, ValueError):\n"
    "            continue  # None, or not a file: left as it is\n"
    "        setattr(sys, name, io.TextIOWrapper(raw, f.encoding, f.errors,\n"
    "                line_buffering=f.line_buffering, write_through=True))\n"
    "_kiln_unbuffered()\n"
    "del _kiln_unbuffered\n";

static void make_unbuffered(kn_session *s)
{
    kn_run_options opts = {.silent = 1};
    kn_run_result r;
    kn_session_run_cell(s, unbuffered, &opts, &r);
    kn_run_result_clear(&r);
}

static void forget_cell(prompt *p)
{
    p->c.len = 0;
    free(p->indent);
    p->indent = NULL;
}

/*
 * Interactive (stdin a terminal, or -i): output unbuffered, a banner when no
 * program ran first. When stdin is not a terminal the prompts go to stderr,
 * as python's do, so that stdout is the output alone.
 */
int kn_repl_prompt(kn_session *s, kn_repl *repl, const kn_repl_options *o)
{
    int tty = isatty(STDIN_FILENO);
    if (tty || o->inspect)
        make_unbuffered(s);
    if (tty && o->mode == KN_REPL_PROMPT)
        fprintf(stderr, "kiln %s (Python %s)\n", kn_version(), kn_session_python_version(s));
    repl->show_results = 1;
    prompt p = {.s = s, .repl = repl, .to = tty ? stdout : stderr};
    while (!p.exit) {
        char *line;
        int n = read_line(&p, &line);
        if (n == KN_REPL_LINE_EOF)
            break;
        if (n == KN_REPL_LINE_INTERRUPTED) {
            fputs("\nKeyboardInterrupt\n", stderr);
            forget_cell(&p);
            continue;
        }
        take_line(&p, line);
        free(line);
    }
    if (tty && !p.exit)
        fputc('\n', p.to);
    if (repl->readline)
        kn_repl_history_save();
    free(p.c.text);
    free(p.indent);
    return p.status;
}
