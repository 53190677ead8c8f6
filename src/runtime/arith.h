/* Arithmetic too long to emit inline: integer powers, rounding, complex division and power. */
#ifndef KN_RUNTIME_ARITH_H
#define KN_RUNTIME_ARITH_H

#include <stdint.h>

/* base ** exp for exp >= 0 (compiled code checks the sign), wrapping at 64 bits. */
int64_t kn_rt_ipow(int64_t base, int64_t exp);
uint64_t kn_rt_upow(uint64_t base, uint64_t exp);

/*
 * int(x) for a float: ValueError for NaN, OverflowError for an infinity, x
 * truncated when it fits int64, and the value modulo 2**64 beyond (the
 * 64-bit wrap of Python's exact integer). Returns 0 or -1 with the error set.
 */
int kn_rt_float_to_int(double x, int64_t *out);

/* round(x, ndigits) for an integer x: to a multiple of 10**-ndigits, half to even; wraps. */
int64_t kn_rt_round_int(int64_t x, int64_t ndigits);

/* round(x, ndigits) exactly as Python rounds floats. Returns 0 or -1. */
int kn_rt_round_ndigits(double x, int64_t ndigits, double *out);

/*
 * Complex a / b and a ** b as CPython computes them, into out[0] (real) and
 * out[1] (imaginary): ZeroDivisionError and OverflowError with Python's
 * messages. On array items (items != 0) nothing raises: inf and NaN come
 * out, as from NumPy's loops. Return 0 or -1.
 */
int kn_rt_cdiv(double ar, double ai, double br, double bi, double *out, int items);
int kn_rt_cpow(double ar, double ai, double br, double bi, double *out, int items);

/* NumPy's ufuncs of a complex number z, by C99's functions (as NumPy computes them). */
typedef enum kn_rt_cfunction {
    KN_RT_CSQRT, KN_RT_CEXP, KN_RT_CLOG, KN_RT_CSIN, KN_RT_CCOS,
    KN_RT_CTAN, KN_RT_CSINH, KN_RT_CCOSH, KN_RT_CTANH,
} kn_rt_cfunction;

/* f(zr + zi j) into out[0] (real) and out[1] (imaginary); never raises. */
void kn_rt_cmath(int32_t f, double zr, double zi, double *out);

#endif
