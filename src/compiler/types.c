/* Interned types, their Numba names, and Numba's promotion rules (kn_type_unify). */
#include "compiler/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Types live for the whole process and are made only under the GIL, so the
 * tables below need no lock. Scalars are static; tuples and arrays are
 * allocated on first use and kept on a list. Programs use a handful of
 * distinct tuple and array types, so a linear search is fast enough.
 */

static kn_type t_void = {.kind = KN_VOID, .name = "none"};
static kn_type t_bool = {.kind = KN_BOOL, .bits = 8, .name = "bool"};
static kn_type t_int[] = {
    {.kind = KN_INT, .bits = 8, .name = "int8"},
    {.kind = KN_INT, .bits = 16, .name = "int16"},
    {.kind = KN_INT, .bits = 32, .name = "int32"},
    {.kind = KN_INT, .bits = 64, .name = "int64"},
};
static kn_type t_uint[] = {
    {.kind = KN_UINT, .bits = 8, .name = "uint8"},
    {.kind = KN_UINT, .bits = 16, .name = "uint16"},
    {.kind = KN_UINT, .bits = 32, .name = "uint32"},
    {.kind = KN_UINT, .bits = 64, .name = "uint64"},
};
static kn_type t_float[] = {
    {.kind = KN_FLOAT, .bits = 32, .name = "float32"},
    {.kind = KN_FLOAT, .bits = 64, .name = "float64"},
};
static kn_type t_complex128 = {.kind = KN_COMPLEX, .bits = 128, .name = "complex128"};
static kn_type t_pyobject = {.kind = KN_PYOBJECT, .name = "pyobject"};

typedef struct interned interned;
struct interned {
    interned *next;
    kn_type type;
};
static interned *compound_types; /* tuples and arrays */

static void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "kiln: out of memory\n");
        abort();
    }
    return p;
}

const kn_type *kn_type_void(void)
{
    return &t_void;
}

const kn_type *kn_type_bool(void)
{
    return &t_bool;
}

/* Index of 8, 16, 32, 64 in the width tables, or -1. */
static int width_index(int bits)
{
    switch (bits) {
    case 8:
        return 0;
    case 16:
        return 1;
    case 32:
        return 2;
    case 64:
        return 3;
    default:
        return -1;
    }
}

const kn_type *kn_type_int(int bits)
{
    int i = width_index(bits);
    return i < 0 ? NULL : &t_int[i];
}

const kn_type *kn_type_uint(int bits)
{
    int i = width_index(bits);
    return i < 0 ? NULL : &t_uint[i];
}

const kn_type *kn_type_float(int bits)
{
    if (bits == 32)
        return &t_float[0];
    return bits == 64 ? &t_float[1] : NULL;
}

const kn_type *kn_type_complex128(void)
{
    return &t_complex128;
}

const kn_type *kn_type_pyobject(void)
{
    return &t_pyobject;
}

static int is_scalar(const kn_type *t)
{
    return t && t->kind != KN_VOID && t->kind != KN_TUPLE && t->kind != KN_ARRAY &&
           t->kind != KN_PYOBJECT;
}

typedef struct tuple_key {
    const kn_type *const *fields;
    int n;
} tuple_key;

static int same_tuple(const kn_type *t, const void *key)
{
    const tuple_key *k = key;
    if (t->kind != KN_TUPLE || t->nfields != k->n)
        return 0;
    for (int i = 0; i < k->n; i++)
        if (t->fields[i] != k->fields[i])
            return 0;
    return 1;
}

static int same_array(const kn_type *t, const void *key)
{
    const kn_type *k = key;
    return t->kind == KN_ARRAY && t->dtype == k->dtype && t->ndim == k->ndim &&
           t->layout == k->layout && t->readonly == k->readonly;
}

// UniTuple(int64 x 2) when every field is the same type, Tuple(int64, float64) otherwise.
static char *tuple_name(const kn_type *const *fields, int n)
{
    int uniform = n > 0;
    size_t len = 16;
    for (int i = 0; i < n; i++) {
        uniform &= fields[i] == fields[0];
        len += strlen(fields[i]->name) + 2;
    }
    char *name = xmalloc(len + 32);
    if (uniform) {
        sprintf(name, "UniTuple(%s x %d)", fields[0]->name, n);
        return name;
    }
    strcpy(name, "Tuple(");
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(name, ", ");
        strcat(name, fields[i]->name);
    }
    strcat(name, ")");
    return name;
}

/*
 * The interned type that match accepts for key, moved to the front of the
 * list: a type looked up is mostly looked up again soon (each call of a
 * jitted function types its arrays), so the scan stays short however many
 * types a session makes. NULL when there is none. Under the GIL, as all of
 * the compiler runs.
 */
static const kn_type *find_interned(int (*match)(const kn_type *, const void *), const void *key)
{
    for (interned **at = &compound_types; *at; at = &(*at)->next) {
        interned *e = *at;
        if (!match(&e->type, key))
            continue;
        *at = e->next;
        e->next = compound_types;
        compound_types = e;
        return &e->type;
    }
    return NULL;
}

static kn_type *intern_new(void)
{
    interned *e = xmalloc(sizeof *e);
    e->next = compound_types;
    compound_types = e;
    return &e->type;
}

