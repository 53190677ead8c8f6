/* What the parts of the `kiln` terminal front end share. */
#ifndef KILN_REPL_H
#define KILN_REPL_H

#include <stdio.h>

#include "kiln/session.h"

/* args.c: the command line, read as python reads its own. */
enum kn_repl_mode { KN_REPL_PROMPT, KN_REPL_SCRIPT, KN_REPL_CODE, KN_REPL_MODULE, KN_REPL_STDIN };

typedef struct kn_repl_options {
    enum kn_repl_mode mode;
    const char *what; /* the script's path, the code, or the module's name */
    int inspect;      /* -i: the prompt after the program, even when stdin is not a terminal */
    int color;        /* colour is wanted: neither --no-color nor a NO_COLOR variable */
    int argc;         /* sys.argv */
    char **argv;
} kn_repl_options;

/* Returns -1 when the options say to run something, else the status to exit with now. */
int kn_repl_parse_args(int argc, char **argv, kn_repl_options *o);

/* What the session's callbacks see (the frontend's ctx). */
typedef struct kn_repl {
    int show_results; /* at the prompt the display hook prints; a -i program's does not */
    int readline;     /* stdin and stdout are terminals: lines are edited with readline */
} kn_repl;

/* script.c: the program of the command line (script, -c, -m or -), run as python runs it. */
void kn_repl_run_program(kn_session *s, const kn_repl_options *o, kn_run_result *r);

/* prompt.c: cells read and run until end of input or exit; returns the exit status. */
int kn_repl_prompt(kn_session *s, kn_repl *repl, const kn_repl_options *o);

/* signals.c: SIGINT interrupts the running cell, or the wait for a line. */
/* Whether SIGINT is ignored by inheritance (as `cmd &` leaves it); then it stays so. */
int kn_repl_sigint_ignored(void);
void kn_repl_signals_install(kn_session *s);
/* Readable after a SIGINT (-1 when not installed); drain it before waiting. */
int kn_repl_interrupt_fd(void);
void kn_repl_interrupts_drain(void);

/* lines.c: reading a line of stdin, with the prompt written to `to`. */
enum { KN_REPL_LINE_EOF = -1, KN_REPL_LINE_INTERRUPTED = -2 };
/* Waits until stdin has bytes (or its end): 1, or KN_REPL_LINE_INTERRUPTED on SIGINT. */
int kn_repl_wait_for_input(void);
/* Whether stdin has bytes waiting already (typed ahead or pasted). */
int kn_repl_input_pending(void);
int kn_repl_read_line(const char *prompt, FILE *to, int password, char **line);
/* The session's input callback; ctx is the kn_repl. */
int kn_repl_input(void *ctx, const char *prompt, int password, char **line);

/* readline.c: a line edited on the terminal, the cell's indentation already typed. */
/* Sets readline up (signals, completion, history); before any line is read. */
void kn_repl_readline_init(kn_session *s);
int kn_repl_readline(const char *prompt, const char *indent, char **line);

/* complete.c: Tab completes with the session's completer; the cell so far gives context. */
void kn_repl_complete_init(kn_session *s);
void kn_repl_complete_context(const char *cell_before);

/* history.c: whole cells, kept in $KILN_HISTORY or ~/.kiln_history across runs. */
void kn_repl_history_load(void);
void kn_repl_history_add(const char *cell);
void kn_repl_history_save(void);

/* show.c: what the session hands back, on the terminal. */
void kn_repl_show(void *ctx, const char *data_json, const char *metadata_json, int count);
void kn_repl_print_error(const char *error_json);
/* The status a program's run ends the process with; a KeyboardInterrupt is a SIGINT death. */
int kn_repl_exit_status(const kn_run_result *r, int *killed_by_sigint);

/* json.c: values read from the session's JSON replies (top-level members only). */
char *kn_repl_json_string(const char *json, const char *key);
long kn_repl_json_int(const char *json, const char *key, long fallback);
void kn_repl_json_each_string(const char *json, const char *key,
                              void (*fn)(void *ctx, const char *text), void *ctx);

#endif
