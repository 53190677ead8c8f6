/* What the parts of the `kiln` terminal front end share. */
#ifndef KILN_REPL_H
#define KILN_REPL_H

#include <stdio.h>

#include "kiln/session.h"

/* main.c's modes. Each returns the process's exit status. */
int kn_repl_run_script(kn_session *s, const char *path, int *killed_by_sigint);
int kn_repl_run_code(kn_session *s, const char *code, int *killed_by_sigint);
int kn_repl_prompt(kn_session *s);

/* signals.c: SIGINT interrupts the running cell, or the wait for a line. */
/* Whether SIGINT is ignored by inheritance (as `cmd &` leaves it); then it stays so. */
int kn_repl_sigint_ignored(void);
void kn_repl_signals_install(kn_session *s);
/* Readable after a SIGINT (-1 when not installed); drain it before waiting. */
int kn_repl_interrupt_fd(void);
void kn_repl_interrupts_drain(void);

/* lines.c: reading a line of stdin, with the prompt written to `to`. */
enum { KN_REPL_LINE_EOF = -1, KN_REPL_LINE_INTERRUPTED = -2 };
int kn_repl_read_line(const char *prompt, FILE *to, int password, char **line);
int kn_repl_input(void *ctx, const char *prompt, int password, char **line);

/* show.c: what the session hands back, on the terminal. */
void kn_repl_show(void *ctx, const char *data_json, const char *metadata_json, int count);
void kn_repl_print_error(const char *error_json);
/* The status a script's run ends the process with; a KeyboardInterrupt is a SIGINT death. */
int kn_repl_exit_status(const kn_run_result *r, int *killed_by_sigint);

/* json.c: values read from the session's JSON replies (top-level members only). */
char *kn_repl_json_string(const char *json, const char *key);
void kn_repl_json_each_string(const char *json, const char *key,
                              void (*fn)(void *ctx, const char *text), void *ctx);

#endif
