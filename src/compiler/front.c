/* The front end: Python source -> CPython ast (Python's own parser) -> Kiln AST, file locations. */
#include "compiler/front.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/source.h"

/*
 * The CPython tree stays alive for the whole conversion and nothing mutates
 * it, so a node's fields (kept in its __dict__) outlive the reference
 * GetAttr returns: field() drops that reference at once and hands back a
 * borrowed pointer. It spares every converter a ladder of Py_DECREFs.
 */
typedef struct conv {
    kn_func *f;
    kn_arena *arena;
    kn_diags diags;
    int text_line;  /* file line of the source text's line 1: the code object's first line */
    int line_base;  /* file line of the parsed text's line 1, minus 1 */
    int loop_depth; /* break and continue need an enclosing loop */
    int cap_vars;
    const char **globals; /* the names `global` statements declare: never locals */
    int nglobals, cap_globals;
    kn_var **scope; /* comprehension variables in scope, innermost last */
    int nscope, cap_scope;
} conv;

static PyObject *field(PyObject *node, const char *name)
{
    PyObject *v = PyObject_GetAttrString(node, name);
    if (!v) {
        PyErr_Clear();
        return NULL;
    }
    Py_DECREF(v);
    return v;
}

static long int_field(PyObject *node, const char *name, long missing)
{
    PyObject *v = field(node, name);
    return v && PyLong_Check(v) ? PyLong_AsLong(v) : missing;
}

/* "BinOp" for an ast.BinOp: the class name, without a module prefix. */
static const char *node_type(PyObject *node)
{
    const char *name = Py_TYPE(node)->tp_name;
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

static int is(PyObject *node, const char *type)
{
    return node && !strcmp(node_type(node), type);
}

static kn_loc loc_of(const conv *c, PyObject *node)
{
    kn_loc loc;
    loc.line = (int)int_field(node, "lineno", 1) + c->line_base;
    loc.col = (int)int_field(node, "col_offset", 0);
    loc.end_line = (int)int_field(node, "end_lineno", loc.line - c->line_base) + c->line_base;
    loc.end_col = (int)int_field(node, "end_col_offset", loc.col);
    return loc;
}

static const char *utf8(conv *c, PyObject *str)
{
    const char *s = str && PyUnicode_Check(str) ? PyUnicode_AsUTF8(str) : NULL;
    if (!s) {
        PyErr_Clear();
        return "";
    }
    return kn_arena_strdup(c->arena, s);
}

static void *alloc_array(conv *c, Py_ssize_t n, size_t size)
{
    return kn_arena_alloc(c->arena, (n > 0 ? n : 1) * size);
}

/* The names Python programmers know the constructs Kiln does not compile by. */
static const char *const construct_names[][2] = {
    {"Lambda", "lambda"},
    {"GeneratorExp", "generator expression"},
    {"Await", "await"},
    {"Yield", "yield (generator functions)"},
    {"YieldFrom", "yield from (generator functions)"},
    {"NamedExpr", "assignment expression (:=)"},
    {"FunctionDef", "nested function definition"},
    {"AsyncFunctionDef", "async function"},
    {"ClassDef", "class definition"},
    {"TryStar", "try statement with except*"},
    {"AsyncWith", "async with statement"},
    {"AsyncFor", "async for statement"},
    {"Nonlocal", "nonlocal statement"},
    {"Match", "match statement"},
};

static void *unsupported(conv *c, PyObject *node, const char *what)
{
    kn_diag_error(&c->diags, loc_of(c, node), "unsupported construct: %s", what);
    return NULL;
}

static void *unsupported_node(conv *c, PyObject *node)
{
    const char *type = node_type(node);
    for (size_t i = 0; i < sizeof construct_names / sizeof construct_names[0]; i++)
        if (!strcmp(type, construct_names[i][0]))
            return unsupported(c, node, construct_names[i][1]);
    return unsupported(c, node, type);
}

/* ---- locals ---- */

/* A growing arena array: *items holds *n of *cap; room for one more. */
static void *grow(conv *c, void *items, int n, int *cap, size_t size)
{
    if (n < *cap)
        return items;
    *cap = *cap ? 2 * *cap : 8;
    void *grown = alloc_array(c, *cap, size);
    if (n)
        memcpy(grown, items, (size_t)n * size);
    return grown;
}

static int is_global(const conv *c, const char *name)
{
    for (int i = 0; i < c->nglobals; i++)
        if (!strcmp(c->globals[i], name))
            return 1;
    return 0;
}

/* The function's own variable of that name (not a comprehension's). */
static kn_var *find_var(const kn_func *f, const char *name)
{
    for (int i = 0; i < f->nvars; i++)
        if (!f->vars[i]->hidden && !strcmp(f->vars[i]->name, name))
            return f->vars[i];
    return NULL;
}

static kn_var *new_var(conv *c, const char *name, int arg, int hidden)
{
    c->f->vars = grow(c, c->f->vars, c->f->nvars, &c->cap_vars, sizeof *c->f->vars);
    kn_var *v = kn_arena_alloc(c->arena, sizeof *v);
    v->name = kn_arena_strdup(c->arena, name);
    v->is_arg = arg;
    v->hidden = hidden;
    v->index = c->f->nvars;
    c->f->vars[c->f->nvars++] = v;
    return v;
}

/* The local `name`, added when new; NULL for a name a `global` statement declares. */
static kn_var *add_var(conv *c, PyObject *name, int arg)
{
    const char *s = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
    if (!s) {
        PyErr_Clear();
        return NULL;
    }
    if (arg < 0 && is_global(c, s))
        return NULL;
    kn_var *v = find_var(c->f, s);
    return v ? v : new_var(c, s, arg, 0);
}

// target = NAME | (target, ...) | [target, ...] | *target
static void collect_target(conv *c, PyObject *t)
{
    if (is(t, "Name")) {
        add_var(c, field(t, "id"), -1);
    } else if (is(t, "Tuple") || is(t, "List")) {
        PyObject *elts = field(t, "elts");
        for (Py_ssize_t i = 0; elts && i < PyList_GET_SIZE(elts); i++)
            collect_target(c, PyList_GET_ITEM(elts, i));
    } else if (is(t, "Starred")) {
        collect_target(c, field(t, "value"));
    }
}

static void collect_locals(conv *c, PyObject *stmts);

/* Applies each to every block nested in statement s: bodies, else clauses, handlers, finally. */
static void each_block(conv *c, PyObject *s, void (*each)(conv *, PyObject *))
{
    static const char *const blocks[] = {"body", "orelse", "finalbody"};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        PyObject *b = field(s, blocks[i]);
        if (b && PyList_Check(b))
            each(c, b);
    }
    PyObject *handlers = is(s, "Try") ? field(s, "handlers") : NULL;
    for (Py_ssize_t i = 0; handlers && i < PyList_GET_SIZE(handlers); i++)
        each(c, field(PyList_GET_ITEM(handlers, i), "body"));
}

