/* The compile driver: source -> AST -> types -> IR -> O3 -> machine code, each timed. */
#include "compiler/compile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codegen/lower.h"
#include "codegen/object.h"
#include "compiler/diag.h"
#include "compiler/front.h"
#include "compiler/infer.h"
#include "jit/jit.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Seconds since *t0, which moves on to now: for timing stages one after another. */
static double lap(double *t0)
{
    double t = now(), dt = t - *t0;
    *t0 = t;
    return dt;
}

/* What inference's callbacks need: the function (for its globals) and the caller's options. */
typedef struct driver {
    PyObject *func;
    const kn_compile_options *opts;
    int unlinked; /* the code calls a specialization not linked yet: it waits to be linked */
} driver;

static PyObject *lookup_global(void *ctx, const char *name)
{
    return kn_infer_lookup_global(((driver *)ctx)->func, name);
}

/* A call to another kiln function: the dispatcher layer compiles it; its specialization is the
 * handle. */
static kn_resolved resolve_call(void *ctx, PyObject *callee, const kn_signature *sig, int final,
                                void **handle, const kn_type **ret)
{
    driver *d = ctx;
    kn_callee out = {0};
    if (!d->opts->resolve_call)
        return KN_NOT_KILN;
    kn_resolved r = d->opts->resolve_call(callee, sig, final, &out);
    *ret = out.ret;
    if (r != KN_RESOLVED)
        return r;
    *handle = out.spec;
    d->unlinked |= !out.spec->native;
    return r;
}

/* LLVM's text is freed with LLVMDisposeMessage; the specialization's strings with free. */
static char *module_text(LLVMModuleRef mod)
{
    char *text = LLVMPrintModuleToString(mod);
    char *copy = strdup(text);
    LLVMDisposeMessage(text);
    if (!copy)
        PyErr_NoMemory();
    return copy;
}

/* The symbol's stem: the qualified name with anything but letters, digits and _ made _. */
static void symbol_stem(PyObject *func, char *buf, size_t size)
{
    PyObject *qualname = ((PyFunctionObject *)func)->func_qualname;
    const char *name = qualname ? PyUnicode_AsUTF8(qualname) : NULL;
    snprintf(buf, size, "%s", name ? name : "f");
    PyErr_Clear();
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
}

/*
 * The module the specialization's code goes into, made before inference:
 * its unique name is the native entry's symbol, which functions compiled
 * meanwhile may call (mutual recursion). Returns 0 or -1.
 */
static int new_module(kn_specialization *spec, PyObject *func, kn_jit_module *m)
{
    char stem[200];
    symbol_stem(func, stem, sizeof stem);
    if (kn_jit_module_new(m, stem) < 0)
        return -1;
    size_t len;
    const char *id = LLVMGetModuleIdentifier(m->mod, &len);
    if ((spec->symbol = strndup(id, len)))
        return 0;
    kn_jit_module_dispose(m);
    PyErr_NoMemory();
    return -1;
}

int kn_specialization_link(kn_specialization *spec)
{
    char wrapper[strlen(spec->symbol) + sizeof KN_CG_WRAPPER_SUFFIX];
    snprintf(wrapper, sizeof wrapper, "%s%s", spec->symbol, KN_CG_WRAPPER_SUFFIX);
    spec->native = kn_jit_lookup(spec->jit_handle, spec->symbol);
    spec->wrapper = spec->native ? (kn_wrapper_fn)kn_jit_lookup(spec->jit_handle, wrapper) : NULL;
    return spec->wrapper ? 0 : -1;
}

/* Lowered, optimized and handed to the JIT, linked unless it must wait: the stages after
 * inference. Returns 0 or -1. */
