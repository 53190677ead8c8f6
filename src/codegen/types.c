/* Kiln types as LLVM types: register and memory forms, conversions, truth values. */
#include "codegen/cg.h"

int kn_cg_is_intlike(const kn_type *t)
{
    return t->kind == KN_BOOL || t->kind == KN_INT || t->kind == KN_UINT;
}

static LLVMTypeRef fields_type(kn_cg *cg, const kn_type *t,
                               LLVMTypeRef (*each)(kn_cg *, const kn_type *))
{
    LLVMTypeRef fields[t->nfields > 0 ? t->nfields : 1];
    for (int i = 0; i < t->nfields; i++)
        fields[i] = each(cg, t->fields[i]);
    return LLVMStructTypeInContext(cg->ctx, fields, t->nfields, 0);
}

LLVMTypeRef kn_cg_type(kn_cg *cg, const kn_type *t)
{
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx);
    switch (t->kind) {
    case KN_VOID:
        return LLVMVoidTypeInContext(cg->ctx);
    case KN_BOOL:
        return LLVMInt1TypeInContext(cg->ctx);
    case KN_INT:
    case KN_UINT:
        return LLVMIntTypeInContext(cg->ctx, t->bits);
    case KN_FLOAT:
        return t->bits == 32 ? LLVMFloatTypeInContext(cg->ctx) : f64;
    case KN_COMPLEX:
        return LLVMStructTypeInContext(cg->ctx, (LLVMTypeRef[]){f64, f64}, 2, 0);
    case KN_TUPLE:
        return fields_type(cg, t, kn_cg_type);
    case KN_ARRAY:
        return kn_cg_array_type(cg, t);
    case KN_PYOBJECT:
        return LLVMPointerTypeInContext(cg->ctx, 0);
    }
    return NULL;
}

/* Bools take a byte in memory, as in C and NumPy. */
LLVMTypeRef kn_cg_mem_type(kn_cg *cg, const kn_type *t)
{
    if (t->kind == KN_BOOL)
        return LLVMInt8TypeInContext(cg->ctx);
    if (t->kind == KN_TUPLE)
        return fields_type(cg, t, kn_cg_mem_type);
    return kn_cg_type(cg, t);
}

/* A tuple with each field passed through convert, into a struct of type into. */
static LLVMValueRef map_fields(kn_cg *cg, LLVMValueRef v, const kn_type *t, LLVMTypeRef into,
                               LLVMValueRef (*convert)(kn_cg *, LLVMValueRef, const kn_type *))
{
    LLVMValueRef r = LLVMGetUndef(into);
    for (int i = 0; i < t->nfields; i++) {
        LLVMValueRef field = LLVMBuildExtractValue(cg->b, v, i, "");
        r = LLVMBuildInsertValue(cg->b, r, convert(cg, field, t->fields[i]), i, "");
    }
    return r;
}

LLVMValueRef kn_cg_to_mem(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    if (t->kind == KN_BOOL)
        return LLVMBuildZExt(cg->b, v, LLVMInt8TypeInContext(cg->ctx), "");
    if (t->kind == KN_TUPLE)
        return map_fields(cg, v, t, kn_cg_mem_type(cg, t), kn_cg_to_mem);
    return v;
}

LLVMValueRef kn_cg_from_mem(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    if (t->kind == KN_BOOL)
        return LLVMBuildTrunc(cg->b, v, LLVMInt1TypeInContext(cg->ctx), "");
    if (t->kind == KN_TUPLE)
        return map_fields(cg, v, t, kn_cg_type(cg, t), kn_cg_from_mem);
    return v;
}

LLVMValueRef kn_cg_i64(kn_cg *cg, long long v)
{
    return LLVMConstInt(LLVMInt64TypeInContext(cg->ctx), (unsigned long long)v, 1);
}

LLVMValueRef kn_cg_f64(kn_cg *cg, double v)
{
    return LLVMConstReal(LLVMDoubleTypeInContext(cg->ctx), v);
}

LLVMValueRef kn_cg_complex(kn_cg *cg, LLVMValueRef re, LLVMValueRef im)
{
    LLVMValueRef z = LLVMGetUndef(kn_cg_type(cg, kn_type_complex128()));
    z = LLVMBuildInsertValue(cg->b, z, re, 0, "");
    return LLVMBuildInsertValue(cg->b, z, im, 1, "");
}

/* Room for a complex result the runtime writes as two doubles, real then imaginary. */
LLVMValueRef kn_cg_complex_slot(kn_cg *cg)
{
    return kn_cg_alloca(cg, LLVMArrayType2(LLVMDoubleTypeInContext(cg->ctx), 2), "z");
}

/* The complex number in a slot. */
LLVMValueRef kn_cg_complex_from(kn_cg *cg, LLVMValueRef slot)
{
    LLVMTypeRef f64 = LLVMDoubleTypeInContext(cg->ctx);
    LLVMValueRef im = LLVMBuildGEP2(cg->b, f64, slot, (LLVMValueRef[]){kn_cg_i64(cg, 1)}, 1, "");
    return kn_cg_complex(cg, LLVMBuildLoad2(cg->b, f64, slot, ""),
                         LLVMBuildLoad2(cg->b, f64, im, ""));
}