// except E as name: name is a local
static void collect_handler_names(conv *c, PyObject *s)
{
    PyObject *handlers = field(s, "handlers");
    for (Py_ssize_t i = 0; handlers && i < PyList_GET_SIZE(handlers); i++) {
        PyObject *name = field(PyList_GET_ITEM(handlers, i), "name");
        if (name && name != Py_None)
            add_var(c, name, -1);
    }
}

// import a.b.c binds a; import a.b as c and from m import b as c bind c
static void collect_imports(conv *c, PyObject *s)
{
    PyObject *names = field(s, "names");
    for (Py_ssize_t i = 0; names && i < PyList_GET_SIZE(names); i++) {
        PyObject *alias = PyList_GET_ITEM(names, i);
        PyObject *as = field(alias, "asname");
        if (as && as != Py_None) {
            add_var(c, as, -1);
            continue;
        }
        const char *name = utf8(c, field(alias, "name"));
        const char *dot = strchr(name, '.');
        PyObject *top =
            PyUnicode_FromStringAndSize(name, dot ? dot - name : (Py_ssize_t)strlen(name));
        if (strcmp(name, "*"))
            add_var(c, top, -1);
        Py_XDECREF(top);
        PyErr_Clear();
    }
}

/*
 * Python makes a name local to the whole function when any statement
 * assigns it, even one that runs later: so the locals are found before
 * any expression is converted.
 */
static void collect_stmt_locals(conv *c, PyObject *s)
{
    PyObject *targets = is(s, "Assign") || is(s, "Delete") ? field(s, "targets") : NULL;
    for (Py_ssize_t i = 0; targets && i < PyList_GET_SIZE(targets); i++)
        collect_target(c, PyList_GET_ITEM(targets, i));
    if (is(s, "AugAssign") || is(s, "AnnAssign") || is(s, "For"))
        collect_target(c, field(s, "target"));
    PyObject *items = is(s, "With") ? field(s, "items") : NULL;
    for (Py_ssize_t i = 0; items && i < PyList_GET_SIZE(items); i++)
        collect_target(c, field(PyList_GET_ITEM(items, i), "optional_vars"));
    if (is(s, "Import") || is(s, "ImportFrom"))
        collect_imports(c, s);
    if (is(s, "Try"))
        collect_handler_names(c, s);
    if (is(s, "For") || is(s, "While") || is(s, "If") || is(s, "With") || is(s, "Try"))
        each_block(c, s, collect_locals);
}

static void collect_locals(conv *c, PyObject *stmts)
{
    for (Py_ssize_t i = 0; stmts && i < PyList_GET_SIZE(stmts); i++)
        collect_stmt_locals(c, PyList_GET_ITEM(stmts, i));
}

static void collect_globals(conv *c, PyObject *stmts);

// global a, b: anywhere in the function, these names are never locals
static void collect_global_stmt(conv *c, PyObject *s)
{
    PyObject *names = is(s, "Global") ? field(s, "names") : NULL;
    for (Py_ssize_t i = 0; names && i < PyList_GET_SIZE(names); i++) {
        c->globals = grow(c, c->globals, c->nglobals, &c->cap_globals, sizeof *c->globals);
        c->globals[c->nglobals++] = utf8(c, PyList_GET_ITEM(names, i));
    }
    if (!is(s, "FunctionDef") && !is(s, "ClassDef"))
        each_block(c, s, collect_globals);
}

static void collect_globals(conv *c, PyObject *stmts)
{
    for (Py_ssize_t i = 0; stmts && i < PyList_GET_SIZE(stmts); i++)
        collect_global_stmt(c, PyList_GET_ITEM(stmts, i));
}

/* ---- expressions ---- */

static kn_expr *conv_expr(conv *c, PyObject *node);

static kn_expr *new_expr(conv *c, kn_expr_kind kind, PyObject *node)
{
    kn_expr *e = kn_arena_alloc(c->arena, sizeof *e);
    e->kind = kind;
    e->loc = loc_of(c, node);
    return e;
}

/* A Python list of expressions into an arena array; returns the count. */
static int conv_exprs(conv *c, PyObject *list, kn_expr ***out)
{
    Py_ssize_t n = list ? PyList_GET_SIZE(list) : 0;
    *out = alloc_array(c, n, sizeof **out);
    for (Py_ssize_t i = 0; i < n; i++)
        (*out)[i] = conv_expr(c, PyList_GET_ITEM(list, i));
    return (int)n;
}

static const struct {
    const char *type;
    kn_op op;
} operators[] = {
    {"Add", KN_OP_ADD},
    {"Sub", KN_OP_SUB},
    {"Mult", KN_OP_MUL},
    {"Div", KN_OP_DIV},
    {"FloorDiv", KN_OP_FLOORDIV},
    {"Mod", KN_OP_MOD},
    {"Pow", KN_OP_POW},
    {"LShift", KN_OP_LSHIFT},
    {"RShift", KN_OP_RSHIFT},
    {"BitAnd", KN_OP_BITAND},
    {"BitOr", KN_OP_BITOR},
    {"BitXor", KN_OP_BITXOR},
    {"MatMult", KN_OP_MATMUL},
    {"USub", KN_OP_NEG},
    {"UAdd", KN_OP_POS},
    {"Invert", KN_OP_INVERT},
    {"Not", KN_OP_NOT},
    {"Eq", KN_OP_EQ},
    {"NotEq", KN_OP_NE},
    {"Lt", KN_OP_LT},
    {"LtE", KN_OP_LE},
    {"Gt", KN_OP_GT},
    {"GtE", KN_OP_GE},
    {"Is", KN_OP_IS},
    {"IsNot", KN_OP_ISNOT},
    {"In", KN_OP_IN},
    {"NotIn", KN_OP_NOTIN},
    {"And", KN_OP_AND},
    {"Or", KN_OP_OR},
};

