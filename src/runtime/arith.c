/* Arithmetic too long to emit inline, with CPython's algorithms and error messages. */
#include "runtime/arith.h"

#include <Python.h>
#include <complex.h>
#include <math.h>

#include "runtime/raise.h"

/* Square-and-multiply on unsigned integers, which wrap without undefined behaviour. */
uint64_t kn_rt_upow(uint64_t base, uint64_t exp)
{
    uint64_t r = 1;
    for (; exp; exp >>= 1) {
        if (exp & 1)
            r *= base;
        base *= base;
    }
    return r;
}

int64_t kn_rt_ipow(int64_t base, int64_t exp)
{
    return (int64_t)kn_rt_upow((uint64_t)base, (uint64_t)exp);
}

int kn_rt_float_to_int(double x, int64_t *out)
{
    if (isnan(x))
        return kn_rt_raise(KN_RT_VALUE_ERROR, "cannot convert float NaN to integer");
    if (isinf(x))
        return kn_rt_raise(KN_RT_OVERFLOW_ERROR, "cannot convert float infinity to integer");
    if (fabs(x) < 9223372036854775808.0) {
        *out = (int64_t)x;
        return 0;
    }
    /* Python's int is exact; keep its low 64 bits, as integer arithmetic wraps. */
    double m = fmod(trunc(x), 18446744073709551616.0);
    if (m < 0)
        m += 18446744073709551616.0;
    *out = (int64_t)(uint64_t)m;
    return 0;
}

/* As CPython's long_round: the nearest multiple of 10**k (k = -ndigits), ties to the even multiple.
 */
int64_t kn_rt_round_int(int64_t x, int64_t ndigits)
{
    if (ndigits >= 0)
        return x;
    if (ndigits < -18)
        return 0; /* 10**19 and up; past +-5e18 Python's +-10**19 would not fit in any case */
    int64_t p = 1;
    for (int64_t k = ndigits; k < 0; k++)
        p *= 10;
    int64_t q = x / p, r = x % p;
    if (r < 0) { /* floor division, as Python's divmod */
        q -= 1;
        r += p;
    }
    if (2 * r > p || (2 * r == p && (q & 1)))
        q += 1;
    return (int64_t)((uint64_t)q * (uint64_t)p);
}

/* CPython's float.__round__ is exact (it rounds the decimal expansion); reuse it. */
int kn_rt_round_ndigits(double x, int64_t ndigits, double *out)
{
    PyObject *f = PyFloat_FromDouble(x);
    if (!f)
        return -1;
    PyObject *r = PyObject_CallMethod(f, "__round__", "L", (long long)ndigits);
    Py_DECREF(f);
    if (!r)
        return -1;
    *out = PyFloat_AsDouble(r);
    Py_DECREF(r);
    return 0;
}

/* CPython's _Py_c_quot: scales by the larger part of b; r[] is NaN when b has a NaN. */
static int quotient(double ar, double ai, double br, double bi, double *r)
{
    double abs_br = fabs(br), abs_bi = fabs(bi);
    if (abs_br >= abs_bi) {
        if (abs_br == 0.0)
            return -1;
        double ratio = bi / br, denom = br + bi * ratio;
        r[0] = (ar + ai * ratio) / denom;
        r[1] = (ai - ar * ratio) / denom;
    } else if (abs_bi >= abs_br) {
        double ratio = br / bi, denom = br * ratio + bi;
        r[0] = (ar * ratio + ai) / denom;
        r[1] = (ai * ratio - ar) / denom;
    } else {
        r[0] = r[1] = NAN;
    }
    return 0;
}

int kn_rt_cdiv(double ar, double ai, double br, double bi, double *out, int items)
{
    if (quotient(ar, ai, br, bi, out) == 0)
        return 0;
    if (!items)
        return kn_rt_raise(KN_RT_ZERO_DIVISION_ERROR, "complex division by zero");
    out[0] = ar / fabs(br); /* b is a zero: each part divides by +0, as NumPy's */
    out[1] = ai / fabs(br);
    return 0;
}

/* CPython's c_powu: square-and-multiply for a small positive integer exponent. */
static void power_unsigned(double xr, double xi, long n, double *r)
{
    double rr = 1.0, ri = 0.0;
    for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
        if (n & mask) {
            double t = rr * xr - ri * xi;
            ri = rr * xi + ri * xr;
            rr = t;
        }
        double t = xr * xr - xi * xi;
        xi = 2 * xr * xi;
        xr = t;
    }
    r[0] = rr;
    r[1] = ri;
}

/* CPython's _Py_c_pow: polar form. Returns -1 for 0 to a negative or complex power. */
static int power_polar(double ar, double ai, double br, double bi, double *r)
{
    if (br == 0.0 && bi == 0.0) {
        r[0] = 1.0;
        r[1] = 0.0;
        return 0;
    }
    if (ar == 0.0 && ai == 0.0) {
        r[0] = r[1] = 0.0;
        return bi != 0.0 || br < 0.0 ? -1 : 0;
    }
    double vabs = hypot(ar, ai), len = pow(vabs, br), at = atan2(ai, ar), phase = at * br;
    if (bi != 0.0) {
        len /= exp(at * bi);
        phase += bi * log(vabs);
    }
    r[0] = len * cos(phase);
    r[1] = len * sin(phase);
    return 0;
}

/* CPython's complex_pow: small integral exponents by repeated multiplication, others in polar form.
 */
int kn_rt_cpow(double ar, double ai, double br, double bi, double *out, int items)
{
    int status = 0;
    if (bi == 0.0 && br == floor(br) && fabs(br) <= 100.0) {
        long n = (long)br;
        power_unsigned(ar, ai, n < 0 ? -n : n, out);
        if (n < 0)
            status = quotient(1.0, 0.0, out[0], out[1], out);
    } else {
        status = power_polar(ar, ai, br, bi, out);
    }
    if (status < 0 && items) {
        out[0] = out[1] = NAN; /* NumPy's 0 to a negative or complex power */
        return 0;
    }
    if (status < 0)
        return kn_rt_raise(KN_RT_ZERO_DIVISION_ERROR, "0.0 to a negative or complex power");
    if (!items && (isinf(out[0]) || isinf(out[1])))
        return kn_rt_raise(KN_RT_OVERFLOW_ERROR, "complex exponentiation");
    return 0;
}

void kn_rt_cmath(int32_t f, double zr, double zi, double *out)
{
    static double complex (*const functions[])(double complex) = {
        [KN_RT_CSQRT] = csqrt, [KN_RT_CEXP] = cexp,   [KN_RT_CLOG] = clog,
        [KN_RT_CSIN] = csin,   [KN_RT_CCOS] = ccos,   [KN_RT_CTAN] = ctan,
        [KN_RT_CSINH] = csinh, [KN_RT_CCOSH] = ccosh, [KN_RT_CTANH] = ctanh,
    };
    double complex r = functions[f](CMPLX(zr, zi));
    out[0] = creal(r);
    out[1] = cimag(r);
}
