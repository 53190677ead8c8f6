/* Reading lines of stdin: the prompt's, and input()'s while a cell runs at the prompt. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "repl.h"

/*
 * stdin is read here rather than through stdio, so that the wait can watch
 * the interrupt pipe too: a SIGINT that comes just before the read still ends
 * the wait, where a read(2) would only return EINTR if it had already begun.
 */
static struct {
    char data[4096];
    size_t start;
    size_t end;
} in;

typedef struct text {
    char *data;
    size_t len;
} text;

static int append(text *t, const char *p, size_t n)
{
    char *data = realloc(t->data, t->len + n + 1);
    if (!data)
        return -1;
    memcpy(data + t->len, p, n);
    t->data = data;
    t->len += n;
    t->data[t->len] = '\0';
    return 0;
}

int kn_repl_wait_for_input(void)
{
    struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {kn_repl_interrupt_fd(), POLLIN, 0}};
    for (;;) {
        int n = poll(fds, fds[1].fd >= 0 ? 2 : 1, -1);
        if (n < 0 && errno != EINTR)
            return 1;
        if (n > 0 && fds[1].revents) {
            kn_repl_interrupts_drain();
            return KN_REPL_LINE_INTERRUPTED;
        }
        if (n > 0)
            return 1;
    }
}

int kn_repl_input_pending(void)
{
    struct pollfd fd = {STDIN_FILENO, POLLIN, 0};
    return in.start < in.end || poll(&fd, 1, 0) > 0;
}

/* Moves the buffered bytes up to a newline into t; returns 1 when the line is whole. */
static int take_buffered(text *t, int *failed)
{
    const char *p = in.data + in.start;
    const char *nl = memchr(p, '\n', in.end - in.start);
    size_t n = nl ? (size_t)(nl - p) + 1 : in.end - in.start;
    *failed = append(t, p, n) < 0;
    in.start += n;
    return nl != NULL;
}

/* The next line with its newline (none at the end of input), or EOF, or interrupted. */
static int next_line(text *t)
{
    for (;;) {
        int failed;
        if (take_buffered(t, &failed) || failed)
            return failed ? KN_REPL_LINE_EOF : 0;
        int rc = kn_repl_wait_for_input();
        if (rc < 0)
            return rc;
        ssize_t n = read(STDIN_FILENO, in.data, sizeof in.data);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return t->len > 0 ? 0 : KN_REPL_LINE_EOF;
        in.start = 0;
        in.end = (size_t)n;
    }
}

/* A password is read with echo off, when stdin is a terminal. */
static int echo_off(struct termios *saved)
{
    struct termios quiet;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, saved) < 0)
        return 0;
    quiet = *saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    return tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
}

int kn_repl_read_line(const char *prompt, FILE *to, int password, char **line)
{
    struct termios saved;
    int quiet = password && echo_off(&saved);
    kn_repl_interrupts_drain();
    fputs(prompt, to);
    fflush(to);
    text t = {0};
    int rc = next_line(&t);
    if (quiet) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', to);
    }
    if (rc < 0) {
        free(t.data);
        *line = NULL;
        return rc;
    }
    if (t.len > 0 && t.data[t.len - 1] == '\n')
        t.data[--t.len] = '\0';
    *line = t.data ? t.data : strdup("");
    return (int)t.len;
}

/*
 * input() at the prompt, edited with readline on a terminal (a password is
 * not: readline would show it). End of input is answered as OK without a
 * line (EOFError).
 */
int kn_repl_input(void *ctx, const char *prompt, int password, char **line)
{
    const kn_repl *repl = ctx;
    int n = repl->readline && !password ? kn_repl_readline(prompt, NULL, line)
                                        : kn_repl_read_line(prompt, stdout, password, line);
    return n == KN_REPL_LINE_INTERRUPTED ? KN_INPUT_INTERRUPTED : KN_INPUT_OK;
}
