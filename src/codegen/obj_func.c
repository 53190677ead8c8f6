/* Object mode's entry points: the function's prologue and exit, and its Python wrapper. */
#include <string.h>

#include "codegen/object.h"

/* The kn_obj a callback of kn_cg_generate gets as its kn_cg: its first member. */
static kn_obj *obj_of(kn_cg *cg)
{
    return (kn_obj *)cg;
}

/*
 * Locals start unbound (NULL); each argument's local takes a reference of
 * its own to the caller's argument.
 */
static void prologue(kn_obj *o)
{
    const kn_func *f = o->cg.f;
    for (int i = 0; i < f->nvars; i++) {
        const kn_var *v = f->vars[i];
        o->locals[i] = kn_cg_null_slot(&o->cg, kn_type_pyobject(), v->name);
        if (v->is_arg < 0)
            continue;
        LLVMValueRef p = LLVMGetParam(o->cg.fn, (unsigned)v->is_arg);
        LLVMSetValueName2(p, v->name, strlen(v->name));
        kn_cg_incref(&o->cg, p);
        LLVMBuildStore(o->cg.b, p, o->locals[i]);
    }
}

/*
 * Python code checks the recursion limit on every call; compiled code that
 * calls itself through Python calls must too, or deep recursion overflows
 * the C stack instead of raising RecursionError. The exit leaves it.
 */
static void enter_recursion(kn_obj *o, LLVMBasicBlockRef refused)
{
    LLVMValueRef where = kn_cg_string(&o->cg, "");
    LLVMValueRef r = kn_obj_api(o, "Py_EnterRecursiveCall", o->i32, &where, 1);
    LLVMBasicBlockRef ok = kn_cg_block(&o->cg, "entered");
    LLVMBuildCondBr(o->cg.b, LLVMBuildICmp(o->cg.b, LLVMIntNE, r, kn_obj_i32(o, 0), ""), refused,
                    ok);
    kn_cg_enter(&o->cg, ok);
}

// falling off the end: return None
static void epilogue(kn_obj *o)
{
    if (kn_cg_terminated(&o->cg))
        return;
    LLVMValueRef none = kn_obj_none(o);
    kn_cg_incref(&o->cg, none);
    LLVMBuildStore(o->cg.b, none, o->result);
    LLVMBuildBr(o->cg.b, o->exit);
}

/* The function's own exception target: no result (a pending return's let go), on to the exit. */
static void raised(kn_obj *o, kn_otarget *t)
{
    kn_cg_enter(&o->cg, t->body);
    kn_cg_xdecref(&o->cg, LLVMBuildLoad2(o->cg.b, o->ptr, o->result, ""));
    LLVMBuildStore(o->cg.b, LLVMConstNull(o->ptr), o->result);
    LLVMBuildBr(o->cg.b, o->exit);
}

/* Every local and temporary lets go of what it holds; the result (or NULL) is returned. */
static void exit_block(kn_obj *o)
{
    kn_cg_enter(&o->cg, o->exit);
    for (int i = 0; i < o->ntemps; i++)
        kn_obj_drop_temp(o, i);
    for (int i = 0; i < o->cg.f->nvars; i++)
        kn_cg_xdecref(&o->cg, LLVMBuildLoad2(o->cg.b, o->ptr, o->locals[i], ""));
    kn_obj_api(o, "Py_LeaveRecursiveCall", LLVMVoidTypeInContext(o->cg.ctx), NULL, 0);
    LLVMBuildRet(o->cg.b, LLVMBuildLoad2(o->cg.b, o->ptr, o->result, "result"));
}

static void add_attribute(kn_obj *o, const char *name)
{
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddAttributeAtIndex(o->cg.fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(o->cg.ctx, kind, 0));
}

/* PyObject *name(PyObject *arg, ...): the blocks, then the body between prologue and exit. */
static int define_native(kn_cg *cg)
{
    kn_obj *o = obj_of(cg);
    const kn_func *f = cg->f;
    LLVMTypeRef params[f->nargs > 0 ? f->nargs : 1];
    for (int i = 0; i < f->nargs; i++)
        params[i] = o->ptr;
    cg->fn = LLVMAddFunction(cg->mod, cg->name, LLVMFunctionType(o->ptr, params, f->nargs, 0));
    LLVMSetVisibility(cg->fn, LLVMProtectedVisibility);
    add_attribute(o, "noinline"); /* the wrapper calls it rather than compiling a copy */
    kn_cg_debug_function(cg, cg->fn);
    cg->entry = kn_cg_block(cg, "entry");
    LLVMBasicBlockRef start = kn_cg_block(cg, "start"), refused = kn_cg_block(cg, "refused");
    o->exit = kn_cg_block(cg, "exit");
    kn_cg_enter(cg, start);
    kn_loc def = {.line = f->first_line};
    kn_obj_at(o, def);
    o->errline = kn_cg_null_slot(cg, kn_type_int(32), "errline");
    o->result = kn_cg_null_slot(cg, kn_type_pyobject(), "result");
    enter_recursion(o, refused);
    prologue(o);
    kn_otarget *own = kn_obj_target_begin(o, def);
    own->release = 0; /* the exit releases everything */
    if (kn_obj_stmts(o, &f->body) < 0)
        return -1;
    epilogue(o);
    raised(o, own);
    exit_block(o);
    kn_obj_fill_targets(o);
    kn_cg_enter(cg, refused);
    LLVMBuildRet(cg->b, LLVMConstNull(o->ptr));
    kn_cg_enter(cg, cg->entry);
    kn_obj_at(o, def);
    LLVMBuildBr(cg->b, start);
    return 0;
}

/* PyObject *name_py(PyObject *const *args): the native entry on the array's items. */
static void define_wrapper(kn_cg *cg, const char *name)
{
    kn_obj *o = obj_of(cg);
    LLVMValueRef native = cg->fn;
    int n = cg->f->nargs;
    cg->fn = LLVMAddFunction(cg->mod, name, LLVMFunctionType(o->ptr, &o->ptr, 1, 0));
    LLVMSetVisibility(cg->fn, LLVMProtectedVisibility);
    LLVMSetCurrentDebugLocation2(cg->b, NULL); /* no line of the source */
    kn_cg_enter(cg, kn_cg_block(cg, "entry"));
    LLVMValueRef argv = LLVMGetParam(cg->fn, 0), args[n > 0 ? n : 1];
    for (int i = 0; i < n; i++) {
        LLVMValueRef at = LLVMConstInt(o->i64, (unsigned long long)i, 0);
        args[i] = LLVMBuildLoad2(cg->b, o->ptr, LLVMBuildGEP2(cg->b, o->ptr, argv, &at, 1, ""), "");
    }
    LLVMBuildRet(cg->b, kn_cg_call(cg, native, args, n));
}

int kn_cg_lower_object(const kn_func *f, PyObject *pyfunc, const kn_compile_options *opts,
                       LLVMModuleRef mod)
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    kn_obj o = {
        .cg = {.f = f, .opts = opts},
        .func = pyfunc,
        .ptr = LLVMPointerTypeInContext(ctx, 0),
        .i32 = LLVMInt32TypeInContext(ctx),
        .i64 = LLVMInt64TypeInContext(ctx),
        .locals =
            kn_arena_alloc(f->arena, (size_t)(f->nvars > 0 ? f->nvars : 1) * sizeof(LLVMValueRef)),
    };
    return kn_cg_generate(&o.cg, mod, define_native, define_wrapper);
}
