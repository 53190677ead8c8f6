/* Lines edited on the terminal with GNU readline, through its callback interface. */
#include <stdio.h> /* before readline.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "repl.h"

/*
 * readline() itself would block in read(2), where a SIGINT cannot end the
 * line being typed. The callback interface lets the wait watch the interrupt
 * pipe too, as lines.c does, and SIGINT stays signals.c's (rl_catch_signals
 * off): readline never sees it.
 */
static char *line_read;
static int line_done;
static const char *carried; /* the indentation the line was given, before any key */

static void on_line(char *line)
{
    line_read = line;
    line_done = 1;
    rl_callback_handler_remove();
}

/* As python does when Ctrl-C ends a line: readline's state and the terminal put back. */
static void cancel(void)
{
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_cleanup_after_signal();
    rl_callback_handler_remove();
}

/*
 * A space typed first on a line that holds only its carried indentation
 * replaces it: whoever types the indentation themselves (out of habit, or
 * code typed ahead) gets what they typed, not twice as much.
 */
static int space(int count, int key)
{
    if (rl_last_func == NULL && carried && strcmp(rl_line_buffer, carried) == 0) {
        rl_delete_text(0, rl_end);
        rl_point = 0;
    }
    return rl_insert(count, key);
}

void kn_repl_readline_init(kn_session *s)
{
    rl_readline_name = "kiln"; /* for $if kiln in ~/.inputrc */
    rl_catch_signals = 0;
    /*
     * A bracketed paste would come back as one line, several statements in
     * it; off, a pasted block is read line by line, as typed (an inputrc may
     * still turn it on: it is read after this).
     */
    rl_variable_bind("enable-bracketed-paste", "off");
    rl_bind_key_in_map(' ', space, emacs_standard_keymap);
    rl_bind_key_in_map(' ', space, vi_insertion_keymap);
    kn_repl_complete_init(s);
    kn_repl_history_load();
}

/*
 * The indentation a cell carries is typed for the user, unless the next line
 * is already waiting (pasted, or typed ahead): that text has its own.
 */
static void carry(const char *indent)
{
    carried = NULL;
    if (!indent || !*indent || kn_repl_input_pending())
        return;
    rl_insert_text(indent);
    rl_redisplay();
    carried = indent;
    rl_last_func = NULL; /* what space() looks at: no key typed yet */
}

int kn_repl_readline(const char *prompt, const char *indent, char **line)
{
    kn_repl_interrupts_drain();
    line_read = NULL;
    line_done = 0;
    rl_callback_handler_install(prompt, on_line);
    carry(indent);
    while (!line_done) {
        if (kn_repl_wait_for_input() == KN_REPL_LINE_INTERRUPTED) {
            cancel();
            return KN_REPL_LINE_INTERRUPTED;
        }
        rl_callback_read_char();
    }
    if (!line_read)
        return KN_REPL_LINE_EOF;
    *line = line_read;
    return (int)strlen(line_read);
}