static kn_op op_of(PyObject *node)
{
    const char *type = node_type(node);
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
        if (!strcmp(type, operators[i].type))
            return operators[i].op;
    return KN_OP_ADD; /* unreachable: the ast module has no other operator */
}

/* A str or bytes literal's bytes (UTF-8 for str), NUL-terminated, with their length in ival. */
static void keep_bytes(conv *c, kn_expr *e, const char *text, Py_ssize_t n)
{
    char *copy = kn_arena_alloc(c->arena, (size_t)n + 1);
    memcpy(copy, text, (size_t)n);
    copy[n] = 0;
    e->sval = copy;
    e->ival = n;
}

// 12345678901234567890123: an int beyond int64 keeps its digits (object mode only compiles it)
static void conv_big_int(conv *c, kn_expr *e, PyObject *v)
{
    PyObject *digits = PyObject_Str(v);
    e->sval = utf8(c, digits);
    Py_XDECREF(digits);
}

// "text" | b"bytes" | ...
static int conv_text(conv *c, kn_expr *e, PyObject *v)
{
    Py_ssize_t n;
    const char *text = NULL;
    if (PyUnicode_Check(v)) {
        e->kind = KN_E_STR;
        text = PyUnicode_AsUTF8AndSize(v, &n);
    } else if (PyBytes_Check(v)) {
        e->kind = KN_E_BYTES;
        text = PyBytes_AS_STRING(v);
        n = PyBytes_GET_SIZE(v);
    } else {
        e->kind = v == Py_Ellipsis ? KN_E_ELLIPSIS : KN_E_NONE;
        return 1;
    }
    if (!text) {
        kn_diag_error(&c->diags, e->loc, "this string cannot be encoded in UTF-8");
        PyErr_Clear();
        return 0;
    }
    keep_bytes(c, e, text, n);
    return 1;
}

// 42 | 2.5 | 3j | True | None | "text" | b"bytes" | ..., from a Python value
static kn_expr *conv_value(conv *c, PyObject *node, PyObject *v)
{
    kn_expr *e = new_expr(c, KN_E_NONE, node);
    if (PyBool_Check(v)) {
        e->kind = KN_E_BOOL;
        e->ival = v == Py_True;
    } else if (PyLong_Check(v)) {
        int overflow;
        e->kind = KN_E_INT;
        e->ival = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow)
            conv_big_int(c, e, v);
    } else if (PyFloat_Check(v)) {
        e->kind = KN_E_FLOAT;
        e->fval = PyFloat_AS_DOUBLE(v);
    } else if (PyComplex_Check(v)) {
        e->kind = KN_E_COMPLEX; /* a literal's real part is always 0 */
        e->fval = PyComplex_ImagAsDouble(v);
    } else if (!conv_text(c, e, v)) {
        return NULL;
    }
    return e;
}

// 42 | 2.5 | 3j | True | None | "text"
static kn_expr *conv_constant(conv *c, PyObject *node)
{
    return conv_value(c, node, field(node, "value"));
}

/* A comprehension's variable of that name, innermost first, else the function's own. */
static kn_var *visible_var(const conv *c, const char *name)
{
    for (int i = c->nscope - 1; i >= 0; i--)
        if (!strcmp(c->scope[i]->name, name))
            return c->scope[i];
    return is_global(c, name) ? NULL : find_var(c->f, name);
}

// NAME: a local when the function assigns it, else left for inference to resolve
static kn_expr *conv_name(conv *c, PyObject *node)
{
    kn_expr *e = new_expr(c, KN_E_NAME, node);
    e->sval = utf8(c, field(node, "id"));
    e->var = visible_var(c, e->sval);
    return e;
}

/*
 * -x | +x | ~x | not x
 * A minus before a numeric literal folds into the literal, so that
 * -9223372036854775808 fits and x ** -2 shows a constant negative exponent.
 */
static kn_expr *conv_unary(conv *c, PyObject *node)
{
    kn_op op = op_of(field(node, "op"));
    PyObject *operand = field(node, "operand");
    PyObject *v = is(operand, "Constant") ? field(operand, "value") : NULL;
    if (op == KN_OP_NEG && v && PyNumber_Check(v) && !PyBool_Check(v)) {
        PyObject *neg = PyNumber_Negative(v);
        kn_expr *e = neg ? conv_value(c, node, neg) : NULL;
        Py_XDECREF(neg);
        PyErr_Clear();
        return e;
    }
    kn_expr *e = new_expr(c, KN_E_UNARY, node);
    e->op = op;
    e->value = conv_expr(c, operand);
    return e;
}

// a < b <= c ...: operands a, b, c; ops <, <=
static kn_expr *conv_compare(conv *c, PyObject *node)
{
    kn_expr *e = new_expr(c, KN_E_COMPARE, node);
    PyObject *ops = field(node, "ops");
    PyObject *rest = field(node, "comparators");
    Py_ssize_t n = PyList_GET_SIZE(ops);
    e->ops = alloc_array(c, n, sizeof *e->ops);
    e->operands = alloc_array(c, n + 1, sizeof *e->operands);
    e->operands[0] = conv_expr(c, field(node, "left"));
    for (Py_ssize_t i = 0; i < n; i++) {
        e->ops[i] = op_of(PyList_GET_ITEM(ops, i));
        e->operands[i + 1] = conv_expr(c, PyList_GET_ITEM(rest, i));
    }
    e->noperands = (int)n + 1;
    return e;
}

