/* SIGINT: interrupts the running cell, or the wait for a line (through a pipe the wait watches). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

static kn_session *session;
static int pipe_fds[2] = {-1, -1};

static void on_sigint(int sig)
{
    (void)sig;
    int saved = errno;
    kn_session_interrupt(session);
    ssize_t ignored = write(pipe_fds[1], "!", 1);
    (void)ignored;
    errno = saved;
}

int kn_repl_sigint_ignored(void)
{
    struct sigaction current;
    return sigaction(SIGINT, NULL, &current) == 0 && !(current.sa_flags & SA_SIGINFO) &&
           current.sa_handler == SIG_IGN;
}

/* Without the pipe (out of descriptors), a SIGINT just before a read is lost: nothing worse. */
static void open_pipe(void)
{
    if (pipe(pipe_fds) < 0)
        return;
    for (int i = 0; i < 2; i++) {
        fcntl(pipe_fds[i], F_SETFL, O_NONBLOCK);
        fcntl(pipe_fds[i], F_SETFD, FD_CLOEXEC);
    }
}

void kn_repl_signals_install(kn_session *s)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    session = s;
    open_pipe();
    sigaction(SIGINT, &action, NULL);
}

int kn_repl_interrupt_fd(void)
{
    return pipe_fds[0];
}

void kn_repl_interrupts_drain(void)
{
    char buf[64];
    while (pipe_fds[0] >= 0 && read(pipe_fds[0], buf, sizeof buf) > 0)
        ;
}
