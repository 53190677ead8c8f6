/* Source lines in the IR: line-table debug info, so IR and assembly map back to Python lines. */
#include <string.h>

#include "codegen/cg.h"

/*
 * Line tables only: a DILocation per statement and nothing about types or
 * variables, the cheapest debug info that still gives `.loc` lines in the
 * assembly for per-line annotation.
 */
void kn_cg_debug_init(kn_cg *cg)
{
    const char *filename = cg->f->filename ? cg->f->filename : "<unknown>";
    cg->di = LLVMCreateDIBuilder(cg->mod);
    cg->file = LLVMDIBuilderCreateFile(cg->di, filename, strlen(filename), "", 0);
    LLVMDIBuilderCreateCompileUnit(cg->di, LLVMDWARFSourceLanguagePython, cg->file, "kiln", 4, 1,
                                   "", 0, 0, "", 0, LLVMDWARFEmissionLineTablesOnly, 0, 0, 0, "", 0,
                                   "", 0);
    if (LLVMGetModuleFlag(cg->mod, "Debug Info Version", 18))
        return; /* a module of several functions (a CUDA kernel's): flagged by the first */
    LLVMTypeRef i32 = LLVMInt32TypeInContext(cg->ctx);
    LLVMMetadataRef version = LLVMValueAsMetadata(LLVMConstInt(i32, LLVMDebugMetadataVersion(), 0));
    LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18, version);
    LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
                      LLVMValueAsMetadata(LLVMConstInt(i32, 4, 0)));
}

/* fn is the Python function's code: its subprogram starts at the def line. */
void kn_cg_debug_function(kn_cg *cg, LLVMValueRef fn)
{
    size_t len;
    const char *linkage = LLVMGetValueName2(fn, &len);
    const char *name = cg->f->qualname ? cg->f->qualname : linkage;
    LLVMMetadataRef type =
        LLVMDIBuilderCreateSubroutineType(cg->di, cg->file, NULL, 0, LLVMDIFlagZero);
    unsigned line = (unsigned)cg->f->first_line;
    cg->scope = LLVMDIBuilderCreateFunction(cg->di, cg->file, name, strlen(name), linkage, len,
                                            cg->file, line, type, 0, 1, line, LLVMDIFlagZero, 1);
    LLVMSetSubprogram(fn, cg->scope);
}

/* What the builder emits from here on belongs to loc's line (columns are 1-based in DWARF). */
void kn_cg_debug_at(kn_cg *cg, kn_loc loc)
{
    LLVMMetadataRef at = LLVMDIBuilderCreateDebugLocation(cg->ctx, (unsigned)loc.line,
                                                          (unsigned)loc.col + 1, cg->scope, NULL);
    LLVMSetCurrentDebugLocation2(cg->b, at);
}

void kn_cg_debug_finish(kn_cg *cg)
{
    LLVMDIBuilderFinalize(cg->di);
    LLVMDisposeDIBuilder(cg->di);
    cg->di = NULL;
}