// func(arg, ..., *args, name=arg, ..., **kwargs): keyword values follow the positional ones
static kn_expr *conv_call(conv *c, PyObject *node)
{
    kn_expr *e = new_expr(c, KN_E_CALL, node);
    e->value = conv_expr(c, field(node, "func"));
    PyObject *args = field(node, "args");
    PyObject *kws = field(node, "keywords");
    Py_ssize_t nargs = PyList_GET_SIZE(args), nkw = PyList_GET_SIZE(kws);
    e->operands = alloc_array(c, nargs + nkw, sizeof *e->operands);
    e->kwnames = alloc_array(c, nkw, sizeof *e->kwnames);
    for (Py_ssize_t i = 0; i < nargs; i++)
        e->operands[i] = conv_expr(c, PyList_GET_ITEM(args, i));
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *kw = PyList_GET_ITEM(kws, i);
        PyObject *name = field(kw, "arg");
        e->kwnames[i] = name && name != Py_None ? utf8(c, name) : NULL; /* NULL: **mapping */
        e->operands[nargs + i] = conv_expr(c, field(kw, "value"));
    }
    e->noperands = (int)(nargs + nkw);
    e->nkw = (int)nkw;
    return e;
}

static kn_expr *conv_optional(conv *c, PyObject *node)
{
    return node && node != Py_None ? conv_expr(c, node) : NULL;
}

/* What a field of a CPython node becomes in the kn_expr that converts it. */
typedef enum part {
    P_NONE,
    P_VALUE,   /* e->value */
    P_INDEX,   /* e->index */
    P_NAME,    /* e->sval, an identifier */
    P_OP,      /* e->op, an operator node */
    P_OPERAND, /* the next of e->operands; NULL for a None field (a slice's missing parts) */
    P_LIST,    /* e->operands, the whole list */
} part;

/*
 * The nodes that convert field by field, each field into its part of the
 * kn_expr:
 *     value.attr | left op right | a and b ... | then if test else orelse
 *     | (a, b, ...) | [a, b, ...] | {a, b, ...} | *value | f"text{value}..."
 *     | value[index] | lo:hi:step (each part optional)
 */
static const struct shape {
    const char *type;
    kn_expr_kind kind;
    struct {
        part part;
        const char *field;
    } fields[3];
} shapes[] = {
    {"Attribute", KN_E_ATTR, {{P_VALUE, "value"}, {P_NAME, "attr"}}},
    {"BinOp", KN_E_BINARY, {{P_OP, "op"}, {P_OPERAND, "left"}, {P_OPERAND, "right"}}},
    {"BoolOp", KN_E_BOOLOP, {{P_OP, "op"}, {P_LIST, "values"}}},
    {"IfExp", KN_E_IFEXP, {{P_OPERAND, "test"}, {P_OPERAND, "body"}, {P_OPERAND, "orelse"}}},
    {"Tuple", KN_E_TUPLE, {{P_LIST, "elts"}}},
    {"List", KN_E_LIST, {{P_LIST, "elts"}}},
    {"Set", KN_E_SET, {{P_LIST, "elts"}}},
    {"Starred", KN_E_STARRED, {{P_VALUE, "value"}}},
    {"JoinedStr", KN_E_FSTRING, {{P_LIST, "values"}}},
    {"Subscript", KN_E_SUBSCRIPT, {{P_VALUE, "value"}, {P_INDEX, "slice"}}},
    {"Slice", KN_E_SLICE, {{P_OPERAND, "lower"}, {P_OPERAND, "upper"}, {P_OPERAND, "step"}}},
};

static void conv_part(conv *c, kn_expr *e, part part, PyObject *v)
{
    switch (part) {
    case P_VALUE:
        e->value = conv_expr(c, v);
        return;
    case P_INDEX:
        e->index = conv_expr(c, v);
        return;
    case P_NAME:
        e->sval = utf8(c, v);
        return;
    case P_OP:
        e->op = op_of(v);
        return;
    case P_OPERAND:
        e->operands[e->noperands++] = conv_optional(c, v);
        return;
    case P_LIST:
        e->noperands = conv_exprs(c, v, &e->operands);
        return;
    case P_NONE:
        return;
    }
}

static kn_expr *conv_shaped(conv *c, PyObject *node, const struct shape *shape)
{
    kn_expr *e = new_expr(c, shape->kind, node);
    e->operands = alloc_array(c, 3, sizeof *e->operands);
    for (int i = 0; i < 3 && shape->fields[i].part != P_NONE; i++)
        conv_part(c, e, shape->fields[i].part, field(node, shape->fields[i].field));
    return e;
}

// {key: value, ..., **mapping}: keys and values interleaved; **mapping has a NULL key
static kn_expr *conv_dict(conv *c, PyObject *node)
{
    kn_expr *e = new_expr(c, KN_E_DICT, node);
    PyObject *keys = field(node, "keys"), *values = field(node, "values");
    Py_ssize_t n = PyList_GET_SIZE(keys);
    e->operands = alloc_array(c, 2 * n, sizeof *e->operands);
    for (Py_ssize_t i = 0; i < n; i++) {
        e->operands[2 * i] = conv_optional(c, PyList_GET_ITEM(keys, i));
        e->operands[2 * i + 1] = conv_expr(c, PyList_GET_ITEM(values, i));
    }
    e->noperands = (int)(2 * n);
    return e;
}

// {value!conversion:spec} in an f-string
static kn_expr *conv_formatted(conv *c, PyObject *node)
{
    kn_expr *e = new_expr(c, KN_E_FORMAT, node);
    e->value = conv_expr(c, field(node, "value"));
    e->ival = int_field(node, "conversion", -1);
    e->index = conv_optional(c, field(node, "format_spec"));
    return e;
}

/*
 * A comprehension's targets are its own variables, as the function Python
 * makes of it has them: hidden from the enclosing code, in scope for the
 * conditions, the later iterables and the item.
 */
