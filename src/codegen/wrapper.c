/* The Python entry: unbox the arguments, call the native entry, box the result. */
#include "codegen/cg.h"

static LLVMValueRef unbox(kn_cg *cg, LLVMValueRef obj, const kn_type *t);

static LLVMTypeRef ptr_type(kn_cg *cg)
{
    return LLVMPointerTypeInContext(cg->ctx, 0);
}

/* The runtime helper that unboxes a scalar t, and the type it writes (*wide): ints in 64 bits,
 * floats as double. */
static const char *unboxer(const kn_type *t, const kn_type **wide)
{
    switch (t->kind) {
    case KN_INT:
        *wide = kn_type_int(64);
        return "kn_rt_unbox_int";
    case KN_UINT:
        *wide = kn_type_uint(64);
        return "kn_rt_unbox_int";
    case KN_FLOAT:
        *wide = kn_type_float(64);
        return "kn_rt_unbox_float";
    case KN_BOOL:
        return "kn_rt_unbox_bool";
    default:
        return "kn_rt_unbox_complex";
    }
}

// an int, float, bool or complex: its runtime helper writes a temporary, then narrowing to t
static LLVMValueRef unbox_scalar(kn_cg *cg, LLVMValueRef obj, const kn_type *t)
{
    const kn_type *wide = t;
    const char *name = unboxer(t, &wide);
    LLVMTypeRef mem = kn_cg_mem_type(cg, wide);
    LLVMValueRef tmp = kn_cg_alloca(cg, mem, "unboxed");
    LLVMTypeRef params[] = {ptr_type(cg), ptr_type(cg)};
    LLVMValueRef fn = kn_cg_declare(cg, name, LLVMInt32TypeInContext(cg->ctx), params, 2);
    kn_cg_check_status(cg, kn_cg_call(cg, fn, (LLVMValueRef[]){obj, tmp}, 2));
    LLVMValueRef v = kn_cg_from_mem(cg, LLVMBuildLoad2(cg->b, mem, tmp, ""), wide);
    return kn_cg_cast(cg, v, wide, t);
}

// a tuple: checked to be one of the right size, then item by item
static LLVMValueRef unbox_tuple(kn_cg *cg, LLVMValueRef obj, const kn_type *t)
{
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cg->ctx);
    LLVMValueRef fn = kn_cg_declare(cg, "kn_rt_unbox_tuple_item", ptr_type(cg),
                                    (LLVMTypeRef[]){ptr_type(cg), i64, i64}, 3);
    LLVMValueRef r = LLVMGetUndef(kn_cg_type(cg, t));
    for (int i = 0; i < t->nfields; i++) {
        LLVMValueRef args[] = {obj, kn_cg_i64(cg, i), kn_cg_i64(cg, t->nfields)};
        LLVMValueRef item = kn_cg_call(cg, fn, args, 3);
        kn_cg_error_if(cg, LLVMBuildIsNull(cg->b, item, ""));
        r = LLVMBuildInsertValue(cg->b, r, unbox(cg, item, t->fields[i]), i, "");
    }
    return r;
}

// an array: the dispatcher checked its dtype, ndim, layout and writeability; its fields are read
static LLVMValueRef unbox_array(kn_cg *cg, LLVMValueRef obj, const kn_type *t)
{
    LLVMTypeRef ty = kn_cg_array_type(cg, t), i64 = LLVMInt64TypeInContext(cg->ctx);
    LLVMValueRef view = kn_cg_alloca(cg, ty, "view");
    LLVMValueRef fn = kn_cg_declare(cg, "kn_rt_unbox_array", LLVMVoidTypeInContext(cg->ctx),
                                    (LLVMTypeRef[]){ptr_type(cg), ptr_type(cg), i64}, 3);
    kn_cg_call(cg, fn, (LLVMValueRef[]){obj, view, kn_cg_i64(cg, t->ndim)}, 3);
    return LLVMBuildLoad2(cg->b, ty, view, "");
}

static LLVMValueRef unbox(kn_cg *cg, LLVMValueRef obj, const kn_type *t)
{
    if (t->kind == KN_ARRAY)
        return unbox_array(cg, obj, t);
    return t->kind == KN_TUPLE ? unbox_tuple(cg, obj, t) : unbox_scalar(cg, obj, t);
}

static LLVMValueRef box(kn_cg *cg, LLVMValueRef v, const kn_type *t);

/* A call of a boxing function of the C API or the runtime: PyObject *name(params...). */
static LLVMValueRef box_call(kn_cg *cg, const char *name, LLVMValueRef *args, int n)
{
    LLVMTypeRef params[n > 0 ? n : 1];
    for (int i = 0; i < n; i++)
        params[i] = LLVMTypeOf(args[i]);
    return kn_cg_call(cg, kn_cg_declare(cg, name, ptr_type(cg), params, n), args, n);
}

