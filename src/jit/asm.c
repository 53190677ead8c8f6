/* Assembly text on demand: the optimized IR parsed again and printed for the host. */
#include <Python.h>
#include <string.h>

#include <llvm-c/IRReader.h>

#include "jit/jit.h"

/* mod's assembly as a malloc'd string, or NULL. */
static char *assembly(LLVMModuleRef mod)
{
    LLVMMemoryBufferRef buf = kn_jit_emit(mod, LLVMAssemblyFile);
    if (!buf)
        return NULL;
    size_t n = LLVMGetBufferSize(buf);
    char *text = malloc(n + 1);
    if (text) {
        memcpy(text, LLVMGetBufferStart(buf), n);
        text[n] = '\0';
    } else {
        PyErr_NoMemory();
    }
    LLVMDisposeMemoryBuffer(buf);
    return text;
}

char *kn_jit_asm(const char *ir_text)
{
    if (!kn_jit_host_machine())
        return NULL;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMMemoryBufferRef buf =
        LLVMCreateMemoryBufferWithMemoryRangeCopy(ir_text, strlen(ir_text), "ir");
    LLVMModuleRef mod;
    char *msg = NULL;
    char *text = NULL;
    if (LLVMParseIRInContext(ctx, buf, &mod, &msg)) { /* consumes buf */
        PyErr_Format(PyExc_RuntimeError, "kiln: reading IR back for assembly: %s", msg);
        LLVMDisposeMessage(msg);
    } else {
        text = assembly(mod);
        LLVMDisposeModule(mod);
    }
    LLVMContextDispose(ctx);
    return text;
}
