/* The compile driver: source -> AST -> types -> IR -> O3 -> machine code, each timed. */
#include "compiler/compile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codegen/lower.h"
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
} driver;

static PyObject *lookup_global(void *ctx, const char *name)
{
    return kn_infer_lookup_global(((driver *)ctx)->func, name);
}

/* A call to another kiln function: the dispatcher layer compiles it; its specialization is the
 * handle. */
static void *resolve_call(void *ctx, PyObject *callee, const kn_signature *sig, const kn_type **ret)
{
    const kn_compile_options *opts = ((driver *)ctx)->opts;
    kn_specialization *spec = opts->resolve_call ? opts->resolve_call(callee, sig) : NULL;
    if (spec)
        *ret = spec->sig.ret;
    return spec;
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
static void symbol_stem(const kn_func *f, char *buf, size_t size)
{
    snprintf(buf, size, "%s", f->qualname ? f->qualname : f->name);
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
}

/* Lowered, optimized, handed to the JIT and looked up: the stages after inference. Returns 0 or -1.
 */
static int generate(kn_specialization *spec, const kn_func *f, const kn_compile_options *opts,
                    double *t0)
{
    char stem[200];
    symbol_stem(f, stem, sizeof stem);
    kn_jit_module m;
    if (kn_jit_module_new(&m, stem) < 0)
        return -1;
    int rc = kn_cg_lower(f, &spec->sig, opts, m.mod);
    if (rc == 0)
        rc = (spec->ir_raw = module_text(m.mod)) ? 0 : -1;
    spec->times.lower = lap(t0);
    if (rc == 0)
        rc = kn_jit_optimize(m.mod);
    if (rc == 0)
        rc = (spec->ir_optimized = module_text(m.mod)) ? 0 : -1;
    spec->times.optimize = lap(t0);
    if (rc < 0) {
        kn_jit_module_dispose(&m);
        return -1;
    }
    size_t len;
    const char *id = LLVMGetModuleIdentifier(m.mod, &len);
    char native[len + sizeof KN_CG_WRAPPER_SUFFIX], wrapper[len + sizeof KN_CG_WRAPPER_SUFFIX];
    snprintf(native, sizeof native, "%.*s", (int)len, id);
    snprintf(wrapper, sizeof wrapper, "%s%s", native, KN_CG_WRAPPER_SUFFIX);
    kn_jit_code *code = kn_jit_add(&m);
    spec->jit_handle = code;
    spec->native = code ? kn_jit_lookup(code, native) : NULL;
    spec->wrapper = spec->native ? (kn_wrapper_fn)kn_jit_lookup(code, wrapper) : NULL;
    spec->times.machine_code = lap(t0);
    return spec->wrapper ? 0 : -1;
}

/* Parsed, typed and generated; the arena holds the AST and goes when this returns. */
static int compile(kn_specialization *spec, PyObject *func, const kn_signature *sig,
                   const kn_compile_options *opts, kn_arena *arena)
{
    double t0 = now();
    kn_func *f = kn_front_convert(func, arena);
    spec->times.parse = lap(&t0);
    if (!f)
        return -1;
    driver d = {.func = func, .opts = opts};
    kn_infer_env env = {
        .ctx = &d,
        .lookup_global = lookup_global,
        .resolve_call = resolve_call,
        .self = func,
        .self_handle = spec,
    };
    int rc = kn_infer(f, sig, &env);
    spec->times.infer = lap(&t0); /* includes compiling the kiln functions it calls */
    if (rc < 0)
        return -1;
    spec->sig = *sig;
    spec->sig.ret = f->ret;
    spec->annotated = kn_infer_annotate(f);
    return generate(spec, f, opts, &t0);
}

kn_specialization *kn_compile(PyObject *func, const kn_signature *sig,
                              const kn_compile_options *opts)
{
    static const kn_compile_options defaults = {.boundscheck = 1};
    kn_specialization *spec = calloc(1, sizeof *spec);
    kn_arena *arena = kn_arena_new();
    if (!spec) {
        kn_arena_free(arena);
        PyErr_NoMemory();
        return NULL;
    }
    int rc = compile(spec, func, sig, opts ? opts : &defaults, arena);
    kn_arena_free(arena);
    if (rc < 0) {
        kn_specialization_free(spec);
        return NULL;
    }
    return spec;
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
    free(spec->ir_raw);
    free(spec->ir_optimized);
    free(spec->asm_text);
    free(spec->annotated);
    free(spec);
}
