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
    {"ListComp", "list comprehension"},
    {"SetComp", "set comprehension"},
    {"DictComp", "dict comprehension"},
    {"GeneratorExp", "generator expression"},
    {"List", "list display"},
    {"Dict", "dict display"},
    {"Set", "set display"},
    {"Await", "await"},
    {"Yield", "yield"},
    {"YieldFrom", "yield from"},
    {"Starred", "starred expression"},
    {"NamedExpr", "assignment expression (:=)"},
    {"JoinedStr", "f-string"},
    {"FunctionDef", "nested function definition"},
    {"AsyncFunctionDef", "async function"},
    {"ClassDef", "class definition"},
    {"Delete", "del statement"},
    {"Try", "try statement"},
    {"TryStar", "try statement"},
    {"With", "with statement"},
    {"AsyncWith", "async with statement"},
    {"AsyncFor", "async for statement"},
    {"Global", "global statement"},
    {"Nonlocal", "nonlocal statement"},
    {"Import", "import statement"},
    {"ImportFrom", "import statement"},
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

static kn_var *find_var(const kn_func *f, const char *name)
{
    for (int i = 0; i < f->nvars; i++)
        if (!strcmp(f->vars[i]->name, name))
            return f->vars[i];
    return NULL;
}

static kn_var *add_var(conv *c, PyObject *name, int arg)
{
    const char *s = PyUnicode_AsUTF8(name);
    if (!s) {
        PyErr_Clear();
        return NULL;
    }
    kn_var *v = find_var(c->f, s);
    if (v)
        return v;
    if (c->f->nvars == c->cap_vars) {
        c->cap_vars = c->cap_vars ? 2 * c->cap_vars : 8;
        kn_var **vars = alloc_array(c, c->cap_vars, sizeof *vars);
        if (c->f->nvars)
            memcpy(vars, c->f->vars, c->f->nvars * sizeof *vars);
        c->f->vars = vars;
    }
    v = kn_arena_alloc(c->arena, sizeof *v);
    v->name = kn_arena_strdup(c->arena, s);
    v->is_arg = arg;
    v->index = c->f->nvars;
    c->f->vars[c->f->nvars++] = v;
    return v;
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

/*
 * Python makes a name local to the whole function when any statement
 * assigns it, even one that runs later: so the locals are found before
 * any expression is converted.
 */
static void collect_stmt_locals(conv *c, PyObject *s)
{
    if (is(s, "Assign")) {
        PyObject *targets = field(s, "targets");
        for (Py_ssize_t i = 0; targets && i < PyList_GET_SIZE(targets); i++)
            collect_target(c, PyList_GET_ITEM(targets, i));
        return;
    }
    if (is(s, "AugAssign") || is(s, "AnnAssign") || is(s, "For"))
        collect_target(c, field(s, "target"));
    if (is(s, "For") || is(s, "While") || is(s, "If")) {
        collect_locals(c, field(s, "body"));
        collect_locals(c, field(s, "orelse"));
    }
}

static void collect_locals(conv *c, PyObject *stmts)
{
    for (Py_ssize_t i = 0; stmts && i < PyList_GET_SIZE(stmts); i++)
        collect_stmt_locals(c, PyList_GET_ITEM(stmts, i));
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

// 42 | 2.5 | 3j | True | None | "text", from a Python value
static kn_expr *conv_value(conv *c, PyObject *node, PyObject *v)
{
    if (PyBytes_Check(v))
        return unsupported(c, node, "bytes literal");
    if (v == Py_Ellipsis)
        return unsupported(c, node, "Ellipsis");
    kn_expr *e = new_expr(c, KN_E_NONE, node);
    if (PyBool_Check(v)) {
        e->kind = KN_E_BOOL;
        e->ival = v == Py_True;
    } else if (PyLong_Check(v)) {
        int overflow;
        e->kind = KN_E_INT;
        e->ival = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow) {
            kn_diag_error(&c->diags, e->loc, "integer literal does not fit in int64");
            return NULL;
        }
    } else if (PyFloat_Check(v)) {
        e->kind = KN_E_FLOAT;
        e->fval = PyFloat_AS_DOUBLE(v);
    } else if (PyComplex_Check(v)) {
        e->kind = KN_E_COMPLEX; /* a literal's real part is always 0 */
        e->fval = PyComplex_ImagAsDouble(v);
    } else if (PyUnicode_Check(v)) {
        e->kind = KN_E_STR;
        e->sval = utf8(c, v);
    }
    return e;
}

// 42 | 2.5 | 3j | True | None | "text"
static kn_expr *conv_constant(conv *c, PyObject *node)
{
    return conv_value(c, node, field(node, "value"));
}

// NAME: a local when the function assigns it, else left for inference to resolve
static kn_expr *conv_name(conv *c, PyObject *node)
{
    kn_expr *e = new_expr(c, KN_E_NAME, node);
    e->sval = utf8(c, field(node, "id"));
    e->var = find_var(c->f, e->sval);
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

// func(arg, ..., name=arg, ...): keyword values follow the positional ones
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
        if (name == Py_None)
            unsupported(c, kw, "**kwargs in a call");
        e->kwnames[i] = utf8(c, name);
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
 *     | (a, b, ...) | value[index] | lo:hi:step (each part optional)
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

/* The nodes that need more than their fields converted. */
static const struct {
    const char *type;
    kn_expr *(*fn)(conv *, PyObject *);
} expr_rules[] = {
    {"Constant", conv_constant}, {"Name", conv_name}, {"UnaryOp", conv_unary},
    {"Compare", conv_compare},   {"Call", conv_call},
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

// assert test [, msg]
static kn_stmt *conv_assert(conv *c, PyObject *node)
{
    kn_stmt *s = new_stmt(c, KN_S_ASSERT, node);
    s->test = conv_expr(c, field(node, "test"));
    s->value = conv_optional(c, field(node, "msg"));
    return s;
}

// raise exc   (raise alone re-raises, and raise ... from ... chains: neither compiles)
static kn_stmt *conv_raise(conv *c, PyObject *node)
{
    PyObject *exc = field(node, "exc");
    if (!exc || exc == Py_None)
        return unsupported(c, node, "bare raise (re-raise)");
    PyObject *cause = field(node, "cause");
    if (cause && cause != Py_None)
        return unsupported(c, node, "raise ... from ...");
    kn_stmt *s = new_stmt(c, KN_S_RAISE, node);
    s->value = conv_expr(c, exc);
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
    {"Raise", conv_raise},
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
