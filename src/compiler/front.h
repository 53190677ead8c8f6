/* The front end: a Python function's source, through CPython's parser, into Kiln's AST. */
#ifndef KN_COMPILER_FRONT_H
#define KN_COMPILER_FRONT_H

#include <Python.h>

#include "compiler/ast.h"

/*
 * Reads pyfunc's source (kn_source_of: Jupyter cells work because the
 * session registers them in linecache), parses it with Python's parser and
 * converts the def into a kn_func allocated in arena.
 *
 * Locations are the file's: line numbers count from the top of the file (or
 * cell) and columns from the start of the line, a method's indentation included.
 * f->first_line is the `def` line and f->source_lines[i] is the file's line
 * first_line + i (decorators are dropped); f->def_loc spans the def line.
 * Parameters may have defaults (their callers bind them). Locals are the
 * arguments (first, in order, each var->loc its name in the def) and every
 * name the body assigns; any other NAME is a global,
 * builtin or module, left for inference (var NULL, sval its identifier).
 * Docstrings and other bare string statements are dropped.
 *
 * Returns NULL with kiln.TypingError set when the source is not available
 * (or holds another function: the file changed since) or the function uses
 * a construct Kiln does not compile (all of them are reported, each with
 * its location). Called with the GIL held.
 */
kn_func *kn_front_convert(PyObject *pyfunc, kn_arena *arena);

#endif
