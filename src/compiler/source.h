/* A Python function's source, with its lines numbered as Python's compiler numbers them. */
#ifndef KN_COMPILER_SOURCE_H
#define KN_COMPILER_SOURCE_H

#include <Python.h>

/*
 * The text of func's def, decorators first, as a new reference: the lines
 * of its file (through linecache: a file, or a notebook cell the session
 * registered there; a plain UTF-8 script is read directly while nothing
 * has imported linecache) from its code object's first line on, as far as
 * inspect.getblock takes them. As inspect.getsourcelines, without importing
 * inspect (~20 ms), and with the file's lines split where the tokenizer
 * splits them: a cell registered with str.splitlines is also split at form
 * feeds, \x1c and \u2028, which would shift every line after them. NULL,
 * no exception set, when there is no source (a plain python prompt, exec).
 */
PyObject *kn_source_of(PyObject *func);

/*
 * The length of the line text starts with, its end not counted, and in
 * *next where the line after it starts: lines end where the tokenizer ends
 * them, at \n, \r\n or \r.
 */
size_t kn_source_line(const char *text, const char **next);

/*
 * The column of the first token on the line that starts at line, counted
 * as the tokenizer counts it (a tab to the next multiple of 8, a form feed
 * back to 0); *first is where that token, or the line's end, is.
 */
int kn_source_indentation(const char *line, const char **first);

#endif
