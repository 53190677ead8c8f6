/*
 * The LLVM backend, loaded when it is first needed, or ahead of that by a
 * thread of its own, so that a process which never compiles never pays for it.
 */
#ifndef KN_PYMOD_BACKEND_H
#define KN_PYMOD_BACKEND_H

#include "compiler/compile.h"
#include "compiler/compile_cuda.h"

/* compile.h's four entry points, as the loader found them. */
typedef struct kn_pymod_backend {
    kn_specialization *(*compile)(PyObject *func, const kn_signature *sig,
                                  const kn_compile_options *opts);
    const char *(*asm_text)(kn_specialization *spec);
    void (*free)(kn_specialization *spec);
    int (*link)(kn_specialization *spec);
    /* compile_cuda.h's, for kiln.cuda: NULL in a backend without them (a test's fake) */
    kn_cuda_kernel *(*cuda_compile)(PyObject *func, const kn_signature *sig, const char *arch);
    void (*cuda_free)(kn_cuda_kernel *k);
} kn_pymod_backend;

/*
 * The backend, loaded on first use: the functions already in the process
 * when the binary links them statically (and exports them), else
 * <directory of the executable>/../lib/kiln/libkiln-llvm.so. NULL with
 * ImportError set when neither works; a failed load is retried on the next
 * call, so the error is raised at every compilation, not only the first.
 * Called with the GIL held.
 */
const kn_pymod_backend *kn_pymod_backend_get(void);

/*
 * Starts loading the backend and warming LLVM up (kn_jit_warm) in a
 * thread of its own, so that the first compilation finds both done: about
 * 25 MB and 30 ms of one core, spent while the user types. Does nothing
 * when a backend is set, a preload was started, or KILN_PRELOAD=0.
 * Needs no Python: the REPL calls it before the interpreter starts.
 */
void kn_pymod_backend_preload(void);

/*
 * Stops the preload after the stage it is in and waits for it: before the
 * first compilation, and before the process exits, since LLVM must not be
 * running while its library is unloaded. Releases nothing Python holds.
 */
void kn_pymod_backend_preload_wait(void);

/*
 * Uses b instead of loading anything: for binaries that link the backend
 * statically without exporting it, and for tests that stand in a fake one.
 * b must outlive every dispatcher that compiles with it.
 */
void kn_pymod_backend_set(const kn_pymod_backend *b);

#endif
