/* Tab at the prompt: the session's completer (the kernel's), its matches fitted to readline's word.
 */
#include <stdio.h> /* before readline.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "repl.h"

static kn_session *session;
static const char *context; /* the cell's lines before this one: jedi sees the whole cell */

/* The matches of one Tab, handed to readline one at a time by next_match. */
static struct {
    char **items;
    size_t n, cap, next;
} found;

/* The session's positions count code points; readline's count bytes of UTF-8. */
static long code_points(const char *text, size_t bytes)
{
    long n = 0;
    for (size_t i = 0; i < bytes; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

static size_t byte_offset(const char *text, long points)
{
    size_t i = 0;
    for (long n = -1; text[i]; i++) {
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
        if (n == points)
            return i;
    }
    return i;
}

static void keep(char *match)
{
    if (found.n == found.cap) {
        size_t cap = found.cap ? 2 * found.cap : 16;
        char **items = realloc(found.items, cap * sizeof *items);
        if (!items) {
            free(match);
            return;
        }
        found.items = items;
        found.cap = cap;
    }
    found.items[found.n++] = match;
}

/* Where the session's replacement begins in the line, and readline's word. */
typedef struct word {
    int from;  /* the session's: a match replaces line[from, cursor) */
    int start; /* readline's: what it puts a match in place of is line[start, cursor) */
} word;

/*
 * A match made to replace readline's word: jedi's start where it does, but
 * rlcompleter's replace the whole dotted name (os.pa -> os.path), where
 * readline's word is what follows the last '.'.
 */
static void fit(void *ctx, const char *match)
{
    const word *w = ctx;
    const char *line = rl_line_buffer;
    if (w->from <= w->start) {
        size_t skip = (size_t)(w->start - w->from);
        if (strncmp(match, line + w->from, skip) == 0)
            keep(strdup(match + skip));
        return;
    }
    size_t before = (size_t)(w->from - w->start), n = strlen(match);
    char *fitted = malloc(before + n + 1);
    if (!fitted)
        return;
    memcpy(fitted, line + w->start, before);
    memcpy(fitted + before, match, n + 1);
    keep(fitted);
}

/* rl_completion_matches's generator: readline frees what it returns. */
static char *next_match(const char *text, int state)
{
    (void)text;
    if (state == 0)
        found.next = 0;
    return found.next < found.n ? strdup(found.items[found.next++]) : NULL;
}

static void find_matches(int start)
{
    size_t before = context ? strlen(context) : 0;
    size_t n = strlen(rl_line_buffer);
    char *code = malloc(before + n + 1);
    if (!code)
        return;
    memcpy(code, context ? context : "", before);
    memcpy(code + before, rl_line_buffer, n + 1);
    long cursor = code_points(code, before + (size_t)rl_point);
    char *reply = kn_session_complete(session, code, (int)cursor);
    long from = kn_repl_json_int(reply, "cursor_start", cursor);
    word w = {(int)((long)byte_offset(code, from) - (long)before), start};
    if (w.from >= 0 && w.from <= rl_point)
        kn_repl_json_each_string(reply, "matches", fit, &w);
    kn_free(reply);
    free(code);
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;      /* never readline's file names */
    rl_completion_append_character = '\0'; /* a name is not a word: no space after it */
    find_matches(start);
    char **matches = found.n ? rl_completion_matches(text, next_match) : NULL;
    for (size_t i = 0; i < found.n; i++)
        free(found.items[i]);
    found.n = 0;
    return matches;
}

/* Tab indents where the line is blank before the cursor, and completes elsewhere. */
static int tab(int count, int key)
{
    if (strspn(rl_line_buffer, " \t") >= (size_t)rl_point)
        return rl_insert_text("    ") > 0 ? 0 : 1;
    /* rl_complete lists the matches when a second Tab follows it: it did come last, as tab. */
    if (rl_last_func == tab)
        rl_last_func = rl_complete;
    return rl_complete(count, key);
}

void kn_repl_complete_init(kn_session *s)
{
    session = s;
    rl_attempted_completion_function = complete;
    /* Python's punctuation ends a word, '.' too: attributes complete on their own. */
    rl_completer_word_break_characters = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?.";
    rl_bind_key_in_map('\t', tab, emacs_standard_keymap);
    rl_bind_key_in_map('\t', tab, vi_insertion_keymap);
}

void kn_repl_complete_context(const char *cell_before)
{
    context = cell_before;
}
