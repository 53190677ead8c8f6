/* src/jit: a hand-built module optimized, compiled by the LLJIT, run, shown as assembly. */
#include <Python.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jit/jit.h"
#include "runtime/interrupt.h"

static int setup(void **state)
{
    (void)state;
    Py_InitializeEx(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return Py_FinalizeEx();
}

/* i64 name(i64 a, i64 b) { return a * b + 1; } */
static void build_muladd(kn_jit_module *m, const char *name)
{
    LLVMTypeRef i64 = LLVMInt64TypeInContext(m->ctx);
    LLVMTypeRef params[] = {i64, i64};
    LLVMValueRef fn = LLVMAddFunction(m->mod, name, LLVMFunctionType(i64, params, 2, 0));
    LLVMBuilderRef b = LLVMCreateBuilderInContext(m->ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(m->ctx, fn, "entry"));
    LLVMValueRef prod = LLVMBuildMul(b, LLVMGetParam(fn, 0), LLVMGetParam(fn, 1), "");
    LLVMBuildRet(b, LLVMBuildAdd(b, prod, LLVMConstInt(i64, 1, 0), ""));
    LLVMDisposeBuilder(b);
}

/* i32 name() { return kn_rt_interrupt_requested; }: a runtime symbol resolved by the JIT. */
static void build_read_flag(kn_jit_module *m, const char *name)
{
    LLVMTypeRef i32 = LLVMInt32TypeInContext(m->ctx);
    LLVMValueRef flag = LLVMAddGlobal(m->mod, i32, "kn_rt_interrupt_requested");
    LLVMValueRef fn = LLVMAddFunction(m->mod, name, LLVMFunctionType(i32, NULL, 0, 0));
    LLVMBuilderRef b = LLVMCreateBuilderInContext(m->ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(m->ctx, fn, "entry"));
    LLVMValueRef v = LLVMBuildLoad2(b, i32, flag, "");
    LLVMSetVolatile(v, 1);
    LLVMBuildRet(b, v);
    LLVMDisposeBuilder(b);
}

static char *module_name(kn_jit_module *m)
{
    size_t len;
    const char *id = LLVMGetModuleIdentifier(m->mod, &len);
    return strndup(id, len);
}

static void test_host_machine(void **state)
{
    (void)state;
    LLVMTargetMachineRef tm = kn_jit_host_machine();
    assert_non_null(tm);
    assert_ptr_equal(tm, kn_jit_host_machine());
    char *cpu = LLVMGetTargetMachineCPU(tm);
    assert_true(strlen(cpu) > 0);
    LLVMDisposeMessage(cpu);
}

static void test_module_names_are_unique(void **state)
{
    (void)state;
    kn_jit_module a, b;
    assert_int_equal(kn_jit_module_new(&a, "f"), 0);
    assert_int_equal(kn_jit_module_new(&b, "f"), 0);
    char *na = module_name(&a), *nb = module_name(&b);
    assert_string_not_equal(na, nb);
    assert_int_equal(strncmp(na, "f_", 2), 0);
    free(na);
    free(nb);
    kn_jit_module_dispose(&a);
    kn_jit_module_dispose(&b);
}

static void test_compile_and_run(void **state)
{
    (void)state;
    kn_jit_module m;
    assert_int_equal(kn_jit_module_new(&m, "muladd"), 0);
    char *name = module_name(&m);
    build_muladd(&m, name);
    assert_int_equal(kn_jit_optimize(m.mod), 0);
    kn_jit_code *code = kn_jit_add(&m);
    assert_non_null(code);
    assert_null(m.mod);
    assert_string_equal(kn_jit_code_name(code), name);
    int64_t (*fn)(int64_t, int64_t) = (int64_t(*)(int64_t, int64_t))kn_jit_lookup(code, name);
    assert_non_null(fn);
    assert_int_equal(fn(6, 7), 43);
    assert_int_equal(fn(-3, 5), -14);
    kn_jit_code_free(code);
    free(name);
}

static void test_runtime_symbols_resolve(void **state)
{
    (void)state;
    kn_jit_module m;
    assert_int_equal(kn_jit_module_new(&m, "flag"), 0);
    char *name = module_name(&m);
    build_read_flag(&m, name);
    kn_jit_code *code = kn_jit_add(&m);
    int32_t (*fn)(void) = (int32_t(*)(void))kn_jit_lookup(code, name);
    assert_non_null(fn);
    kn_rt_interrupt_requested = 1;
    assert_int_equal(fn(), 1);
    kn_rt_interrupt_clear();
    assert_int_equal(fn(), 0);
    kn_jit_code_free(code);
    free(name);
}

static void test_lookup_of_missing_symbol_fails(void **state)
{
    (void)state;
    kn_jit_module m;
    assert_int_equal(kn_jit_module_new(&m, "empty"), 0);
    kn_jit_code *code = kn_jit_add(&m);
    assert_non_null(code);
    assert_null(kn_jit_lookup(code, "no_such_symbol_anywhere"));
    assert_true(PyErr_ExceptionMatches(PyExc_RuntimeError));
    PyErr_Clear();
    kn_jit_code_free(code);
}

static void test_assembly_from_ir(void **state)
{
    (void)state;
    kn_jit_module m;
    assert_int_equal(kn_jit_module_new(&m, "asm"), 0);
    char *name = module_name(&m);
    build_muladd(&m, name);
    char *ir = LLVMPrintModuleToString(m.mod);
    char *text = kn_jit_asm(ir);
    assert_non_null(text);
    assert_non_null(strstr(text, name));
    assert_non_null(strstr(text, "ret"));
    free(text);
    assert_null(kn_jit_asm("this is not IR"));
    assert_true(PyErr_ExceptionMatches(PyExc_RuntimeError));
    PyErr_Clear();
    LLVMDisposeMessage(ir);
    kn_jit_module_dispose(&m);
    free(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_machine),
        cmocka_unit_test(test_module_names_are_unique),
        cmocka_unit_test(test_compile_and_run),
        cmocka_unit_test(test_runtime_symbols_resolve),
        cmocka_unit_test(test_lookup_of_missing_symbol_fails),
        cmocka_unit_test(test_assembly_from_ir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