static void scope_targets(conv *c, PyObject *t, int mark)
{
    if (is(t, "Tuple") || is(t, "List")) {
        PyObject *elts = field(t, "elts");
        for (Py_ssize_t i = 0; elts && i < PyList_GET_SIZE(elts); i++)
            scope_targets(c, PyList_GET_ITEM(elts, i), mark);
        return;
    }
    if (is(t, "Starred")) {
        scope_targets(c, field(t, "value"), mark);
        return;
    }
    const char *name = is(t, "Name") ? utf8(c, field(t, "id")) : NULL;
    for (int i = mark; name && i < c->nscope; i++)
        if (!strcmp(c->scope[i]->name, name))
            return;
    if (!name)
        return;
    c->scope = grow(c, c->scope, c->nscope, &c->cap_scope, sizeof *c->scope);
    c->scope[c->nscope++] = new_var(c, name, -1, 1);
}

// for target in iterable if cond ...: one loop of a comprehension
static kn_expr *conv_compfor(conv *c, PyObject *gen, kn_expr *iterable)
{
    if (int_field(gen, "is_async", 0))
        return unsupported(c, gen, "async comprehension");
    kn_expr *e = new_expr(c, KN_E_COMPFOR, gen);
    PyObject *ifs = field(gen, "ifs");
    Py_ssize_t n = ifs ? PyList_GET_SIZE(ifs) : 0;
    e->operands = alloc_array(c, n + 1, sizeof *e->operands);
    e->operands[0] = conv_expr(c, field(gen, "target"));
    e->value = iterable ? iterable : conv_expr(c, field(gen, "iter"));
    for (Py_ssize_t i = 0; i < n; i++)
        e->operands[i + 1] = conv_expr(c, PyList_GET_ITEM(ifs, i));
    e->noperands = (int)n + 1;
    e->loc = e->operands[0] ? e->operands[0]->loc : e->loc; /* a comprehension node has none */
    return e;
}

/*
 * [item for ...] | {item for ...} | {key: value for ...}
 * The first iterable is evaluated outside the comprehension's scope, as
 * Python passes it to the comprehension's function.
 */
static kn_expr *conv_comprehension(conv *c, PyObject *node)
{
    kn_expr_kind kind = is(node, "ListComp")  ? KN_E_LISTCOMP
                        : is(node, "SetComp") ? KN_E_SETCOMP
                                              : KN_E_DICTCOMP;
    kn_expr *e = new_expr(c, kind, node);
    PyObject *gens = field(node, "generators");
    Py_ssize_t n = PyList_GET_SIZE(gens);
    kn_expr *first = conv_expr(c, field(PyList_GET_ITEM(gens, 0), "iter"));
    int mark = c->nscope;
    for (Py_ssize_t i = 0; i < n; i++)
        scope_targets(c, field(PyList_GET_ITEM(gens, i), "target"), mark);
    e->operands = alloc_array(c, n, sizeof *e->operands);
    for (Py_ssize_t i = 0; i < n; i++)
        e->operands[i] = conv_compfor(c, PyList_GET_ITEM(gens, i), i ? NULL : first);
    e->noperands = (int)n;
    e->value = conv_expr(c, field(node, kind == KN_E_DICTCOMP ? "key" : "elt"));
    if (kind == KN_E_DICTCOMP)
        e->index = conv_expr(c, field(node, "value"));
    c->nscope = mark;
    return e;
}

/* The nodes that need more than their fields converted. */
static const struct {
    const char *type;
    kn_expr *(*fn)(conv *, PyObject *);
} expr_rules[] = {
    {"Constant", conv_constant},
    {"Name", conv_name},
    {"UnaryOp", conv_unary},
    {"Compare", conv_compare},
    {"Call", conv_call},
    {"Dict", conv_dict},
    {"FormattedValue", conv_formatted},
    {"ListComp", conv_comprehension},
    {"SetComp", conv_comprehension},
    {"DictComp", conv_comprehension},
};

static kn_expr *conv_expr(conv *c, PyObject *node)
{
    const char *type = node_type(node);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        if (!strcmp(type, shapes[i].type))
            return conv_shaped(c, node, &shapes[i]);
    for (size_t i = 0; i < sizeof expr_rules / sizeof expr_rules[0]; i++)
        if (!strcmp(type, expr_rules[i].type))
            return expr_rules[i].fn(c, node);
    return unsupported_node(c, node);
}

/* ---- statements ---- */

static kn_block conv_block(conv *c, PyObject *stmts);

static kn_stmt *new_stmt(conv *c, kn_stmt_kind kind, PyObject *node)
{
    kn_stmt *s = kn_arena_alloc(c->arena, sizeof *s);
    s->kind = kind;
    s->loc = loc_of(c, node);
    return s;
}

static kn_expr **one(conv *c, kn_expr *e)
{
    kn_expr **list = alloc_array(c, 1, sizeof *list);
    list[0] = e;
    return list;
}

// expr   (a bare string is a docstring or a comment: dropped)
static kn_stmt *conv_expr_stmt(conv *c, PyObject *node)
{
    PyObject *value = field(node, "value");
    if (is(value, "Constant") && PyUnicode_Check(field(value, "value")))
        return NULL;
    kn_stmt *s = new_stmt(c, KN_S_EXPR, node);
    s->value = conv_expr(c, value);
    return s;
}

// target = target = ... = value
static kn_stmt *conv_assign(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_ASSIGN, node);
    s->ntargets = conv_exprs(c, field(node, "targets"), &s->targets);
    s->value = conv_expr(c, field(node, "value"));
    return s;
}

// target: annotation = value   (the annotation is ignored, as Python ignores it)
static kn_stmt *conv_annassign(conv *c, PyObject *node)
{
    PyObject *value = field(node, "value");
    if (!value || value == Py_None)
        return NULL;
    kn_stmt *s = new_stmt(c, KN_S_ASSIGN, node);
    s->targets = one(c, conv_expr(c, field(node, "target")));
    s->ntargets = 1;
    s->value = conv_expr(c, value);
    return s;
}

// target op= value
static kn_stmt *conv_augassign(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_AUGASSIGN, node);
    s->targets = one(c, conv_expr(c, field(node, "target")));
    s->ntargets = 1;
    s->op = op_of(field(node, "op"));
    s->value = conv_expr(c, field(node, "value"));
    return s;
}

// return [value]
static kn_stmt *conv_return(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_RETURN, node);
    s->value = conv_optional(c, field(node, "value"));
    return s;
}

