/* Type inference of kiln.cuda in kernels: special registers, grid, barriers, arrays, atomics. */
#include <string.h>

#include "compiler/cuda_intrinsics.h"
#include "compiler/infer_impl.h"

#define SREG(name, reg)                                                                            \
    {                                                                                              \
        name, KN_CUDA_SREG, reg, KN_CUDA_ADD                                                       \
    }
#define SREGS(name, reg)                                                                           \
    SREG(name ".x", reg ".x"), SREG(name ".y", reg ".y"), SREG(name ".z", reg ".z")

static const kn_cuda_intrinsic intrinsics[] = {
    SREGS("threadIdx", "tid"),
    SREGS("blockIdx", "ctaid"),
    SREGS("blockDim", "ntid"),
    SREGS("gridDim", "nctaid"),
    {"grid", KN_CUDA_GRID, NULL, KN_CUDA_ADD},
    {"gridsize", KN_CUDA_GRIDSIZE, NULL, KN_CUDA_ADD},
    {"syncthreads", KN_CUDA_SYNCTHREADS, NULL, KN_CUDA_ADD},
    {"shared.array", KN_CUDA_SHARED, NULL, KN_CUDA_ADD},
    {"local.array", KN_CUDA_LOCAL, NULL, KN_CUDA_ADD},
    {"atomic.add", KN_CUDA_ATOMIC, NULL, KN_CUDA_ADD},
    {"atomic.max", KN_CUDA_ATOMIC, NULL, KN_CUDA_MAX},
    {"atomic.min", KN_CUDA_ATOMIC, NULL, KN_CUDA_MIN},
};

#define NINTRINSICS (sizeof intrinsics / sizeof intrinsics[0])

/* The objects kiln.cuda holds for them, borrowed: the module keeps them for the process. */
static PyObject *objects[NINTRINSICS];

/* The object at path ("atomic.add") under kiln.cuda, borrowed; NULL before kiln is imported. */
static PyObject *object_at(const char *path)
{
    PyObject *name = PyUnicode_FromString("kiln.cuda");
    PyObject *obj = name ? PyImport_GetModule(name) : NULL;
    Py_XDECREF(name);
    for (const char *p = path; obj && *p;) {
        size_t len = strcspn(p, ".");
        char part[32];
        snprintf(part, sizeof part, "%.*s", (int)len, p);
        PyObject *next = PyObject_GetAttrString(obj, part);
        Py_DECREF(obj);
        obj = next;
        p += len + (p[len] == '.');
    }
    PyErr_Clear();
    Py_XDECREF(obj);
    return obj;
}

const kn_cuda_intrinsic *kn_infer_cuda_intrinsic(PyObject *obj)
{
    for (size_t i = 0; i < NINTRINSICS; i++) {
        if (!objects[i])
            objects[i] = object_at(intrinsics[i].path);
        if (objects[i] == obj)
            return &intrinsics[i];
    }
    return NULL;
}

// cuda.grid(ndim) | cuda.gridsize(ndim): int64 for 1, a tuple of int64 for 2 and 3
static const kn_type *grid_type(kn_infer_state *s, kn_expr *e, const char *fn)
{
    kn_expr *n = e->noperands == 1 && !e->nkw ? e->operands[0] : NULL;
    if (!n || !kn_infer_expr(s, n) || (n->kind != KN_E_INT && n->kind != KN_E_CONST) ||
        !kn_type_is_integer(n->type) || n->ival < 1 || n->ival > 3)
        return kn_infer_error(s, e->loc, "cuda.%s() takes one constant argument: 1, 2 or 3", fn);
    const kn_type *i64 = kn_type_int(64);
    const kn_type *fields[] = {i64, i64, i64};
    return n->ival == 1 ? i64 : kn_type_tuple(fields, (int)n->ival);
}

/* A constant integer: a literal or a frozen global. */
static int constant_int(const kn_expr *e)
{
    return (e->kind == KN_E_INT || e->kind == KN_E_CONST) && e->type && kn_type_is_integer(e->type);
}

/* The number of axes of a constant shape (an int or a tuple of ints), or 0 after an error. */
static int constant_shape(kn_infer_state *s, kn_expr *shape)
{
    if (!kn_infer_expr(s, shape))
        return 0;
    if (constant_int(shape))
        return 1;
    int ok = (shape->kind == KN_E_TUPLE || shape->kind == KN_E_CONST) && shape->noperands > 0;
    for (int i = 0; ok && i < shape->noperands; i++)
        ok = constant_int(shape->operands[i]);
    if (ok)
        return shape->noperands;
    kn_infer_error(s, shape->loc,
                   "the shape of a CUDA shared or local array must be a constant "
                   "integer or tuple of integers");
    return 0;
}

