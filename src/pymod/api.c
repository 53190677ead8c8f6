/* kn_pymod_add_jit: everything the JIT puts into the kiln module, in one call for module.c. */
#include "pymod/pymod.h"

#include "compiler/diag.h"
#include "pymod/decorators.h"
#include "pymod/dispatcher.h"
#include "pymod/typeobj.h"
#include "pymod/typeof.h"

int kn_pymod_add_jit(PyObject *module)
{
    if (kn_pymod_types_add(module) < 0 || kn_pymod_typeof_add(module) < 0 ||
        kn_pymod_dispatcher_add(module) < 0 || kn_pymod_decorators_add(module) < 0 ||
        kn_pymod_describe_add(module) < 0)
        return -1;
    PyObject *typing_error = kn_diag_typing_error_type();
    return typing_error ? PyModule_AddObjectRef(module, "TypingError", typing_error) : -1;
}
