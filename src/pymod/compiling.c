/* The compilations in progress on this thread, and mutually recursive ones waiting on them. */
#include "pymod/compiling.h"

#include "compiler/diag.h"
#include "pymod/backend.h"

/*
 * Compiling f can compile g, a jitted function f calls, and g can call f
 * back: mutual recursion. The stack holds the compilations in progress,
 * innermost last. g's call to f is compiled against f's specialization in
 * progress, which kn_compile publishes: a forward declaration, with the
 * return type f's inference has so far, which g's code assumes. So g waits,
 * tentative: its code can run only once f's exists, and is right only if
 * f's final return type is the one it assumed. A tentative g whose
 * assumption f's inference widened since is compiled again when f's next
 * pass calls it; f's next passes see g's new return type in turn, so the
 * cycle's types settle together. While f has no return type at all, g
 * cannot be typed: its call to f reports KN_NOT_YET, g's compilation is
 * dropped, and f's inference types the call in a later pass, after a
 * return of f gave it a type (or reports that none does).
 *
 * One stack per thread: the compiler runs Python code (inspect, ast), so
 * another thread can take the GIL and compile meanwhile.
 */

enum { MAX_DEPTH = 64, MAX_ASSUMED = 16, MAX_WAITING = 64, NOT_WAITING = MAX_DEPTH };

/* Code that takes for granted that the compilation at stack level `level` returns `ret`. */
typedef struct assumption {
    int level;
    const kn_type *ret;
} assumption;

typedef struct assumptions {
    assumption at[MAX_ASSUMED];
    int n;
} assumptions;

/*
 * A compilation in progress. Its inference resolves each call once a pass;
 * only the last pass's outcomes are what its code calls, so only they count
 * (final): the passes before it gather types.
 */
typedef struct frame {
    kn_pymod_dispatcher *d;
    const kn_signature *sig;
    kn_compile_progress progress; /* kn_compile keeps it up to date */
    int final;                    /* its inference is in its last pass */
    int waits_on;                 /* the lowest level whose unknown return type a final call met */
    assumptions assumed;          /* what its code takes for granted */
} frame;

/* A specialization compiled against compilations still in progress. */
typedef struct tentative {
    kn_pymod_dispatcher *d; /* a strong reference, until it is published or dropped */
    kn_specialization *spec;
    assumptions assumed;
} tentative;

static _Thread_local frame stack[MAX_DEPTH];
static _Thread_local int depth;
static _Thread_local tentative waiting[MAX_WAITING];
static _Thread_local int nwaiting;

static int too_many(const char *what)
{
    PyErr_Format(kn_diag_typing_error_type(), "too many %s to compile at once", what);
    return -1;
}

static int assume(assumptions *as, assumption a)
{
    for (int i = 0; i < as->n; i++)
        if (as->at[i].level == a.level && as->at[i].ret == a.ret)
            return 0;
    if (as->n == MAX_ASSUMED)
        return too_many("mutually recursive calls");
    as->at[as->n++] = a;
    return 0;
}

static int assume_all(assumptions *as, const assumptions *more)
{
    for (int i = 0; i < more->n; i++)
        if (assume(as, more->at[i]) < 0)
            return -1;
    return 0;
}

/* Whether every assumption about level holds, level returning ret. */
static int holds_for(const assumptions *as, int level, const kn_type *ret)
{
    for (int i = 0; i < as->n; i++)
        if (as->at[i].level == level && as->at[i].ret != ret)
            return 0;
    return 1;
}

/* Whether every assumption holds for the return types inferred so far. */
static int holds_now(const assumptions *as)
{
    for (int i = 0; i < as->n; i++) {
        const kn_specialization *spec = stack[as->at[i].level].progress.spec;
        if (!spec || spec->sig.ret != as->at[i].ret)
            return 0;
    }
    return 1;
}

/* Removes the assumptions about level: it is done. */
static void forget_level(assumptions *as, int level)
{
    int kept = 0;
    for (int i = 0; i < as->n; i++)
        if (as->at[i].level != level)
            as->at[kept++] = as->at[i];
    as->n = kept;
}

static int assumes_level(const assumptions *as, int level)
{
    for (int i = 0; i < as->n; i++)
        if (as->at[i].level == level)
            return 1;
    return 0;
}

/* Takes waiting[i] out of the list; the caller publishes or frees its specialization. */
static tentative take(int i)
{
    tentative t = waiting[i];
    waiting[i] = waiting[--nwaiting];
    return t;
}

static void drop(int i)
{
    tentative t = take(i);
    kn_pymod_backend_get()->free(t.spec);
    Py_DECREF(t.d);
}

/* Drops the tentative specializations that assume anything about level: it failed. */
static void drop_assuming(int level)
{
    for (int i = nwaiting - 1; i >= 0; i--)
        if (assumes_level(&waiting[i].assumed, level))
            drop(i);
}

static int wait(kn_pymod_dispatcher *d, kn_specialization *spec, const assumptions *assumed)
{
    if (nwaiting == MAX_WAITING)
        return too_many("mutually recursive functions");
    waiting[nwaiting++] = (tentative){(kn_pymod_dispatcher *)Py_NewRef(d), spec, *assumed};
    return 0;
}

/* Links a specialization compiled against code not linked then, and publishes it. 0 or -1. */
static int release(kn_pymod_dispatcher *d, kn_specialization *spec)
{
    const kn_pymod_backend *backend = kn_pymod_backend_get();
    if (!spec->native && backend->link(spec) < 0) {
        backend->free(spec);
        return -1;
    }
    return kn_pymod_dispatcher_publish(d, spec);
}

