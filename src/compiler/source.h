/* A Python function's source, with its lines numbered as Python's compiler numbers them. */
#ifndef KN_COMPILER_SOURCE_H
#define KN_COMPILER_SOURCE_H

#include <Python.h>

/*
 * The text of func's def, decorators first, as a new reference: the lines
 * of its file (through linecache: a file, or a notebook cell the session
 * registered there) from its code object's first line on, as far as
 * inspect.getblock takes them. As inspect.getsourcelines, but the file's
 * lines are split where the tokenizer splits them: a cell registered with
 * str.splitlines is also split at form feeds, \x1c and \u2028, which would
 * shift every line after them. NULL, no exception set, when there is no
 * source (a plain python prompt, exec).
 */
PyObject *kn_source_of(PyObject *func);

/*
 * The length of the line text starts with, its end not counted, and in
 * *next where the line after it starts: lines end where the tokenizer ends
 * them, at \n, \r\n or \r.
 */
size_t kn_source_line(const char *text, const char **next);

#endif