const kn_type *kn_type_tuple(const kn_type *const *fields, int n)
{
    if (n < 0)
        return NULL;
    for (int i = 0; i < n; i++)
        if (!fields[i] || fields[i]->kind == KN_VOID)
            return NULL;
    const kn_type *known = find_interned(same_tuple, &(tuple_key){fields, n});
    if (known)
        return known;
    kn_type *t = intern_new();
    const kn_type **copy = xmalloc(sizeof *copy * n);
    if (n)
        memcpy(copy, fields, sizeof *copy * n);
    t->kind = KN_TUPLE;
    t->nfields = n;
    t->fields = copy;
    t->name = tuple_name(fields, n);
    return t;
}

static const kn_type *array_type(const kn_type *dtype, int ndim, char layout, int readonly)
{
    /* NumPy arrays of numbers only; 0-d arrays exist, as in Numba. */
    if (!is_scalar(dtype) || ndim < 0 || ndim > KN_MAX_NDIM)
        return NULL;
    if (layout != 'C' && layout != 'F' && layout != 'A')
        return NULL;
    kn_type key = {.kind = KN_ARRAY, .dtype = dtype, .ndim = ndim, .layout = layout,
                   .readonly = readonly};
    const kn_type *known = find_interned(same_array, &key);
    if (known)
        return known;
    kn_type *t = intern_new();
    t->kind = KN_ARRAY;
    t->dtype = dtype;
    t->ndim = ndim;
    t->layout = layout;
    t->readonly = readonly;
    char *name = xmalloc(strlen(dtype->name) + 48);
    sprintf(name, "%sarray(%s, %dd, %c)", readonly ? "readonly " : "", dtype->name, ndim, layout);
    t->name = name;
    return t;
}

const kn_type *kn_type_array(const kn_type *dtype, int ndim, char layout)
{
    return array_type(dtype, ndim, layout, 0);
}

const kn_type *kn_type_array_readonly(const kn_type *array)
{
    return array_type(array->dtype, array->ndim, array->layout, 1);
}

const kn_type *kn_type_array_like(const kn_type *array, int ndim, char layout)
{
    return array_type(array->dtype, ndim, layout, array->readonly);
}

int kn_type_is_number(const kn_type *t)
{
    return is_scalar(t);
}

int kn_type_is_integer(const kn_type *t)
{
    return t && (t->kind == KN_INT || t->kind == KN_UINT);
}

/*
 * Integers as NumPy's promote_types combines them: the same signedness
 * takes the wider; a signed and an unsigned take the smallest signed type
 * that holds both, and float64 when none does (int64 with uint64).
 */
static const kn_type *unify_integers(const kn_type *a, const kn_type *b)
{
    if (a->kind == b->kind)
        return a->bits >= b->bits ? a : b;
    const kn_type *s = a->kind == KN_INT ? a : b;
    const kn_type *u = a->kind == KN_INT ? b : a;
    if (s->bits > u->bits)
        return s;
    return u->bits < 64 ? kn_type_int(u->bits * 2) : kn_type_float(64);
}

/*
 * An integer (or bool) with a float: float32 holds integers up to 16 bits
 * exactly, so it survives those; anything wider needs float64, as in NumPy.
 */
static const kn_type *unify_int_float(const kn_type *i, const kn_type *f)
{
    if (f->bits == 32 && (i->kind == KN_BOOL || i->bits <= 16))
        return f;
    return kn_type_float(64);
}

int kn_type_rank(const kn_type *t)
{
    switch (t->kind) {
    case KN_BOOL:
        return 0;
    case KN_INT:
    case KN_UINT:
        return 1;
    case KN_FLOAT:
        return 2;
    default:
        return 3;
    }
}

static const kn_type *unify_scalars(const kn_type *a, const kn_type *b)
{
    if (kn_type_rank(a) > kn_type_rank(b)) {
        const kn_type *t = a;
        a = b;
        b = t;
    }
    switch (kn_type_rank(b)) {
    case 1:
        return a->kind == KN_BOOL ? b : unify_integers(a, b);
    case 2:
        return kn_type_rank(a) == 2 ? (a->bits >= b->bits ? a : b) : unify_int_float(a, b);
    default:
        return &t_complex128;
    }
}

static const kn_type *unify_tuples(const kn_type *a, const kn_type *b)
{
    if (a->nfields != b->nfields)
        return NULL;
    const kn_type *fields[a->nfields > 0 ? a->nfields : 1];
    for (int i = 0; i < a->nfields; i++) {
        fields[i] = kn_type_unify(a->fields[i], b->fields[i]);
        if (!fields[i])
            return NULL;
    }
    return kn_type_tuple(fields, a->nfields);
}

const kn_type *kn_type_unify(const kn_type *a, const kn_type *b)
{
    if (!a || !b)
        return NULL;
    if (a == b)
        return a;
    if (is_scalar(a) && is_scalar(b))
        return unify_scalars(a, b);
    if (a->kind == KN_TUPLE && b->kind == KN_TUPLE)
        return unify_tuples(a, b);
    /* Arrays of one dtype and ndim but different layouts meet at any layout, as in Numba. */
    if (a->kind == KN_ARRAY && b->kind == KN_ARRAY && a->dtype == b->dtype && a->ndim == b->ndim)
        return array_type(a->dtype, a->ndim, 'A', a->readonly || b->readonly);
    return NULL; /* void only with void */
}
