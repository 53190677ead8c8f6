/* The CUDA compile driver: kernel and device functions -> AST -> types -> one NVPTX module -> PTX.
 */
#include "compiler/compile_cuda.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/kernel.h"
#include "compiler/compile.h"
#include "compiler/diag.h"
#include "compiler/front.h"
#include "compiler/infer.h"
#include "jit/ptx.h"

/* A device function compiled for one tuple of argument types, lowered before the kernel. */
typedef struct device_fn {
    PyObject *py_func;
    kn_func *f;              /* NULL while its inference runs (recursion through it) */
    kn_specialization *spec; /* what its calls name: sig (ret inferred) and symbol */
    struct device_fn *next;
} device_fn;

/* One kernel's compilation: its arena and the device functions its code calls. */
typedef struct driver {
    kn_arena *arena;
    device_fn *devices; /* most recently finished last, so callees come before callers */
    int count;
} driver;

/* What inference's callbacks see for one function of the module. */
typedef struct unit {
    driver *d;
    PyObject *func;
} unit;

static PyObject *lookup_global(void *ctx, const char *name)
{
    return kn_infer_lookup_global(((unit *)ctx)->func, name);
}

static kn_resolved resolve_call(void *ctx, PyObject *callee, const kn_signature *sig, int final,
                                void **handle, const kn_type **ret);

/* func converted and typed for sig's arguments, on the device. NULL with an exception set. */
static kn_func *typed(driver *d, PyObject *func, const kn_signature *sig, void *self_handle)
{
    kn_func *f = kn_front_convert(func, d->arena);
    if (!f)
        return NULL;
    unit u = {.d = d, .func = func};
    kn_signature args = *sig;
    args.ret = NULL; /* a kernel's void is checked after, with a clearer message */
    kn_infer_env env = {
        .ctx = &u,
        .lookup_global = lookup_global,
        .resolve_call = resolve_call,
        .self = func,
        .self_handle = self_handle,
        .gpu = 1,
    };
    return kn_infer(f, &args, &env) < 0 ? NULL : f;
}

/* The device function behind callee (a @cuda.jit(device=True) object), borrowed; else NULL. */
static PyObject *device_function(PyObject *callee)
{
    PyObject *flag = PyObject_GetAttrString(callee, "_kiln_cuda_device");
    int device = flag && PyObject_IsTrue(flag) == 1;
    Py_XDECREF(flag);
    PyObject *py_func = device ? PyObject_GetAttrString(callee, "py_func") : NULL;
    PyErr_Clear();
    Py_XDECREF(py_func); /* the device function object holds it */
    return py_func && PyFunction_Check(py_func) ? py_func : NULL;
}

static device_fn *find_device(driver *d, PyObject *py_func, const kn_signature *sig)
{
    for (device_fn *df = d->devices; df; df = df->next)
        if (df->py_func == py_func && kn_signature_takes(&df->spec->sig, sig->args, sig->nargs))
            return df;
    return NULL;
}

/* prefix and a function's name, with anything but [A-Za-z0-9_] made _: a name PTX accepts. */
static void ptx_name(const char *prefix, PyObject *name, char *buf, size_t size)
{
    const char *text = name ? PyUnicode_AsUTF8(name) : NULL;
    PyErr_Clear();
    snprintf(buf, size, "%s%s", prefix, text ? text : "f");
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
}

/* A symbol unique in the module: "devfn_3_add". */
static char *device_symbol(driver *d, PyObject *py_func)
{
    char prefix[32], buf[160];
    snprintf(prefix, sizeof prefix, "devfn_%d_", ++d->count);
    ptx_name(prefix, ((PyFunctionObject *)py_func)->func_name, buf, sizeof buf);
    return kn_arena_strdup(d->arena, buf);
}

/* Appended last: callees finish (and are appended) before the functions that call them. */
static void append(driver *d, device_fn *df)
{
    device_fn **tail = &d->devices;
    while (*tail)
        tail = &(*tail)->next;
    *tail = df;
}

