/* Kiln's typed AST: one function's body, converted once from CPython's ast, in an arena. */
#ifndef KN_COMPILER_AST_H
#define KN_COMPILER_AST_H

#include <stdint.h>

#include "compiler/arena.h"
#include "compiler/types.h"

/* Where a node came from: 1-based line, 0-based column, as CPython's ast. */
typedef struct kn_loc {
    int line, col, end_line, end_col;
} kn_loc;

typedef enum kn_expr_kind {
    KN_E_INT,       /* literal: ival */
    KN_E_FLOAT,     /* literal: fval */
    KN_E_COMPLEX,   /* literal imaginary part: fval (1j, 2.5j) */
    KN_E_BOOL,      /* True / False: ival */
    KN_E_NONE,      /* None */
    KN_E_STR,       /* string literal: sval, ival its length in bytes (UTF-8) */
    KN_E_BYTES,     /* bytes literal: sval, ival its length */
    KN_E_ELLIPSIS,  /* ... */
    KN_E_NAME,      /* a local variable: var; or a global / builtin / module: name */
    KN_E_ATTR,      /* value.name: math.pi, z.real, a.shape */
    KN_E_UNARY,     /* op operand: KN_OP_NEG, KN_OP_POS, KN_OP_INVERT, KN_OP_NOT */
    KN_E_BINARY,    /* left op right */
    KN_E_COMPARE,   /* chained: operands[0] ops[0] operands[1] ops[1] ... */
    KN_E_BOOLOP,    /* and / or over operands[], short-circuit, Python's value rules */
    KN_E_IFEXP,     /* cond ? then : orelse (operands[0..2]) */
    KN_E_CALL,      /* func(args...): func is an expression (NAME or ATTR) */
    KN_E_TUPLE,     /* (a, b, ...) */
    KN_E_SUBSCRIPT, /* value[index]; index may be a TUPLE for a[i, j] */
    KN_E_SLICE,     /* lo:hi:step inside a subscript; missing parts are NULL */
    KN_E_LIST,      /* [a, b, ...]: operands, each may be STARRED */
    KN_E_SET,       /* {a, b, ...}: operands, each may be STARRED */
    KN_E_DICT,      /* {k: v, ...}: operands k0, v0, k1, v1...; a NULL key: {**v} */
    KN_E_STARRED,   /* *value: in a call, a display or an assignment target */
    KN_E_LISTCOMP,  /* [value for ...]: operands are its COMPFORs, outermost first */
    KN_E_SETCOMP,   /* {value for ...} */
    KN_E_DICTCOMP,  /* {value: index for ...} */
    KN_E_COMPFOR,   /* for operands[0] in value if operands[1] if ...: a comprehension's loop */
    KN_E_FSTRING,   /* f"...": operands are STR and FORMAT parts, joined */
    KN_E_FORMAT,    /* {value!c:spec} in an f-string: ival the conversion ('s', 'r', 'a', or -1),
                       index the spec (an FSTRING) or NULL */
    KN_E_CONST,     /* a global frozen at compile time: a folded value of `type` */
    KN_E_VALUE,     /* made by the lowering only: a value it computed (payload, an LLVM value) */
} kn_expr_kind;

typedef enum kn_op {
    KN_OP_ADD, KN_OP_SUB, KN_OP_MUL, KN_OP_DIV, KN_OP_FLOORDIV, KN_OP_MOD, KN_OP_POW,
    KN_OP_LSHIFT, KN_OP_RSHIFT, KN_OP_BITAND, KN_OP_BITOR, KN_OP_BITXOR, KN_OP_MATMUL,
    KN_OP_NEG, KN_OP_POS, KN_OP_INVERT, KN_OP_NOT,
    KN_OP_EQ, KN_OP_NE, KN_OP_LT, KN_OP_LE, KN_OP_GT, KN_OP_GE,
    KN_OP_IS, KN_OP_ISNOT, KN_OP_IN, KN_OP_NOTIN,
    KN_OP_AND, KN_OP_OR,
} kn_op;

typedef struct kn_var kn_var;
typedef struct kn_expr kn_expr;
typedef struct kn_stmt kn_stmt;

/* A local variable: one alloca in the lowered function. */
struct kn_var {
    const char *name;
    const kn_type *type; /* set by inference */
    int is_arg;          /* the index of the argument, or -1 */
    int hidden;          /* a comprehension's own variable: no name lookup finds it outside */
    int index;           /* position in kn_func.vars */
    kn_loc loc;          /* an argument's name in the def; zeros for other locals */
};