// cuda.shared.array(shape, dtype) | cuda.local.array(shape, dtype): a C-ordered array
static const kn_type *array_type(kn_infer_state *s, kn_expr *e, const char *fn)
{
    kn_expr *shape = kn_infer_argument(e, 0, "shape"), *dtype = kn_infer_argument(e, 1, "dtype");
    if (!shape || !dtype || e->noperands != 2)
        return kn_infer_error(s, e->loc, "cuda.%s() takes a shape and a dtype", fn);
    int ndim = constant_shape(s, shape);
    const kn_type *dt = ndim ? kn_infer_dtype_argument(s, dtype) : NULL;
    if (!dt)
        return NULL;
    e->operands[0] = shape; /* keywords in their places: {shape, dtype} */
    e->operands[1] = dtype;
    e->nkw = 0;
    return kn_type_array(dt, ndim, 'C');
}

// cuda.atomic.add(ary, idx, val): the item's old value; idx an int or a tuple of them
static const kn_type *atomic_type(kn_infer_state *s, kn_expr *e, const char *fn)
{
    if (e->noperands != 3 || e->nkw)
        return kn_infer_error(s, e->loc, "cuda.%s() takes an array, an index and a value", fn);
    const kn_type *a = kn_infer_expr(s, e->operands[0]);
    const kn_type *i = kn_infer_expr(s, e->operands[1]);
    const kn_type *v = kn_infer_expr(s, e->operands[2]);
    if (!a || !i || !v)
        return NULL;
    int nidx = kn_type_is_integer(i) ? 1 : i->kind == KN_TUPLE ? i->nfields : 0;
    for (int k = 0; i->kind == KN_TUPLE && k < i->nfields; k++)
        nidx = kn_type_is_integer(i->fields[k]) ? nidx : 0;
    if (a->kind != KN_ARRAY || a->readonly || !kn_type_is_number(a->dtype) ||
        a->dtype->kind == KN_COMPLEX || a->dtype->kind == KN_BOOL)
        return kn_infer_error(s, e->operands[0]->loc,
                              "cuda.%s() needs a writable array of integers or floats, not %s", fn,
                              a->name);
    if (nidx != a->ndim)
        return kn_infer_error(s, e->operands[1]->loc,
                              "cuda.%s() on a %dd array takes %d integer index%s, not %s", fn,
                              a->ndim, a->ndim, a->ndim == 1 ? "" : "es", i->name);
    if (!kn_type_is_number(v) || v->kind == KN_COMPLEX)
        return kn_infer_error(s, e->operands[2]->loc, "cuda.%s() adds a real number, not %s", fn,
                              v->name);
    return a->dtype;
}

static const kn_type *no_arguments(kn_infer_state *s, kn_expr *e, const char *fn, const kn_type *t)
{
    if (e->noperands)
        return kn_infer_error(s, e->loc, "cuda.%s takes no arguments", fn);
    return t;
}

const kn_type *kn_infer_cuda_call(kn_infer_state *s, kn_expr *e, const kn_cuda_intrinsic *c)
{
    if (!s->env->gpu)
        return kn_infer_error(s, e->loc,
                              "cuda.%s can only be used in a @cuda.jit kernel or device function",
                              c->path);
    e->ival = KN_BI_CUDA;
    e->payload = (void *)c;
    switch (c->op) {
    case KN_CUDA_SREG:
        return no_arguments(s, e, c->path, kn_type_int(32));
    case KN_CUDA_GRID:
    case KN_CUDA_GRIDSIZE:
        return grid_type(s, e, c->path);
    case KN_CUDA_SYNCTHREADS:
        return no_arguments(s, e, c->path, kn_type_void());
    case KN_CUDA_SHARED:
    case KN_CUDA_LOCAL:
        return array_type(s, e, c->path);
    case KN_CUDA_ATOMIC:
        return atomic_type(s, e, c->path);
    }
    return NULL;
}

const kn_type *kn_infer_cuda_attr(kn_infer_state *s, kn_expr *e)
{
    const kn_cuda_intrinsic *c = kn_infer_cuda_intrinsic(kn_infer_object(s, e));
    if (c->op != KN_CUDA_SREG)
        return kn_infer_error(s, e->loc, "cuda.%s is a function: call it", c->path);
    kn_expr *callee = kn_arena_alloc(s->f->arena, sizeof *callee);
    *callee = *e;
    e->kind = KN_E_CALL;
    e->value = callee;
    e->sval = NULL;
    return kn_infer_call(s, e);
}