/* g(args) in device code: g a device function, compiled into this module for sig. */
static kn_resolved resolve_call(void *ctx, PyObject *callee, const kn_signature *sig, int final,
                                void **handle, const kn_type **ret)
{
    (void) final;
    driver *d = ((unit *)ctx)->d;
    PyObject *py_func = device_function(callee);
    if (!py_func)
        return KN_NOT_KILN;
    device_fn *df = find_device(d, py_func, sig);
    if (df && !df->f) {
        PyErr_SetString(kn_diag_typing_error_type(),
                        "device functions that call each other recursively are not supported");
        return KN_RESOLVE_FAILED;
    }
    if (!df) {
        df = kn_arena_alloc(d->arena, sizeof *df);
        df->py_func = py_func;
        df->spec = kn_arena_alloc(d->arena, sizeof *df->spec);
        df->spec->sig = *sig;
        df->spec->symbol = device_symbol(d, py_func);
        device_fn pending = *df; /* findable, unfinished, while its inference runs */
        pending.next = d->devices;
        d->devices = &pending;
        df->f = typed(d, py_func, sig, df->spec);
        d->devices = pending.next;
        if (!df->f)
            return KN_RESOLVE_FAILED;
        df->spec->sig.ret = df->f->ret;
        append(d, df);
    }
    *handle = df->spec;
    *ret = df->spec->sig.ret;
    return KN_RESOLVED;
}

/* The kernel's .entry: its qualified name made a PTX name ("Outer.kernel": "Outer_kernel"). */
static char *entry_name(PyObject *func)
{
    char buf[256];
    ptx_name("", ((PyFunctionObject *)func)->func_qualname, buf, sizeof buf);
    char *name = strdup(buf);
    if (!name)
        PyErr_NoMemory();
    return name;
}

/* The device functions, then the kernel, into one module; then PTX. Returns 0 or -1. */
static int generate(kn_cuda_kernel *k, const kn_func *f, const driver *d)
{
    static const kn_compile_options opts = {.boundscheck = 0};
    kn_jit_module m = {0};
    if (kn_jit_ptx_module_new(&m, k->name, k->arch) < 0)
        return -1;
    int rc = 0;
    for (device_fn *df = d->devices; df && rc == 0; df = df->next)
        rc = kn_cg_lower_device(df->f, &df->spec->sig, &opts, m.mod, df->spec->symbol);
    if (rc == 0)
        rc = kn_cg_lower_kernel(f, &k->sig, &opts, m.mod, k->name);
    if (rc == 0)
        rc = (k->ptx = kn_jit_ptx(m.mod, k->arch, k->name, &k->ir_raw, &k->ir_optimized)) ? 0 : -1;
    kn_jit_module_dispose(&m);
    return rc;
}

static int compile(kn_cuda_kernel *k, PyObject *func, driver *d)
{
    kn_func *f = typed(d, func, &k->sig, NULL);
    if (!f)
        return -1;
    if (f->ret->kind != KN_VOID)
        return kn_diag_raise_at(f, f->def_loc, "a CUDA kernel must return nothing, not %s",
                                f->ret->name);
    return generate(k, f, d);
}

kn_cuda_kernel *kn_cuda_compile(PyObject *func, const kn_signature *sig, const char *arch)
{
    kn_cuda_kernel *k = calloc(1, sizeof *k);
    if (!k) {
        PyErr_NoMemory();
        return NULL;
    }
    k->sig = *sig;
    k->sig.ret = kn_type_void();
    snprintf(k->arch, sizeof k->arch, "%s", arch ? arch : kn_jit_ptx_default_arch());
    driver d = {.arena = kn_arena_new()};
    int rc = (k->name = entry_name(func)) ? compile(k, func, &d) : -1;
    kn_arena_free(d.arena);
    if (rc == 0)
        return k;
    kn_cuda_free(k);
    return NULL;
}

void kn_cuda_free(kn_cuda_kernel *k)
{
    if (!k)
        return;
    free(k->name);
    free(k->ir_raw);
    free(k->ir_optimized);
    free(k->ptx);
    free(k);
}
