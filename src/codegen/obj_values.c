/* Object mode's values: temporaries that own references, constants, calls of the C API. */
#include <stdint.h>
#include <string.h>

#include "codegen/object.h"

kn_ov kn_obj_borrowed(LLVMValueRef v)
{
    return (kn_ov){v, -1};
}

/* A temporary slot that holds nothing now: a free one, or a new one (NULL from the entry on). */
static int free_temp(kn_obj *o)
{
    for (int i = 0; i < o->ntemps; i++)
        if (!o->temps[i].live)
            return i;
    if (o->ntemps == o->cap_temps) {
        int cap = o->cap_temps ? 2 * o->cap_temps : 16;
        kn_otemp *grown = kn_arena_alloc(o->cg.f->arena, (size_t)cap * sizeof *grown);
        if (o->ntemps)
            memcpy(grown, o->temps, (size_t)o->ntemps * sizeof *grown);
        o->temps = grown;
        o->cap_temps = cap;
    }
    o->temps[o->ntemps].slot = kn_cg_null_slot(&o->cg, kn_type_pyobject(), "tmp");
    o->temps[o->ntemps].live = 0;
    return o->ntemps++;
}

kn_ov kn_obj_owned(kn_obj *o, LLVMValueRef v)
{
    int i = free_temp(o);
    o->temps[i].live = 1;
    LLVMBuildStore(o->cg.b, v, o->temps[i].slot);
    return (kn_ov){v, i};
}

void kn_obj_release(kn_obj *o, kn_ov v)
{
    if (v.temp < 0)
        return;
    kn_cg_xdecref(&o->cg, v.v);
    LLVMBuildStore(o->cg.b, LLVMConstNull(o->ptr), o->temps[v.temp].slot);
    o->temps[v.temp].live = 0;
}

LLVMValueRef kn_obj_give(kn_obj *o, kn_ov v)
{
    if (v.temp < 0) {
        kn_cg_incref(&o->cg, v.v);
        return v.v;
    }
    LLVMBuildStore(o->cg.b, LLVMConstNull(o->ptr), o->temps[v.temp].slot);
    o->temps[v.temp].live = 0;
    return v.v;
}

kn_ov kn_obj_copy(kn_obj *o, kn_ov v)
{
    kn_cg_incref(&o->cg, v.v);
    return kn_obj_owned(o, v.v);
}

void kn_obj_drop_temp(kn_obj *o, int i)
{
    LLVMValueRef slot = o->temps[i].slot;
    kn_cg_xdecref(&o->cg, LLVMBuildLoad2(o->cg.b, o->ptr, slot, ""));
    LLVMBuildStore(o->cg.b, LLVMConstNull(o->ptr), slot);
}

LLVMValueRef kn_obj_take_temp(kn_obj *o, int i)
{
    LLVMValueRef v = LLVMBuildLoad2(o->cg.b, o->ptr, o->temps[i].slot, "");
    LLVMBuildStore(o->cg.b, LLVMConstNull(o->ptr), o->temps[i].slot);
    return v;
}

LLVMValueRef kn_obj_take(kn_obj *o, kn_ov v)
{
    if (v.temp >= 0)
        return kn_obj_take_temp(o, v.temp);
    kn_cg_incref(&o->cg, v.v);
    return v.v;
}

int *kn_obj_live_set(kn_obj *o, int *n)
{
    int *live = kn_arena_alloc(o->cg.f->arena, (size_t)(o->ntemps ? o->ntemps : 1) * sizeof *live);
    for (int i = 0; i < o->ntemps; i++)
        live[i] = o->temps[i].live;
    *n = o->ntemps;
    return live;
}

void kn_obj_restore_live(kn_obj *o, const int *live, int n)
{
    for (int i = 0; i < o->ntemps; i++)
        o->temps[i].live = i < n && live[i];
}

/* ---- constants ---- */

/*
 * A constant the code refers to by address. Compiled code keeps it for
 * ever, as it keeps the classes it raises (code is freed with its
 * dispatcher, but nothing tells the object when): a specialization's few
 * literals and names.
 */
LLVMValueRef kn_obj_const(kn_obj *o, PyObject *obj)
{
    if (!obj)
        return NULL;
    LLVMValueRef address = LLVMConstInt(o->i64, (unsigned long long)(uintptr_t)obj, 0);
    return LLVMConstIntToPtr(address, o->ptr);
}

LLVMValueRef kn_obj_str(kn_obj *o, const char *s)
{
    return kn_obj_const(o, PyUnicode_InternFromString(s));
}

LLVMValueRef kn_obj_names(kn_obj *o, const char *const *names, int n)
{
    if (!n)
        return LLVMConstNull(o->ptr);
    PyObject *t = PyTuple_New(n);
    for (int i = 0; t && i < n; i++) {
        PyObject *name = PyUnicode_InternFromString(names[i]);
        if (!name)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, i, name);
    }
    return kn_obj_const(o, t);
}

/* A C API object, by its symbol: its size tells LLVM how far it may read. */
static LLVMValueRef symbol_of_size(kn_obj *o, const char *name, size_t size)
{
    LLVMValueRef g = LLVMGetNamedGlobal(o->cg.mod, name);
    if (!g)
        g = LLVMAddGlobal(o->cg.mod, LLVMArrayType2(LLVMInt8TypeInContext(o->cg.ctx), size), name);
    return g;
}

LLVMValueRef kn_obj_symbol(kn_obj *o, const char *name)
{
    return symbol_of_size(o, name, sizeof(PyTypeObject)); /* the largest: types */
}