// if test: body [elif ...] [else: orelse]   (an elif is an if alone in orelse)
static kn_stmt *conv_if(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_IF, node);
    s->test = conv_expr(c, field(node, "test"));
    s->body = conv_block(c, field(node, "body"));
    s->orelse = conv_block(c, field(node, "orelse"));
    return s;
}

/* A loop's body sees break and continue; its else clause belongs outside. */
static void conv_loop_blocks(conv *c, kn_stmt *s, PyObject *node)
{
    c->loop_depth++;
    s->body = conv_block(c, field(node, "body"));
    c->loop_depth--;
    s->orelse = conv_block(c, field(node, "orelse"));
}

// while test: body [else: orelse]
static kn_stmt *conv_while(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_WHILE, node);
    s->test = conv_expr(c, field(node, "test"));
    conv_loop_blocks(c, s, node);
    return s;
}

// for target in iter: body [else: orelse]
static kn_stmt *conv_for(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_FOR, node);
    s->targets = one(c, conv_expr(c, field(node, "target")));
    s->ntargets = 1;
    s->value = conv_expr(c, field(node, "iter"));
    conv_loop_blocks(c, s, node);
    return s;
}

// break | continue | pass
static kn_stmt *conv_jump(conv *c, PyObject *node)
{
    kn_stmt_kind kind = is(node, "Pass")    ? KN_S_PASS
                        : is(node, "Break") ? KN_S_BREAK
                                            : KN_S_CONTINUE;
    if (kind != KN_S_PASS && !c->loop_depth) {
        kn_diag_error(&c->diags, loc_of(c, node), "'%s' outside loop",
                      kind == KN_S_BREAK ? "break" : "continue");
        return NULL;
    }
    return new_stmt(c, kind, node);
}

/* Python runs with -O (sys.flags.optimize): its compiler drops assert statements. */
static int optimizing(void)
{
    PyObject *flags = PySys_GetObject("flags"); /* borrowed */
    PyObject *level = flags ? PyObject_GetAttrString(flags, "optimize") : NULL;
    long n = level ? PyLong_AsLong(level) : 0;
    Py_XDECREF(level);
    if (PyErr_Occurred())
        PyErr_Clear();
    return n > 0;
}

// assert test [, msg]: a pass under -O, in both modes, as CPython and Numba drop it
static kn_stmt *conv_assert(conv *c, PyObject *node)
{
    if (optimizing())
        return new_stmt(c, KN_S_PASS, node);
    kn_stmt *s = new_stmt(c, KN_S_ASSERT, node);
    s->test = conv_expr(c, field(node, "test"));
    s->value = conv_optional(c, field(node, "msg"));
    return s;
}

// raise [exc [from cause]]   (raise alone re-raises the exception being handled)
static kn_stmt *conv_raise(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_RAISE, node);
    s->value = conv_optional(c, field(node, "exc"));
    s->test = conv_optional(c, field(node, "cause"));
    return s;
}

// del target, ...
static kn_stmt *conv_delete(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_DEL, node);
    s->ntargets = conv_exprs(c, field(node, "targets"), &s->targets);
    return s;
}

static kn_expr *name_target(conv *c, PyObject *node, const char *name);

// except [type [as name]]: body
static void conv_handler(conv *c, kn_handler *h, PyObject *node)
{
    PyObject *name = field(node, "name");
    h->loc = loc_of(c, node);
    h->type = conv_optional(c, field(node, "type"));
    h->name = name && name != Py_None ? name_target(c, node, utf8(c, name)) : NULL;
    h->body = conv_block(c, field(node, "body"));
}

// try: body [except ...: handler]... [else: orelse] [finally: finalbody]
static kn_stmt *conv_try(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_TRY, node);
    s->body = conv_block(c, field(node, "body"));
    PyObject *handlers = field(node, "handlers");
    s->nhandlers = handlers ? (int)PyList_GET_SIZE(handlers) : 0;
    s->handlers = alloc_array(c, s->nhandlers, sizeof *s->handlers);
    for (int i = 0; i < s->nhandlers; i++)
        conv_handler(c, &s->handlers[i], PyList_GET_ITEM(handlers, i));
    s->orelse = conv_block(c, field(node, "orelse"));
    s->finalbody = conv_block(c, field(node, "finalbody"));
    return s;
}

/* A block of one statement. */
static kn_block block_of(conv *c, kn_stmt *s)
{
    kn_block b = {alloc_array(c, 1, sizeof *b.stmts), s != NULL};
    b.stmts[0] = s;
    return b;
}

// with a [as x], b [as y]: body   is   with a [as x]: with b [as y]: body
static kn_stmt *conv_with(conv *c, PyObject *node)
{
    PyObject *items = field(node, "items");
    kn_block body = conv_block(c, field(node, "body"));
    kn_stmt *s = NULL;
    for (Py_ssize_t i = PyList_GET_SIZE(items) - 1; i >= 0; i--) {
        PyObject *item = PyList_GET_ITEM(items, i);
        kn_stmt *outer = new_stmt(c, KN_S_WITH, node);
        outer->value = conv_expr(c, field(item, "context_expr"));
        kn_expr *target = conv_optional(c, field(item, "optional_vars"));
        outer->targets = one(c, target);
        outer->ntargets = target != NULL;
        outer->body = s ? block_of(c, s) : body;
        s = outer;
    }
    return s;
}

// global a, b: collect_globals made the names globals already
static kn_stmt *conv_global(conv *c, PyObject *node)
{
    return new_stmt(c, KN_S_GLOBAL, node);
}

/* "a.b.c" split at its dots, into an arena array; returns the count. */
static int split_dots(conv *c, const char *path, const char ***out)
{
    int n = 1;
    for (const char *p = path; *p; p++)
        n += *p == '.';
    *out = alloc_array(c, n, sizeof **out);
    for (int i = 0; i < n; i++) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        (*out)[i] = kn_arena_strndup(c->arena, path, len);
        path += len + 1;
    }
    return n;
}

/* The NAME a name binds to, as a target. */
static kn_expr *name_target(conv *c, PyObject *node, const char *name)
{
    kn_expr *e = new_expr(c, KN_E_NAME, node);
    e->sval = kn_arena_strdup(c->arena, name);
    e->var = visible_var(c, e->sval);
    return e;
}

