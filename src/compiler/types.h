/* Kiln's types: interned descriptions of values, shared by every layer of the JIT. */
#ifndef KN_COMPILER_TYPES_H
#define KN_COMPILER_TYPES_H

#include <stddef.h>

typedef enum kn_kind {
    KN_VOID,    /* no value: a function that returns nothing (Numba's none) */
    KN_BOOL,    /* boolean, one byte in memory */
    KN_INT,     /* signed integer of `bits` */
    KN_UINT,    /* unsigned integer of `bits` */
    KN_FLOAT,   /* float32 or float64 */
    KN_COMPLEX, /* complex128 (bits = 128): two float64 */
    KN_TUPLE,   /* fixed-size heterogeneous tuple of `nfields` */
    KN_ARRAY,   /* NumPy array view: dtype, ndim, layout */
    /* any Python object, a PyObject *: object mode's one type */
    KN_PYOBJECT,
} kn_kind;

/*
 * Types are interned: one object per distinct type for the life of the
 * process, so two types are equal exactly when their pointers are. They are
 * made only while the GIL is held.
 */
typedef struct kn_type kn_type;
struct kn_type {
    kn_kind kind;
    int bits;               /* scalars: width in bits */
    int nfields;            /* tuples */
    const kn_type **fields; /* tuples */
    const kn_type *dtype;   /* arrays: element type */
    int ndim;               /* arrays */
    char layout;            /* arrays: 'C', 'F' or 'A' (any strides) */
    int readonly;           /* arrays: NumPy's writeable flag is off; stores are errors */
    const char
        *name; /* Numba's spelling: int64, float64, UniTuple(int64 x 2), array(int64, 1d, C) */
};

const kn_type *kn_type_void(void);
const kn_type *kn_type_bool(void);
const kn_type *kn_type_int(int bits);  /* signed */
const kn_type *kn_type_uint(int bits); /* unsigned */
const kn_type *kn_type_float(int bits);
const kn_type *kn_type_complex128(void);
const kn_type *kn_type_pyobject(void);
const kn_type *kn_type_tuple(const kn_type *const *fields, int n);
/* The most dimensions an array type has: NumPy 1's NPY_MAXDIMS. */
#define KN_MAX_NDIM 32
const kn_type *kn_type_array(const kn_type *dtype, int ndim, char layout);
/* The read-only twin of an array type: "readonly array(int64, 1d, C)", as Numba names it. */
const kn_type *kn_type_array_readonly(const kn_type *array);
/* The same array type with another layout or ndim (readonly kept). */
const kn_type *kn_type_array_like(const kn_type *array, int ndim, char layout);

int kn_type_is_number(const kn_type *t);  /* bool, ints, floats, complex */
int kn_type_is_integer(const kn_type *t);
/* A number's place in the tower bool 0 < integers 1 < floats 2 < complex 3. */
int kn_type_rank(const kn_type *t); /* bool excluded */

/*
 * The type both operands of arithmetic convert to, as Numba promotes:
 * int64 with float64 gives float64, int32 with int64 gives int64, and so on.
 * NULL when there is none.
 */
const kn_type *kn_type_unify(const kn_type *a, const kn_type *b);

/*
 * Parses a signature in Numba's syntax: "float64(float64, int64)",
 * "int64[:](int64[:], int64[:])", "void(float32[:, ::1])", or a bare
 * argument list "(int64, float64)" (ret is then NULL: inferred).
 * Returns 0, or -1 with a message in err.
 */
typedef struct kn_signature {
    const kn_type *ret; /* NULL when the signature leaves it to inference */
    int nargs;
    const kn_type *args[32];
} kn_signature;
int kn_signature_parse(const char *text, kn_signature *sig, char *err, size_t errlen);
/* Whether sig takes exactly the n argument types args, its return type aside (types are interned).
 */
static inline int kn_signature_takes(const kn_signature *sig, const kn_type *const *args, int n)
{
    if (sig->nargs != n)
        return 0;
    for (int i = 0; i < n; i++)
        if (sig->args[i] != args[i])
            return 0;
    return 1;
}
/* "float64(int64, int64)": into buf, truncated to its size. */
void kn_signature_format(const kn_signature *sig, char *buf, size_t size);
/* A type by its name alone: "int64", "f8", "b1", "intp", "float32[:, ::1]". */
const kn_type *kn_type_parse(const char *text, char *err, size_t errlen);

#endif