LLVMValueRef kn_obj_load_symbol(kn_obj *o, const char *name)
{
    return LLVMBuildLoad2(o->cg.b, o->ptr, symbol_of_size(o, name, sizeof(PyObject *)), name);
}

LLVMValueRef kn_obj_none(kn_obj *o)
{
    return symbol_of_size(o, "_Py_NoneStruct", sizeof(PyObject));
}

LLVMValueRef kn_obj_true(kn_obj *o)
{
    return symbol_of_size(o, "_Py_TrueStruct", sizeof(struct _longobject));
}

LLVMValueRef kn_obj_false(kn_obj *o)
{
    return symbol_of_size(o, "_Py_FalseStruct", sizeof(struct _longobject));
}

LLVMValueRef kn_obj_bool(kn_obj *o, LLVMValueRef truth)
{
    return LLVMBuildSelect(o->cg.b, truth, kn_obj_true(o), kn_obj_false(o), "");
}

LLVMValueRef kn_obj_field(kn_obj *o, LLVMValueRef v, size_t offset)
{
    LLVMValueRef at = LLVMConstInt(o->i64, offset, 0);
    return LLVMBuildGEP2(o->cg.b, LLVMInt8TypeInContext(o->cg.ctx), v, &at, 1, "");
}

LLVMValueRef kn_obj_type_of(kn_obj *o, LLVMValueRef v)
{
    return LLVMBuildLoad2(o->cg.b, o->ptr, kn_obj_field(o, v, offsetof(PyObject, ob_type)), "type");
}

LLVMValueRef kn_obj_i32(kn_obj *o, long long v)
{
    return LLVMConstInt(o->i32, (unsigned long long)v, 1);
}

LLVMValueRef kn_obj_array(kn_obj *o, LLVMValueRef *items, int n)
{
    LLVMValueRef array = kn_cg_alloca(&o->cg, LLVMArrayType2(o->ptr, n > 0 ? n : 1), "items");
    for (int i = 0; i < n; i++) {
        LLVMValueRef at = LLVMConstInt(o->i64, (unsigned long long)i, 0);
        LLVMBuildStore(o->cg.b, items[i], LLVMBuildGEP2(o->cg.b, o->ptr, array, &at, 1, ""));
    }
    return array;
}

/* ---- calls ---- */

LLVMValueRef kn_obj_api(kn_obj *o, const char *name, LLVMTypeRef ret, LLVMValueRef *args, int n)
{
    LLVMTypeRef params[n > 0 ? n : 1];
    for (int i = 0; i < n; i++)
        params[i] = LLVMTypeOf(args[i]);
    return kn_cg_call(&o->cg, kn_cg_declare(&o->cg, name, ret, params, n), args, n);
}

kn_ov kn_obj_result(kn_obj *o, LLVMValueRef r, kn_ov *operands, int nops)
{
    for (int i = 0; i < nops; i++)
        kn_obj_release(o, operands[i]);
    kn_obj_check(o, r);
    return kn_obj_owned(o, r);
}

kn_ov kn_obj_api_new(kn_obj *o, const char *name, LLVMValueRef *args, int n, kn_ov *operands,
                     int nops)
{
    return kn_obj_result(o, kn_obj_api(o, name, o->ptr, args, n), operands, nops);
}

LLVMValueRef kn_obj_api_int(kn_obj *o, const char *name, LLVMValueRef *args, int n)
{
    LLVMValueRef r = kn_obj_api(o, name, o->i32, args, n);
    kn_obj_check_status(o, r);
    return r;
}

/*
 * The helpers of obj_rt.c live in this library, which the JIT cannot see
 * (it is loaded RTLD_LOCAL): code calls them by address, through an
 * internal function of the helper's name that LLVM inlines, so the IR
 * reads `call @kn_obj_rt_catch()` and the machine code calls the address.
 */
static LLVMValueRef helper_fn(kn_obj *o, const char *name, void *address, LLVMTypeRef fty)
{
    LLVMValueRef fn = LLVMGetNamedFunction(o->cg.mod, name);
    if (fn)
        return fn;
    fn = LLVMAddFunction(o->cg.mod, name, fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    unsigned inline_kind = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(o->cg.ctx, inline_kind, 0));
    LLVMBuilderRef b = LLVMCreateBuilderInContext(o->cg.ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(o->cg.ctx, fn, "entry"));
    unsigned n = LLVMCountParams(fn);
    LLVMValueRef args[n > 0 ? n : 1];
    LLVMGetParams(fn, args);
    LLVMValueRef target =
        LLVMConstIntToPtr(LLVMConstInt(o->i64, (unsigned long long)(uintptr_t)address, 0), o->ptr);
    LLVMValueRef r = LLVMBuildCall2(b, fty, target, args, n, "");
    if (LLVMGetTypeKind(LLVMGetReturnType(fty)) == LLVMVoidTypeKind)
        LLVMBuildRetVoid(b);
    else
        LLVMBuildRet(b, r);
    LLVMDisposeBuilder(b);
    return fn;
}

LLVMValueRef kn_obj_helper(kn_obj *o, const char *name, void *address, LLVMTypeRef ret,
                           LLVMValueRef *args, int n)
{
    LLVMTypeRef params[n > 0 ? n : 1];
    for (int i = 0; i < n; i++)
        params[i] = LLVMTypeOf(args[i]);
    LLVMValueRef fn = helper_fn(o, name, address, LLVMFunctionType(ret, params, n, 0));
    return kn_cg_call(&o->cg, fn, args, n);
}