// import a.b.c: binds a; import a.b.c as d: binds d to a.b.c
static void conv_import_alias(conv *c, kn_stmt *s, int i, PyObject *alias)
{
    kn_import *im = &s->import[i];
    PyObject *as = field(alias, "asname");
    im->module = utf8(c, field(alias, "name"));
    const char **parts;
    int n = split_dots(c, im->module, &parts);
    if (as && as != Py_None) {
        im->attrs = parts + 1;
        im->nattrs = n - 1;
    }
    s->targets[i] = name_target(c, alias, as && as != Py_None ? utf8(c, as) : parts[0]);
}

// from .module import name [as other], ...
static void conv_from_alias(conv *c, kn_stmt *s, int i, PyObject *alias, PyObject *node)
{
    kn_import *im = &s->import[i];
    PyObject *module = field(node, "module"), *as = field(alias, "asname");
    im->module = module && module != Py_None ? utf8(c, module) : "";
    im->level = (int)int_field(node, "level", 0);
    im->attrs = alloc_array(c, 1, sizeof *im->attrs);
    im->attrs[0] = utf8(c, field(alias, "name"));
    im->nattrs = 1;
    if (!strcmp(im->attrs[0], "*"))
        unsupported(c, node, "from ... import *");
    s->targets[i] = name_target(c, alias, as && as != Py_None ? utf8(c, as) : im->attrs[0]);
}

// import a.b [as c], ... | from .m import a [as b], ...: one target per name
static kn_stmt *conv_import(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_IMPORT, node);
    PyObject *names = field(node, "names");
    int n = (int)PyList_GET_SIZE(names), from = is(node, "ImportFrom");
    s->ntargets = n;
    s->targets = alloc_array(c, n, sizeof *s->targets);
    s->import = alloc_array(c, n, sizeof *s->import);
    const char **fromlist = from ? alloc_array(c, n, sizeof *fromlist) : NULL;
    for (int i = 0; i < n; i++) {
        PyObject *alias = PyList_GET_ITEM(names, i);
        if (!from) {
            conv_import_alias(c, s, i, alias);
            continue;
        }
        conv_from_alias(c, s, i, alias, node);
        fromlist[i] = s->import[i].attrs[0];
    }
    for (int i = 0; from && i < n; i++) {
        s->import[i].fromlist = fromlist;
        s->import[i].nfromlist = n;
    }
    return s;
}

static const struct {
    const char *type;
    kn_stmt *(*fn)(conv *, PyObject *);
} stmt_rules[] = {
    {"Expr", conv_expr_stmt},      {"Assign", conv_assign}, {"AnnAssign", conv_annassign},
    {"AugAssign", conv_augassign}, {"Return", conv_return}, {"If", conv_if},
    {"While", conv_while},         {"For", conv_for},       {"Break", conv_jump},
    {"Continue", conv_jump},       {"Pass", conv_jump},     {"Assert", conv_assert},
    {"Raise", conv_raise},         {"Delete", conv_delete}, {"Try", conv_try},
    {"With", conv_with},           {"Global", conv_global}, {"Import", conv_import},
    {"ImportFrom", conv_import},
};

static kn_stmt *conv_stmt(conv *c, PyObject *node)
{
    const char *type = node_type(node);
    for (size_t i = 0; i < sizeof stmt_rules / sizeof stmt_rules[0]; i++)
        if (!strcmp(type, stmt_rules[i].type))
            return stmt_rules[i].fn(c, node);
    return unsupported_node(c, node);
}

static kn_block conv_block(conv *c, PyObject *stmts)
{
    kn_block b = {0};
    Py_ssize_t n = stmts ? PyList_GET_SIZE(stmts) : 0;
    b.stmts = alloc_array(c, n, sizeof *b.stmts);
    for (Py_ssize_t i = 0; i < n; i++) {
        kn_stmt *s = conv_stmt(c, PyList_GET_ITEM(stmts, i));
        if (s)
            b.stmts[b.n++] = s;
    }
    return b;
}

/* ---- the function ---- */

static void reject_params(conv *c, PyObject *list, const char *what)
{
    for (Py_ssize_t i = 0; list && i < PyList_GET_SIZE(list); i++)
        unsupported(c, PyList_GET_ITEM(list, i), what);
}

/*
 * def f(a, b=2, /, c=0.5): positional parameters. Defaults are the callers'
 * business: the dispatcher binds them to a call from Python, inference to
 * a call from compiled code; the function itself takes every parameter.
 */
static void conv_params(conv *c, PyObject *args)
{
    PyObject *lists[] = {field(args, "posonlyargs"), field(args, "args")};
    for (int l = 0; l < 2; l++)
        for (Py_ssize_t i = 0; lists[l] && i < PyList_GET_SIZE(lists[l]); i++) {
            PyObject *arg = PyList_GET_ITEM(lists[l], i);
            kn_var *v = add_var(c, field(arg, "arg"), c->f->nvars);
            if (v)
                v->loc = loc_of(c, arg);
        }
    c->f->nargs = c->f->nvars;
    PyObject *vararg = field(args, "vararg"), *kwarg = field(args, "kwarg");
    if (vararg && vararg != Py_None)
        unsupported(c, vararg, "*args parameter");
    if (kwarg && kwarg != Py_None)
        unsupported(c, kwarg, "**kwargs parameter");
    reject_params(c, field(args, "kwonlyargs"), "keyword-only parameter");
}

static int plain_error(const char *fmt, ...)
{
    PyObject *type = kn_diag_typing_error_type();
    if (!type)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    PyErr_FormatV(type, fmt, ap);
    va_end(ap);
    return -1;
}

/*
 * The function's name and file, and the file line its source starts on:
 * the code object's first line (its first decorator's), which is the
 * compiler's count of lines whatever linecache holds.
 */