// bool(x): nonzero numbers, non-empty tuples; NaN is true as in Python
LLVMValueRef kn_cg_truth(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    LLVMTypeRef i1 = LLVMInt1TypeInContext(cg->ctx);
    switch (t->kind) {
    case KN_BOOL:
        return v;
    case KN_INT:
    case KN_UINT:
        return LLVMBuildICmp(cg->b, LLVMIntNE, v, LLVMConstNull(LLVMTypeOf(v)), "");
    case KN_FLOAT:
        return LLVMBuildFCmp(cg->b, LLVMRealUNE, v, LLVMConstNull(LLVMTypeOf(v)), "");
    case KN_COMPLEX: {
        LLVMValueRef re =
            kn_cg_truth(cg, LLVMBuildExtractValue(cg->b, v, 0, ""), kn_type_float(64));
        LLVMValueRef im =
            kn_cg_truth(cg, LLVMBuildExtractValue(cg->b, v, 1, ""), kn_type_float(64));
        return LLVMBuildOr(cg->b, re, im, "");
    }
    case KN_TUPLE:
        return LLVMConstInt(i1, t->nfields > 0, 0);
    default:
        return LLVMConstInt(i1, 0, 0); /* None */
    }
}

// an integer or bool into an integer of another width or signedness; ints wrap
static LLVMValueRef int_to_int(kn_cg *cg, LLVMValueRef v, const kn_type *from, const kn_type *to)
{
    LLVMTypeRef ty = kn_cg_type(cg, to);
    int from_bits = from->kind == KN_BOOL ? 1 : from->bits;
    if (from_bits > to->bits)
        return LLVMBuildTrunc(cg->b, v, ty, "");
    if (from->kind == KN_INT)
        return LLVMBuildSExt(cg->b, v, ty, "");
    return LLVMBuildZExt(cg->b, v, ty, "");
}

/* Saturating, where a plain fptosi would be poison out of range: int() checks the range itself. */
static LLVMValueRef float_to_int(kn_cg *cg, LLVMValueRef v, const kn_type *to)
{
    const char *name = to->kind == KN_INT ? "llvm.fptosi.sat" : "llvm.fptoui.sat";
    LLVMTypeRef types[] = {kn_cg_type(cg, to), LLVMTypeOf(v)};
    return kn_cg_intrinsic(cg, name, types, 2, &v, 1);
}

static LLVMValueRef to_float(kn_cg *cg, LLVMValueRef v, const kn_type *from, const kn_type *to)
{
    LLVMTypeRef ty = kn_cg_type(cg, to);
    switch (from->kind) {
    case KN_INT:
        return LLVMBuildSIToFP(cg->b, v, ty, "");
    case KN_BOOL:
    case KN_UINT:
        return LLVMBuildUIToFP(cg->b, v, ty, "");
    case KN_FLOAT:
        return LLVMBuildFPCast(cg->b, v, ty, "");
    default:
        return NULL;
    }
}

static LLVMValueRef tuple_to_tuple(kn_cg *cg, LLVMValueRef v, const kn_type *from,
                                   const kn_type *to)
{
    if (from->nfields != to->nfields)
        return NULL;
    LLVMValueRef r = LLVMGetUndef(kn_cg_type(cg, to));
    for (int i = 0; i < to->nfields; i++) {
        LLVMValueRef field = LLVMBuildExtractValue(cg->b, v, i, "");
        field = kn_cg_cast(cg, field, from->fields[i], to->fields[i]);
        if (!field)
            return NULL;
        r = LLVMBuildInsertValue(cg->b, r, field, i, "");
    }
    return r;
}

static LLVMValueRef convert(kn_cg *cg, LLVMValueRef v, const kn_type *from, const kn_type *to)
{
    if (from == to)
        return v;
    switch (to->kind) {
    case KN_BOOL:
        return kn_cg_truth(cg, v, from);
    case KN_INT:
    case KN_UINT:
        if (kn_cg_is_intlike(from))
            return int_to_int(cg, v, from, to);
        return from->kind == KN_FLOAT ? float_to_int(cg, v, to) : NULL;
    case KN_FLOAT:
        return to_float(cg, v, from, to);
    case KN_COMPLEX: {
        LLVMValueRef re = to_float(cg, v, from, kn_type_float(64));
        return re ? kn_cg_complex(cg, re, kn_cg_f64(cg, 0.0)) : NULL;
    }
    case KN_TUPLE:
        return from->kind == KN_TUPLE ? tuple_to_tuple(cg, v, from, to) : NULL;
    case KN_ARRAY: /* layouts differ in what the code may assume, not in the struct */
        return from->kind == KN_ARRAY && from->ndim == to->ndim ? v : NULL;
    default:
        return NULL;
    }
}

// the implicit conversions of assignment, arithmetic and calls: int -> float -> complex, widths
LLVMValueRef kn_cg_cast(kn_cg *cg, LLVMValueRef v, const kn_type *from, const kn_type *to)
{
    if (!v)
        return NULL;
    LLVMValueRef r = convert(cg, v, from, to);
    if (!r)
        return kn_cg_fail(cg, cg->loc, "cannot convert %s to %s", from->name, to->name);
    return r;
}