static int generate(kn_specialization *spec, const kn_func *f, const driver *d, kn_jit_module *m,
                    double *t0)
{
    int rc = spec->object_mode ? kn_cg_lower_object(f, d->func, d->opts, m->mod)
                               : kn_cg_lower(f, &spec->sig, d->opts, m->mod);
    if (rc == 0)
        rc = (spec->ir_raw = module_text(m->mod)) ? 0 : -1;
    spec->times.lower = lap(t0);
    if (rc == 0)
        rc = kn_jit_optimize(m->mod);
    if (rc == 0)
        rc = (spec->ir_optimized = module_text(m->mod)) ? 0 : -1;
    spec->times.optimize = lap(t0);
    if (rc < 0)
        return -1;
    spec->jit_handle = kn_jit_add(m);
    rc = !spec->jit_handle ? -1 : d->unlinked ? 0 : kn_specialization_link(spec);
    spec->times.machine_code = lap(t0);
    return rc;
}

/*
 * Object mode types nothing: every argument, variable and result is a
 * pyobject, so inspect_types shows that, and the signature reads
 * (pyobject, ...) as Numba's object mode does.
 */
static int type_as_objects(kn_specialization *spec, kn_func *f)
{
    if (spec->sig.nargs != f->nargs)
        return kn_diag_raise_at(f, f->def_loc, "%s takes %d argument%s but is called with %d",
                                f->name, f->nargs, f->nargs == 1 ? "" : "s", spec->sig.nargs);
    for (int i = 0; i < f->nargs; i++)
        spec->sig.args[i] = kn_type_pyobject();
    for (int i = 0; i < f->nvars; i++)
        f->vars[i]->type = kn_type_pyobject();
    spec->sig.ret = f->ret = kn_type_pyobject();
    spec->object_mode = 1;
    spec->annotated = kn_infer_annotate(f);
    return 0;
}

/* Parsed, typed and generated; the arena holds the AST and goes when this returns. */
static int compile(kn_specialization *spec, PyObject *func, const kn_signature *sig,
                   const kn_compile_options *opts, kn_arena *arena, kn_jit_module *m)
{
    double t0 = now();
    kn_func *f = kn_front_convert(func, arena);
    spec->times.parse = lap(&t0);
    if (!f)
        return -1;
    driver d = {.func = func, .opts = opts};
    if (opts->forceobj) {
        int rc = type_as_objects(spec, f);
        spec->times.infer = lap(&t0);
        return rc < 0 ? -1 : generate(spec, f, &d, m, &t0);
    }
    kn_infer_env env = {
        .ctx = &d,
        .lookup_global = lookup_global,
        .resolve_call = resolve_call,
        .self = func,
        .self_handle = spec,
        .ret_so_far = &spec->sig.ret,
    };
    int rc = kn_infer(f, sig, &env);
    spec->times.infer = lap(&t0); /* includes compiling the kiln functions it calls */
    if (rc < 0)
        return -1;
    spec->sig.ret = f->ret;
    spec->annotated = kn_infer_annotate(f);
    return generate(spec, f, &d, m, &t0);
}

kn_specialization *kn_compile(PyObject *func, const kn_signature *sig,
                              const kn_compile_options *opts)
{
    static const kn_compile_options defaults = {.boundscheck = 1};
    if (!opts)
        opts = &defaults;
    kn_specialization *spec = calloc(1, sizeof *spec);
    if (!spec) {
        PyErr_NoMemory();
        return NULL;
    }
    kn_jit_module m = {0};
    if (new_module(spec, func, &m) < 0) {
        free(spec);
        return NULL;
    }
    spec->sig = *sig;
    if (opts->progress)
        opts->progress->spec = spec;
    kn_arena *arena = kn_arena_new();
    int rc = compile(spec, func, sig, opts, arena, &m);
    kn_arena_free(arena);
    kn_jit_module_dispose(&m);
    if (rc == 0)
        return spec;
    if (opts->progress)
        *opts->progress = (kn_compile_progress){.ret = spec->sig.ret};
    kn_specialization_free(spec);
    return NULL;
}

const char *kn_specialization_asm(kn_specialization *spec)
{
    if (!spec->asm_text && spec->ir_optimized)
        spec->asm_text = kn_jit_asm(spec->ir_optimized);
    return spec->asm_text;
}

void kn_specialization_free(kn_specialization *spec)
{
    if (!spec)
        return;
    kn_jit_code_free(spec->jit_handle);
    free(spec->symbol);
    free(spec->ir_raw);
    free(spec->ir_optimized);
    free(spec->asm_text);
    free(spec->annotated);
    free(spec);
}