// a tuple: every item boxed into an array, then one tuple that takes them all (or releases them)
static LLVMValueRef box_tuple(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    LLVMTypeRef array = LLVMArrayType2(ptr_type(cg), (uint64_t)t->nfields);
    LLVMValueRef items = kn_cg_alloca(cg, array, "items");
    for (int i = 0; i < t->nfields; i++) {
        LLVMValueRef at =
            LLVMBuildGEP2(cg->b, ptr_type(cg), items, (LLVMValueRef[]){kn_cg_i64(cg, i)}, 1, "");
        LLVMBuildStore(cg->b, box(cg, LLVMBuildExtractValue(cg->b, v, i, ""), t->fields[i]), at);
    }
    return box_call(cg, "kn_rt_box_tuple", (LLVMValueRef[]){items, kn_cg_i64(cg, t->nfields)}, 2);
}

/*
 * A new reference to v as a Python object, or NULL with an exception set.
 * Arrays in v carry a reference of their own (a native entry's result
 * does), which the boxed object takes over.
 */
static LLVMValueRef box(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    switch (t->kind) {
    case KN_VOID:
        return box_call(cg, "kn_rt_box_none", NULL, 0);
    case KN_BOOL:
        return box_call(cg, "kn_rt_box_bool", (LLVMValueRef[]){kn_cg_to_mem(cg, v, t)}, 1);
    case KN_INT:
        v = kn_cg_cast(cg, v, t, kn_type_int(64));
        return box_call(cg, "PyLong_FromLongLong", &v, 1);
    case KN_UINT:
        v = kn_cg_cast(cg, v, t, kn_type_uint(64));
        return box_call(cg, "PyLong_FromUnsignedLongLong", &v, 1);
    case KN_FLOAT:
        v = kn_cg_cast(cg, v, t, kn_type_float(64));
        return box_call(cg, "PyFloat_FromDouble", &v, 1);
    case KN_COMPLEX: {
        LLVMValueRef parts[] = {LLVMBuildExtractValue(cg->b, v, 0, ""),
                                LLVMBuildExtractValue(cg->b, v, 1, "")};
        return box_call(cg, "PyComplex_FromDoubles", parts, 2);
    }
    case KN_ARRAY: { /* the array itself, or a view of its owner; the reference passes on */
        LLVMValueRef view = kn_cg_alloca(cg, kn_cg_array_type(cg, t), "boxed");
        LLVMBuildStore(cg->b, v, view);
        return box_call(cg, "kn_rt_box_array", (LLVMValueRef[]){view, kn_cg_i64(cg, t->ndim)}, 2);
    }
    default:
        return box_tuple(cg, v, t);
    }
}

/*
 * PyObject *name(PyObject *const *args): the dispatcher has checked that
 * args match the signature's types, so unboxing only converts (and fails
 * only on overflow or a broken __index__/__float__). No debug info: it
 * has no line of the source.
 */
void kn_cg_define_wrapper(kn_cg *cg, const char *name)
{
    LLVMValueRef native = cg->fn;
    LLVMTypeRef native_type = LLVMGlobalGetValueType(native);
    LLVMTypeRef ptr = ptr_type(cg);
    cg->fn = LLVMAddFunction(cg->mod, name, LLVMFunctionType(ptr, &ptr, 1, 0));
    LLVMSetVisibility(cg->fn, LLVMProtectedVisibility);
    LLVMSetCurrentDebugLocation2(cg->b, NULL);
    cg->entry = kn_cg_block(cg, "entry");
    LLVMBasicBlockRef start = kn_cg_block(cg, "start");
    cg->error = kn_cg_block(cg, "error");
    kn_cg_enter(cg, cg->error);
    LLVMBuildRet(cg->b, LLVMConstNull(ptr));
    kn_cg_enter(cg, start);
    int n = cg->sig->nargs;
    LLVMValueRef args[n > 0 ? n : 1];
    LLVMValueRef argv = LLVMGetParam(cg->fn, 0);
    for (int i = 0; i < n; i++) {
        LLVMValueRef at =
            LLVMBuildGEP2(cg->b, ptr, argv, (LLVMValueRef[]){kn_cg_i64(cg, i)}, 1, "");
        args[i] = unbox(cg, LLVMBuildLoad2(cg->b, ptr, at, ""), cg->sig->args[i]);
    }
    const kn_type *ret = cg->f->ret;
    LLVMValueRef r = kn_cg_native_call(cg, native, native_type, ret, args, n);
    LLVMBuildRet(cg->b, box(cg, r, ret));
    kn_cg_enter(cg, cg->entry);
    LLVMBuildBr(cg->b, start);
}
