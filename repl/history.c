/* The prompt's history: whole cells, in $KILN_HISTORY or ~/.kiln_history, shared by every run. */
#include <errno.h>
#include <stdio.h> /* before history.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>

#include "repl.h"

/*
 * A cell is one entry, its lines together, so Up brings back a whole def.
 * In the file a timestamp line starts each entry: that is how readline reads
 * a multi-line entry back as one. Each cell is appended as it is run, so runs
 * side by side lose nothing of each other's; when a run ends the file is
 * read again, with the cells of other runs, and cut to the last ENTRIES.
 */
enum { ENTRIES = 1000 };

static char *path;

/* $KILN_HISTORY (what tests use), else ~/.kiln_history; NULL without either. */
static char *history_path(void)
{
    const char *chosen = getenv("KILN_HISTORY");
    if (chosen && *chosen)
        return strdup(chosen);
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    size_t n = strlen(home) + sizeof "/.kiln_history";
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/.kiln_history", home);
    return p;
}

void kn_repl_history_load(void)
{
    history_comment_char = '#'; /* timestamps are written as #SECONDS, as bash's */
    history_write_timestamps = 1;
    history_multiline_entries = 1;
    stifle_history(ENTRIES);
    path = history_path();
    if (path)
        read_history(path);
}

/* A cell goes in without the blank lines that ended it. */
void kn_repl_history_add(const char *cell)
{
    size_t n = strlen(cell);
    while (n > 0 && cell[n - 1] == '\n')
        n--;
    char *entry = strndup(cell, n);
    if (!entry)
        return;
    add_history(entry);
    free(entry);
    /* append_history does not create the file; write_history does. */
    if (path && append_history(1, path) == ENOENT)
        write_history(path);
}

void kn_repl_history_save(void)
{
    if (!path)
        return;
    clear_history();
    if (read_history(path) == 0)
        write_history(path);
}