/* Every tentative specialization that assumes nothing any more is published. 0 or -1. */
static int release_settled(void)
{
    int rc = 0;
    for (int i = nwaiting - 1; i >= 0; i--) {
        if (waiting[i].assumed.n)
            continue;
        tentative t = take(i);
        if (release(t.d, t.spec) < 0)
            rc = -1;
        Py_DECREF(t.d);
    }
    return rc;
}

/*
 * Level is done, with return type ret: the tentative specializations that
 * assumed another one are dropped; the others now assume what level's own
 * code assumes about the levels below it (that code runs when they call it).
 */
static int settle(int level, const kn_type *ret, const assumptions *below)
{
    for (int i = nwaiting - 1; i >= 0; i--) {
        tentative *t = &waiting[i];
        if (!assumes_level(&t->assumed, level))
            continue;
        if (!holds_for(&t->assumed, level, ret)) {
            drop(i);
            continue;
        }
        forget_level(&t->assumed, level);
        if (assume_all(&t->assumed, below) < 0)
            return -1;
    }
    return 0;
}

/*
 * The innermost compilation's code calls a specialization that assumes
 * assumed: its code assumes the same, when the call is final.
 */
static kn_resolved inherit(const assumptions *assumed)
{
    frame *caller = &stack[depth - 1];
    if (caller->final && assume_all(&caller->assumed, assumed) < 0)
        return KN_RESOLVE_FAILED;
    return KN_RESOLVED;
}

kn_compile_progress *kn_pymod_compiling_push(kn_pymod_dispatcher *d, const kn_signature *sig)
{
    if (depth == MAX_DEPTH) {
        too_many("calls between jitted functions nested");
        return NULL;
    }
    frame *f = &stack[depth++];
    *f = (frame){.d = d, .sig = sig, .waits_on = NOT_WAITING};
    return &f->progress;
}

/*
 * The innermost compilation failed at level: KN_NOT_YET, with the return
 * type it had so far, when only a return type unknown below it made it fail.
 */
static kn_resolved failed(const frame *f, int level, kn_callee *out)
{
    drop_assuming(level);
    if (f->waits_on >= level || !PyErr_ExceptionMatches(kn_diag_typing_error_type()))
        return KN_RESOLVE_FAILED;
    PyErr_Clear();
    out->ret = f->progress.ret;
    frame *caller = &stack[level - 1];
    if (caller->final && f->waits_on < caller->waits_on)
        caller->waits_on = f->waits_on;
    return KN_NOT_YET;
}

/* The innermost compilation, at level, made spec: published, or tentative while it assumes
 * something about a compilation below it. */
static kn_resolved done(frame *f, int level, kn_specialization *spec, kn_callee *out)
{
    if (!holds_for(&f->assumed, level, spec->sig.ret)) {
        kn_pymod_backend_get()->free(spec);
        drop_assuming(level);
        PyErr_Format(kn_diag_typing_error_type(),
                     "%U: the return types of mutually recursive functions do not settle",
                     ((PyFunctionObject *)f->d->py_func)->func_qualname);
        return KN_RESOLVE_FAILED;
    }
    forget_level(&f->assumed, level);
    if (settle(level, spec->sig.ret, &f->assumed) < 0) {
        kn_pymod_backend_get()->free(spec);
        return KN_RESOLVE_FAILED;
    }
    *out = (kn_callee){spec, spec->sig.ret};
    if (!f->assumed.n) {
        int rc = release(f->d, spec);
        return release_settled() < 0 || rc < 0 ? KN_RESOLVE_FAILED : KN_RESOLVED;
    }
    if (wait(f->d, spec, &f->assumed) < 0)
        return KN_RESOLVE_FAILED;
    return inherit(&f->assumed);
}

kn_resolved kn_pymod_compiling_pop(kn_specialization *spec, kn_callee *out)
{
    frame f = stack[--depth];
    return spec ? done(&f, depth, spec, out) : failed(&f, depth, out);
}

/* d for sig at level, in progress: the innermost compilation calls it back. */
static kn_resolved forward(int level, kn_callee *out)
{
    frame *caller = &stack[depth - 1];
    kn_specialization *spec = stack[level].progress.spec;
    if (!spec || !spec->sig.ret) {
        if (caller->final && level < caller->waits_on)
            caller->waits_on = level;
        return KN_NOT_YET;
    }
    *out = (kn_callee){spec, spec->sig.ret};
    assumptions one = {.at = {{level, spec->sig.ret}}, .n = 1};
    return inherit(&one);
}

kn_resolved kn_pymod_compiling_find(kn_pymod_dispatcher *d, const kn_signature *sig, int final,
                                    kn_callee *out)
{
    stack[depth - 1].final = final;
    for (int level = 0; level < depth; level++)
        if (stack[level].d == d && kn_signature_takes(stack[level].sig, sig->args, sig->nargs))
            return forward(level, out);
    for (int i = 0; i < nwaiting; i++) {
        tentative *t = &waiting[i];
        if (t->d != d || !kn_signature_takes(&t->spec->sig, sig->args, sig->nargs))
            continue;
        if (!holds_now(&t->assumed)) {
            drop(i); /* compiled against a return type that has widened since */
            return KN_NOT_KILN;
        }
        *out = (kn_callee){t->spec, t->spec->sig.ret};
        return inherit(&t->assumed);
    }
    return KN_NOT_KILN;
}

kn_pymod_dispatcher *kn_pymod_compiling_caller(void)
{
    return depth ? stack[depth - 1].d : NULL;
}
