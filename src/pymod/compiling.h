/* The compilations in progress on this thread, and mutually recursive ones waiting on them. */
#ifndef KN_PYMOD_COMPILING_H
#define KN_PYMOD_COMPILING_H

#include "pymod/dispatcher.h"

/*
 * A compilation of d for sig begins: returns what kn_compile keeps up to
 * date while it runs (kn_compile_options.progress), or NULL with
 * kiln.TypingError when compilations nest too deeply. sig must live until
 * kn_pymod_compiling_pop.
 */
kn_compile_progress *kn_pymod_compiling_push(kn_pymod_dispatcher *d, const kn_signature *sig);

/*
 * The innermost compilation ends; spec is what kn_compile returned (NULL:
 * it failed, an exception set). KN_RESOLVED: out->spec is the
 * specialization, published in its dispatcher, or tentative (compiled
 * against a caller still in progress: it is published when that one is
 * done). KN_NOT_YET: it failed only because a function it calls back into
 * has no return type yet (the exception is cleared; out->ret is the return
 * type it had so far, and the caller's inference tries again in its next
 * pass). KN_RESOLVE_FAILED: an exception is set.
 */
kn_resolved kn_pymod_compiling_pop(kn_specialization *spec, kn_callee *out);

/*
 * A call, from the innermost compilation, to d for sig's argument types
 * (final: from its inference's last pass, see kn_infer_env.resolve_call):
 * when d is being compiled for them (a cycle), its specialization in
 * progress (KN_RESOLVED) or KN_NOT_YET while its return type is unknown;
 * when a tentative specialization holds them and still agrees with what
 * it assumed, that one. KN_NOT_KILN: neither, compile or find it elsewhere
 * (a compilation that this call starts must come next: it ends with the
 * same final).
 */
kn_resolved kn_pymod_compiling_find(kn_pymod_dispatcher *d, const kn_signature *sig, int final,
                                    kn_callee *out);

/* The dispatcher whose compilation is innermost, or NULL. */
kn_pymod_dispatcher *kn_pymod_compiling_caller(void);

#endif