static int describe_function(conv *c, PyObject *pyfunc)
{
    kn_func *f = c->f;
    PyCodeObject *code = (PyCodeObject *)PyFunction_GET_CODE(pyfunc);
    PyObject *qualname = ((PyFunctionObject *)pyfunc)->func_qualname;
    f->arena = c->arena;
    f->name = kn_arena_strdup(c->arena, PyUnicode_AsUTF8(code->co_name));
    f->qualname = kn_arena_strdup(c->arena, qualname ? PyUnicode_AsUTF8(qualname) : f->name);
    f->filename = kn_arena_strdup(c->arena, PyUnicode_AsUTF8(code->co_filename));
    c->text_line = code->co_firstlineno;
    if (!strcmp(f->name, "<lambda>"))
        return plain_error("cannot compile a lambda: define the function with def");
    return 0;
}

/* The def's text, decorators first: a new reference, or NULL with TypingError. */
static PyObject *source_text(const kn_func *f, PyObject *pyfunc)
{
    PyObject *text = kn_source_of(pyfunc);
    if (!text)
        plain_error("cannot compile %s: its source is not available (functions typed at a plain "
                    "python prompt or built with exec have no source file)",
                    f->name);
    return text;
}

/*
 * The def's text parsed by Python's own parser, as ast.parse parses it but
 * without importing ast (~10 ms of the first compilation): the parsed
 * statements, a new reference. An indented def (a method) is parsed as the
 * body of an `if 1:` put before it rather than dedented, so columns stay
 * the file's and lines less indented than the def (inside brackets or
 * strings) still parse.
 */
static PyObject *parse_source(conv *c, const char *text)
{
    static const char prefix[] = "if 1:\n";
    const char *first;
    int indented = kn_source_indentation(text, &first) > 0;
    size_t n = strlen(text);
    char *wrapped = indented ? malloc(sizeof prefix + n) : NULL;
    if (indented && !wrapped)
        return PyErr_NoMemory();
    if (wrapped) {
        memcpy(wrapped, prefix, sizeof prefix - 1);
        memcpy(wrapped + sizeof prefix - 1, text, n + 1);
    }
    PyCompilerFlags flags = {.cf_flags = PyCF_ONLY_AST | PyCF_IGNORE_COOKIE,
                             .cf_feature_version = PY_MINOR_VERSION};
    PyObject *tree = Py_CompileStringExFlags(wrapped ? wrapped : text, c->f->filename,
                                             Py_file_input, &flags, -1);
    free(wrapped);
    c->line_base = c->text_line - 1 - indented;
    PyObject *stmts = tree ? field(tree, "body") : NULL;
    if (stmts && indented)
        stmts = field(PyList_GET_ITEM(stmts, 0), "body");
    Py_XINCREF(stmts); /* the statements keep their nodes alive once the Module goes */
    Py_XDECREF(tree);
    if (stmts)
        return stmts;
    PyErr_Clear();
    plain_error("cannot compile %s: its source does not parse on its own", c->f->name);
    return NULL;
}

/* The def's own lines, from the def on: diagnostics quote them, inspect_types annotates them. */
static void keep_source(conv *c, const char *text, int def_index)
{
    const char *p = text, *next;
    for (int i = 0; i < def_index && *p; i++, p = next)
        kn_source_line(p, &next);
    int n = 0;
    for (const char *q = p; *q; q = next, n++)
        kn_source_line(q, &next);
    c->f->source_lines = alloc_array(c, n, sizeof *c->f->source_lines);
    c->f->nsource_lines = n;
    for (int i = 0; i < n; i++, p = next)
        c->f->source_lines[i] = kn_arena_strndup(c->arena, p, kn_source_line(p, &next));
}

/* The def's first line, from the def keyword to the line's end: where errors about it point. */
static kn_loc def_loc(const conv *c, PyObject *def)
{
    kn_loc loc = loc_of(c, def);
    loc.end_line = loc.line;
    loc.end_col = c->f->nsource_lines ? (int)strlen(c->f->source_lines[0]) : loc.col;
    return loc;
}

/* The def of the function, checked by name: a file edited since it was defined can hold other code.
 */
static PyObject *find_def(conv *c, PyObject *stmts)
{
    PyObject *def = PyList_GET_SIZE(stmts) ? PyList_GET_ITEM(stmts, 0) : NULL;
    if (!is(def, "FunctionDef")) {
        plain_error("cannot compile %s: its source does not start with a def (%s)", c->f->name,
                    def ? node_type(def) : "empty");
        return NULL;
    }
    const char *name = utf8(c, field(def, "name"));
    if (strcmp(name, c->f->name)) {
        plain_error("cannot compile %s: its source (%s, line %d) defines %s instead; was the file "
                    "changed since?",
                    c->f->name, c->f->filename, c->text_line, name);
        return NULL;
    }
    return def;
}

static int conv_def(conv *c, PyObject *stmts, const char *text)
{
    PyObject *def = find_def(c, stmts);
    if (!def)
        return -1;
    c->f->first_line = c->line_base + (int)int_field(def, "lineno", 1);
    keep_source(c, text, c->f->first_line - c->text_line);
    c->f->def_loc = def_loc(c, def);
    kn_diag_init(&c->diags, c->f);
    collect_globals(c, field(def, "body"));
    conv_params(c, field(def, "args"));
    collect_locals(c, field(def, "body"));
    c->f->body = conv_block(c, field(def, "body"));
    return c->diags.count ? kn_diag_raise(&c->diags) : 0;
}

kn_func *kn_front_convert(PyObject *pyfunc, kn_arena *arena)
{
    if (!PyFunction_Check(pyfunc)) {
        plain_error("cannot compile %R: it is not a Python function", pyfunc);
        return NULL;
    }
    conv c = {.arena = arena, .f = kn_arena_alloc(arena, sizeof(kn_func))};
    if (describe_function(&c, pyfunc) < 0)
        return NULL;
    PyObject *text = source_text(c.f, pyfunc);
    const char *utf = text ? PyUnicode_AsUTF8(text) : NULL;
    PyObject *stmts = utf ? parse_source(&c, utf) : NULL;
    int rc = stmts ? conv_def(&c, stmts, utf) : -1;
    Py_XDECREF(stmts);
    Py_XDECREF(text);
    return rc < 0 ? NULL : c.f;
}
