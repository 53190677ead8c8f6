/* The math functions compiled code computes: one line each, read by inference and lowering. */
#ifndef KN_COMPILER_MATH_FUNCTIONS_H
#define KN_COMPILER_MATH_FUNCTIONS_H

/*
 * X(id, math, numpy, math_rule, numpy_rule, how, fn, check):
 *
 * - id: the kn_builtin is KN_BI_<id>;
 * - math, numpy: the function's name in each module, empty where the module
 *   has none;
 * - math_rule, numpy_rule: how inference types a call (infer_call.c's
 *   R_<rule>): MATH1 and MATH2 give the float the arguments compute in,
 *   MATH_INT int64 (math.floor is an int, numpy.floor a float), MATH_PRED
 *   bool, LOG one or two arguments (math.log(x, base)), CMATH1 as MATH1 for
 *   real numbers and complex128 for complex ones (numpy.sqrt(1j));
 * - how, fn: how the lowering computes it (math.c): INTRINSIC, LLVM's
 *   llvm.<fn> overloaded on the float type; LIBM, libm's <fn> (float32 adds
 *   "f"); TEST, comparisons (isnan);
 * - check: the errors math raises (math.c's CHECK_<check>).
 */
#define KN_MATH_FUNCTIONS(X)                                                                       \
    X(SQRT, sqrt, sqrt, MATH1, CMATH1, INTRINSIC, sqrt, DOMAIN)                                    \
    X(EXP, exp, exp, MATH1, CMATH1, INTRINSIC, exp, OVERFLOW)                                      \
    X(LOG, log, log, LOG, CMATH1, INTRINSIC, log, LOG)                                             \
    X(LOG2, log2, log2, MATH1, MATH1, INTRINSIC, log2, LOG)                                        \
    X(LOG10, log10, log10, MATH1, MATH1, INTRINSIC, log10, LOG)                                    \
    X(LOG1P, log1p, log1p, MATH1, MATH1, LIBM, log1p, DOMAIN)                                      \
    X(EXPM1, expm1, expm1, MATH1, MATH1, LIBM, expm1, OVERFLOW)                                    \
    X(SIN, sin, sin, MATH1, CMATH1, INTRINSIC, sin, DOMAIN)                                        \
    X(COS, cos, cos, MATH1, CMATH1, INTRINSIC, cos, DOMAIN)                                        \
    X(TAN, tan, tan, MATH1, CMATH1, LIBM, tan, DOMAIN)                                             \
    X(ASIN, asin, arcsin, MATH1, MATH1, LIBM, asin, DOMAIN)                                        \
    X(ACOS, acos, arccos, MATH1, MATH1, LIBM, acos, DOMAIN)                                        \
    X(ATAN, atan, arctan, MATH1, MATH1, LIBM, atan, NONE)                                          \
    X(ATAN2, atan2, arctan2, MATH2, MATH2, LIBM, atan2, NONE)                                      \
    X(SINH, sinh, sinh, MATH1, CMATH1, LIBM, sinh, OVERFLOW)                                       \
    X(COSH, cosh, cosh, MATH1, CMATH1, LIBM, cosh, OVERFLOW)                                       \
    X(TANH, tanh, tanh, MATH1, CMATH1, LIBM, tanh, NONE)                                           \
    X(FLOOR, floor, floor, MATH_INT, MATH1, INTRINSIC, floor, NONE)                                \
    X(CEIL, ceil, ceil, MATH_INT, MATH1, INTRINSIC, ceil, NONE)                                    \
    X(TRUNC, trunc, trunc, MATH_INT, MATH1, INTRINSIC, trunc, NONE)                                \
    X(FABS, fabs, fabs, MATH1, MATH1, INTRINSIC, fabs, NONE)                                       \
    X(COPYSIGN, copysign, copysign, MATH2, MATH2, INTRINSIC, copysign, NONE)                       \
    X(HYPOT, hypot, hypot, MATH2, MATH2, LIBM, hypot, NONE)                                        \
    X(FPOW, pow, , MATH2, MATH2, INTRINSIC, pow, POW)                                              \
    X(ISNAN, isnan, isnan, MATH_PRED, MATH_PRED, TEST, , NONE)                                     \
    X(ISINF, isinf, isinf, MATH_PRED, MATH_PRED, TEST, , NONE)                                     \
    X(ISFINITE, isfinite, isfinite, MATH_PRED, MATH_PRED, TEST, , NONE)                            \
    X(ERF, erf, , MATH1, MATH1, LIBM, erf, NONE)                                                   \
    X(ERFC, erfc, , MATH1, MATH1, LIBM, erfc, NONE)                                                \
    X(GAMMA, gamma, , MATH1, MATH1, LIBM, tgamma, POLE)                                            \
    X(LGAMMA, lgamma, , MATH1, MATH1, LIBM, lgamma, POLE)

/* numpy's scalar types, callable as casts: np.float32(x) converts x to float32. */
#define KN_NUMPY_SCALARS(X)                                                                        \
    X(int8)                                                                                        \
    X(int16)                                                                                       \
    X(int32) X(int64) X(uint8) X(uint16) X(uint32) X(uint64) X(float32) X(float64) X(complex128)

#endif
