/* Who owns the NumPy arrays compiled code holds: references in variables and temporaries. */
#include "codegen/cg.h"

/*
 * An array value in registers is borrowed: it holds its owner's address
 * but no reference of its own. References live in memory only:
 *
 * - a local variable of an array type (or a tuple holding arrays) owns
 *   one reference to what it holds: a store takes a new one and drops the
 *   old value's;
 * - an expression that makes an array (np.zeros, a + b, a call that
 *   returns one) puts its new reference in a temporary slot of its own,
 *   released when the statement (or the condition) that evaluated it is
 *   done;
 * - a function's exit, normal or by an exception, releases every
 *   variable and every temporary still held; a returned value was given a
 *   reference of its own first, which the caller receives.
 *
 * Slots start out null (an owner of NULL releases nothing), so the exits
 * can release every slot, whatever path led there.
 */

int kn_cg_has_refs(const kn_type *t)
{
    if (t->kind == KN_ARRAY)
        return 1;
    for (int i = 0; t->kind == KN_TUPLE && i < t->nfields; i++)
        if (kn_cg_has_refs(t->fields[i]))
            return 1;
    return 0;
}

static LLVMTypeRef i64_type(kn_cg *cg)
{
    return LLVMInt64TypeInContext(cg->ctx);
}

// Py_INCREF(obj): the refcount is the object's first field
void kn_cg_incref(kn_cg *cg, LLVMValueRef obj)
{
    LLVMValueRef n = LLVMBuildLoad2(cg->b, i64_type(cg), obj, "refcnt");
    LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, n, kn_cg_i64(cg, 1), ""), obj);
}

// Py_XDECREF(obj): the last reference deallocates
void kn_cg_xdecref(kn_cg *cg, LLVMValueRef obj)
{
    LLVMBasicBlockRef live = kn_cg_block(cg, "decref"), dealloc = kn_cg_block(cg, "dealloc");
    LLVMBasicBlockRef done = kn_cg_block(cg, "decref.end");
    LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, obj, ""), done, live);
    kn_cg_enter(cg, live);
    LLVMValueRef n = LLVMBuildLoad2(cg->b, i64_type(cg), obj, "refcnt");
    n = LLVMBuildSub(cg->b, n, kn_cg_i64(cg, 1), "");
    LLVMBuildStore(cg->b, n, obj);
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, n, kn_cg_i64(cg, 0), ""), dealloc, done);
    kn_cg_enter(cg, dealloc);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(cg->ctx, 0);
    LLVMValueRef fn =
        kn_cg_declare(cg, "_Py_Dealloc", LLVMVoidTypeInContext(cg->ctx), &ptr, 1);
    kn_cg_call(cg, fn, &obj, 1);
    LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, done);
}

/* Applies each to the owner of every array in v (an array, or a tuple holding some). */
static void each_owner(kn_cg *cg, LLVMValueRef v, const kn_type *t,
                       void (*each)(kn_cg *, LLVMValueRef))
{
    if (t->kind == KN_ARRAY) {
        each(cg, kn_cg_array_owner(cg, v));
        return;
    }
    for (int i = 0; t->kind == KN_TUPLE && i < t->nfields; i++)
        if (kn_cg_has_refs(t->fields[i]))
            each_owner(cg, LLVMBuildExtractValue(cg->b, v, (unsigned)i, ""), t->fields[i], each);
}

static void incref_nonnull(kn_cg *cg, LLVMValueRef obj)
{
    LLVMBasicBlockRef live = kn_cg_block(cg, "incref"), done = kn_cg_block(cg, "incref.end");
    LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, obj, ""), done, live);
    kn_cg_enter(cg, live);
    kn_cg_incref(cg, obj);
    LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, done);
}

/* On the GPU arrays have no owner to count: the host keeps them alive around the launch. */
void kn_cg_retain(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    if (cg->gpu)
        return;
    each_owner(cg, v, t, incref_nonnull);
}

void kn_cg_release(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    if (cg->gpu)
        return;
    each_owner(cg, v, t, kn_cg_xdecref);
}

/* An alloca holding zero (null owners) from the function's first instruction on. */
LLVMValueRef kn_cg_null_slot(kn_cg *cg, const kn_type *t, const char *name)
{
    LLVMTypeRef ty = kn_cg_type(cg, t);
    LLVMValueRef slot = kn_cg_alloca(cg, ty, name);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->ctx);
    LLVMPositionBuilderAtEnd(b, cg->entry);
    LLVMBuildStore(b, LLVMConstNull(ty), slot);
    LLVMDisposeBuilder(b);
    return slot;
}

LLVMValueRef kn_cg_own(kn_cg *cg, LLVMValueRef v, const kn_type *t)
{
    if (!v || !kn_cg_has_refs(t))
        return v;
    if (cg->ntemps == cg->cap_temps) {
        int cap = cg->cap_temps ? 2 * cg->cap_temps : 16;
        kn_cg_temp *grown = kn_arena_alloc(cg->f->arena, (size_t)cap * sizeof *grown);
        for (int i = 0; i < cg->ntemps; i++)
            grown[i] = cg->temps[i];
        cg->temps = grown;
        cg->cap_temps = cap;
    }
    kn_cg_temp *tmp = &cg->temps[cg->ntemps++];
    tmp->type = t;
    tmp->slot = kn_cg_null_slot(cg, t, "temp");
    tmp->live = 1;
    LLVMBuildStore(cg->b, v, tmp->slot);
    return v;
}

static void release_slot(kn_cg *cg, LLVMValueRef slot, const kn_type *t, int clear)
{
    LLVMTypeRef ty = kn_cg_type(cg, t);
    kn_cg_release(cg, LLVMBuildLoad2(cg->b, ty, slot, ""), t);
    if (clear)
        LLVMBuildStore(cg->b, LLVMConstNull(ty), slot);
}

void kn_cg_release_temps(kn_cg *cg, int mark)
{
    if (kn_cg_terminated(cg))
        return;
    for (int i = mark; i < cg->ntemps; i++)
        if (cg->temps[i].live) {
            release_slot(cg, cg->temps[i].slot, cg->temps[i].type, 1);
            cg->temps[i].live = 0;
        }
}

// var = v: the variable takes a reference to the new value and drops the old one's
void kn_cg_store_owned(kn_cg *cg, LLVMValueRef slot, LLVMValueRef v, const kn_type *t)
{
    if (!kn_cg_has_refs(t)) {
        LLVMBuildStore(cg->b, v, slot);
        return;
    }
    kn_cg_retain(cg, v, t);
    LLVMValueRef old = LLVMBuildLoad2(cg->b, kn_cg_type(cg, t), slot, "old");
    LLVMBuildStore(cg->b, v, slot);
    kn_cg_release(cg, old, t);
}

/* At an exit: every variable and every temporary lets go of what it holds. */
void kn_cg_release_all(kn_cg *cg)
{
    for (int i = 0; i < cg->f->nvars; i++) {
        const kn_var *v = cg->f->vars[i];
        if (cg->slots[i] && v->type && kn_cg_has_refs(v->type))
            release_slot(cg, cg->slots[i], v->type, 0);
    }
    for (int i = 0; i < cg->ntemps; i++)
        release_slot(cg, cg->temps[i].slot, cg->temps[i].type, 0);
}
