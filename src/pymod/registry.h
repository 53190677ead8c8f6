/* Recording compilations in the log that pymod.h's kn_pymod_compiled_since reads. */
#ifndef KN_PYMOD_REGISTRY_H
#define KN_PYMOD_REGISTRY_H

#include "pymod/pymod.h"

/* Logs spec, just compiled by dispatcher (which the log keeps a reference to). */
void kn_pymod_registry_add(PyObject *dispatcher, kn_specialization *spec);

#endif