struct kn_expr {
    kn_expr_kind kind;
    kn_loc loc;
    const kn_type *type; /* set by inference */
    kn_op op;
    int64_t ival;
    double fval;
    const char *sval;  /* STR / BYTES literal, the NAME / ATTR identifier, or an INT's digits when
                          it does not fit in int64 (only object mode compiles it) */
    kn_var *var;       /* NAME of a local */
    kn_expr *value;    /* ATTR's object, SUBSCRIPT's container, CALL's callee, UNARY's operand,
                          STARRED's value, a comprehension's item (a dict's key), COMPFOR's
                          iterable, FORMAT's value */
    kn_expr *index;    /* SUBSCRIPT's index, DICTCOMP's value, FORMAT's spec */
    kn_expr **operands; /* BINARY (2), COMPARE (n+1), BOOLOP, IFEXP (3), CALL args, TUPLE items, SLICE (3) */
    int noperands;
    kn_op *ops;        /* COMPARE: n operators */
    const char **kwnames; /* CALL keyword arguments: names of the last nkw operands, NULL for
                             **mapping (inference binds a call to a kiln function: nkw is 0
                             after) */
    int nkw;
    void *payload;     /* a resolved callee (another specialization), a folded constant, ... */
};

typedef enum kn_stmt_kind {
    KN_S_EXPR,     /* expression statement: value */
    KN_S_ASSIGN,   /* targets[0] = ... = targets[n-1] = value; a target may be a TUPLE to unpack */
    KN_S_AUGASSIGN,/* target op= value */
    KN_S_RETURN,   /* return value (NULL: return None) */
    KN_S_IF,       /* if test: body else orelse */
    KN_S_WHILE,    /* while test: body else orelse */
    KN_S_FOR,      /* for target in iter: body else orelse */
    KN_S_BREAK,
    KN_S_CONTINUE,
    KN_S_PASS,
    KN_S_ASSERT,   /* assert test, msg */
    KN_S_RAISE,    /* raise value [from test]; value NULL: a bare raise (re-raise) */
    KN_S_DEL,      /* del targets[0], ... */
    KN_S_TRY,      /* try: body, handlers, else: orelse, finally: finalbody */
    KN_S_WITH,     /* with value [as targets[0]]: body (one item: several nest) */
    KN_S_GLOBAL,   /* global names: the front end resolved them; nothing to run */
    KN_S_IMPORT,   /* targets[0] = import module (see kn_import) */
} kn_stmt_kind;

/* A block: a counted list of statements. */
typedef struct kn_block {
    kn_stmt **stmts;
    int n;
} kn_block;

/* except type as name: body   (type NULL: a bare except; name NULL: no as; else a NAME target) */
typedef struct kn_handler {
    kn_loc loc;
    kn_expr *type;
    kn_expr *name;
    kn_block body;
} kn_handler;

/*
 * import a.b [as c] | from .a import b [as c]: one bound name each. The
 * module imports with the level and fromlist given (names NULL: none);
 * then the target gets the attribute path `attrs` of what it returned:
 * `import a.b as c` is a with attrs {"b"}, `from a import b` is a with
 * fromlist {"b"} and attrs {"b"}, and `import a.b` binds a itself.
 */
typedef struct kn_import {
    const char *module;
    int level;
    const char **fromlist;
    int nfromlist;
    const char **attrs;
    int nattrs;
} kn_import;

struct kn_stmt {
    kn_stmt_kind kind;
    kn_loc loc;
    kn_expr **targets; /* ASSIGN targets, AUGASSIGN / FOR target in targets[0] */
    int ntargets;
    kn_op op;          /* AUGASSIGN */
    kn_expr *value;    /* EXPR, ASSIGN, AUGASSIGN, RETURN, FOR's iterable, ASSERT's msg, RAISE's exc */
    kn_expr *test;     /* IF, WHILE, ASSERT; RAISE's cause */
    kn_block body;
    kn_block orelse;
    kn_handler *handlers; /* TRY */
    int nhandlers;
    kn_block finalbody; /* TRY */
    kn_import *import;  /* IMPORT */
};

/* One function: what the front end makes and every later stage reads. */
typedef struct kn_func {
    kn_arena *arena;     /* owns every node, name and array below */
    const char *name;    /* __name__ */
    const char *qualname;
    const char *filename;
    int first_line;      /* line of the def in the file */
    kn_loc def_loc;      /* the def line, from the def keyword to the line's end */
    const char **source_lines; /* the function's source, for diagnostics and annotation */
    int nsource_lines;
    kn_var **vars;       /* locals, arguments first */
    int nvars;
    int nargs;
    kn_block body;
    const kn_type *ret;  /* set by inference */
} kn_func;

#endif
