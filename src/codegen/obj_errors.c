/* Object mode's exceptions: landings, the targets they go to, and traceback entries. */
#include <stdio.h>
#include <string.h>

#include "codegen/object.h"

void kn_obj_at(kn_obj *o, kn_loc loc)
{
    o->line = loc.line;
    kn_cg_debug_at(&o->cg, loc);
}

/*
 * Where a failure of the code being lowered branches: a block that
 * records the line for the traceback (0: none to add, a re-raise) and goes
 * on to o->unwind. Consecutive checks of one line share it.
 */
static LLVMBasicBlockRef landing(kn_obj *o, int line)
{
    if (o->landing && o->landing_line == line && o->landing_to == o->unwind)
        return o->landing;
    LLVMBasicBlockRef here = LLVMGetInsertBlock(o->cg.b);
    LLVMBasicBlockRef bb = kn_cg_block(&o->cg, "raised");
    kn_cg_enter(&o->cg, bb);
    LLVMBuildStore(o->cg.b, kn_obj_i32(o, line), o->errline);
    LLVMBuildBr(o->cg.b, o->unwind);
    kn_cg_enter(&o->cg, here);
    o->landing = bb;
    o->landing_line = line;
    o->landing_to = o->unwind;
    return bb;
}

LLVMBasicBlockRef kn_obj_landing(kn_obj *o)
{
    return landing(o, o->line);
}

void kn_obj_error_if(kn_obj *o, LLVMValueRef cond)
{
    LLVMBasicBlockRef ok = kn_cg_block(&o->cg, "ok");
    kn_cg_unlikely(&o->cg, LLVMBuildCondBr(o->cg.b, cond, landing(o, o->line), ok));
    kn_cg_enter(&o->cg, ok);
}

void kn_obj_check(kn_obj *o, LLVMValueRef v)
{
    kn_obj_error_if(o, LLVMBuildIsNull(o->cg.b, v, ""));
}

void kn_obj_check_status(kn_obj *o, LLVMValueRef rc)
{
    kn_obj_error_if(o, LLVMBuildICmp(o->cg.b, LLVMIntSLT, rc, LLVMConstNull(LLVMTypeOf(rc)), ""));
}

void kn_obj_raise_here(kn_obj *o)
{
    LLVMBuildBr(o->cg.b, landing(o, o->line));
}

void kn_obj_reraise(kn_obj *o)
{
    LLVMBuildBr(o->cg.b, landing(o, 0));
}

/*
 * A C string constant, one per text in the module (messages repeat:
 * unbound locals): found again by a name made from a hash of the text.
 */
static LLVMValueRef message(kn_obj *o, const char *msg)
{
    unsigned long long h = 14695981039346656037ull; /* FNV-1a */
    for (const char *p = msg; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    char name[32];
    snprintf(name, sizeof name, "msg.%016llx", h);
    LLVMValueRef g = LLVMGetNamedGlobal(o->cg.mod, name);
    LLVMValueRef init = g ? LLVMGetInitializer(g) : NULL;
    size_t len;
    const char *text = init && LLVMIsConstantString(init) ? LLVMGetAsString(init, &len) : NULL;
    if (text && len == strlen(msg) + 1 && !memcmp(text, msg, len))
        return g;
    return LLVMBuildGlobalString(o->cg.b, msg, g ? ".str" : name); /* a collision: not shared */
}

void kn_obj_raise_string(kn_obj *o, const char *exc, const char *msg)
{
    LLVMValueRef args[] = {kn_obj_load_symbol(o, exc), message(o, msg)};
    kn_obj_api(o, "PyErr_SetString", LLVMVoidTypeInContext(o->cg.ctx), args, 2);
    kn_obj_raise_here(o);
}

kn_otarget *kn_obj_target_begin(kn_obj *o, kn_loc loc)
{
    kn_otarget *t = kn_arena_alloc(o->cg.f->arena, sizeof *t);
    t->prelude = kn_cg_block(&o->cg, "unwind");
    t->body = kn_cg_block(&o->cg, "handler");
    t->keep = kn_obj_live_set(o, &t->nkeep);
    t->release = 1;
    t->loc = loc;
    if (o->ntargets == o->cap_targets) {
        int cap = o->cap_targets ? 2 * o->cap_targets : 8;
        kn_otarget **grown = kn_arena_alloc(o->cg.f->arena, (size_t)cap * sizeof *grown);
        for (int i = 0; i < o->ntargets; i++)
            grown[i] = o->targets[i];
        o->targets = grown;
        o->cap_targets = cap;
    }
    o->targets[o->ntargets++] = t;
    o->unwind = t->prelude;
    return t;
}

/*
 * The traceback entry for this function at the recorded line, as CPython
 * adds one for each frame an exception passes (Cython's
 * __Pyx_AddTraceback): a code object and frame made for the purpose.
 */
static void add_traceback(kn_obj *o)
{
    LLVMValueRef line = LLVMBuildLoad2(o->cg.b, o->i32, o->errline, "line");
    LLVMBasicBlockRef add = kn_cg_block(&o->cg, "traceback"), go = kn_cg_block(&o->cg, "go");
    LLVMBuildCondBr(o->cg.b, LLVMBuildICmp(o->cg.b, LLVMIntNE, line, kn_obj_i32(o, 0), ""), add,
                    go);
    kn_cg_enter(&o->cg, add);
    const kn_func *f = o->cg.f;
    LLVMValueRef args[] = {kn_cg_string(&o->cg, f->name),
                           kn_cg_string(&o->cg, f->filename ? f->filename : "<unknown>"), line};
    kn_obj_api(o, "_PyTraceback_Add", LLVMVoidTypeInContext(o->cg.ctx), args, 3);
    LLVMBuildStore(o->cg.b, kn_obj_i32(o, 0), o->errline);
    LLVMBuildBr(o->cg.b, go);
    kn_cg_enter(&o->cg, go);
}

/* The traceback entry, then the temporaries made inside the region let go. */
static void fill_target(kn_obj *o, const kn_otarget *t)
{
    kn_cg_enter(&o->cg, t->prelude);
    kn_obj_at(o, t->loc);
    add_traceback(o);
    for (int i = 0; t->release && i < o->ntemps; i++)
        if (i >= t->nkeep || !t->keep[i])
            kn_obj_drop_temp(o, i);
    LLVMBuildBr(o->cg.b, t->body);
}

void kn_obj_fill_targets(kn_obj *o)
{
    for (int i = 0; i < o->ntargets; i++)
        fill_target(o, o->targets[i]);
}
