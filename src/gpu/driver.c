/* The CUDA driver API through dlopen: Kiln builds and runs without the toolkit or a GPU. */
#include "gpu/driver.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>

/* The driver's types, as cuda.h declares them (its ABI is stable: these are the _v2 entries). */
typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;

enum {
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
    CU_JIT_ERROR_LOG_BUFFER = 5,
    CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6,
};

static struct {
    CUresult (*Init)(unsigned);
    CUresult (*DeviceGet)(CUdevice *, int);
    CUresult (*DeviceGetName)(char *, int, CUdevice);
    CUresult (*DeviceGetAttribute)(int *, int, CUdevice);
    CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
    CUresult (*CtxSetCurrent)(CUcontext);
    CUresult (*CtxSynchronize)(void);
    CUresult (*ModuleLoadDataEx)(void **, const void *, unsigned, int *, void **);
    CUresult (*ModuleGetFunction)(void **, void *, const char *);
    CUresult (*ModuleUnload)(void *);
    CUresult (*LaunchKernel)(void *, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                             unsigned, void *, void **, void **);
    CUresult (*MemAlloc)(kn_gpu_ptr *, size_t);
    CUresult (*MemFree)(kn_gpu_ptr);
    CUresult (*MemcpyHtoD)(kn_gpu_ptr, const void *, size_t);
    CUresult (*MemcpyDtoH)(void *, kn_gpu_ptr, size_t);
    CUresult (*GetErrorName)(CUresult, const char **);
    CUresult (*GetErrorString)(CUresult, const char **);
} cu;

static const struct {
    const char *name;
    void **slot;
} symbols[] = {
    {"cuInit", (void **)&cu.Init},
    {"cuDeviceGet", (void **)&cu.DeviceGet},
    {"cuDeviceGetName", (void **)&cu.DeviceGetName},
    {"cuDeviceGetAttribute", (void **)&cu.DeviceGetAttribute},
    {"cuDevicePrimaryCtxRetain", (void **)&cu.DevicePrimaryCtxRetain},
    {"cuCtxSetCurrent", (void **)&cu.CtxSetCurrent},
    {"cuCtxSynchronize", (void **)&cu.CtxSynchronize},
    {"cuModuleLoadDataEx", (void **)&cu.ModuleLoadDataEx},
    {"cuModuleGetFunction", (void **)&cu.ModuleGetFunction},
    {"cuModuleUnload", (void **)&cu.ModuleUnload},
    {"cuLaunchKernel", (void **)&cu.LaunchKernel},
    {"cuMemAlloc_v2", (void **)&cu.MemAlloc},
    {"cuMemFree_v2", (void **)&cu.MemFree},
    {"cuMemcpyHtoD_v2", (void **)&cu.MemcpyHtoD},
    {"cuMemcpyDtoH_v2", (void **)&cu.MemcpyDtoH},
    {"cuGetErrorName", (void **)&cu.GetErrorName},
    {"cuGetErrorString", (void **)&cu.GetErrorString},
};

static char error[8192];
static CUdevice device;

const char *kn_gpu_error(void)
{
    return error;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error, sizeof error, fmt, ap);
    va_end(ap);
    return -1;
}

/* 0 for CUDA_SUCCESS, else -1 with "what: CUDA_ERROR_NAME (the driver's description)". */
static int check(CUresult r, const char *what)
{
    if (r == 0)
        return 0;
    const char *name = NULL, *text = NULL;
    cu.GetErrorName(r, &name);
    cu.GetErrorString(r, &text);
    return fail("%s: %s (%s)", what, name ? name : "CUDA error", text ? text : "unknown error");
}

static int load_library(void)
{
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return fail("no CUDA driver found: libcuda.so.1 could not be loaded (%s)", dlerror());
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
        if (!(*symbols[i].slot = dlsym(lib, symbols[i].name)))
            return fail("the CUDA driver is too old: libcuda.so.1 lacks %s", symbols[i].name);
    return 0;
}

static int start(void)
{
    CUcontext ctx;
    if (load_library() < 0 || check(cu.Init(0), "cuInit") < 0 ||
        check(cu.DeviceGet(&device, 0), "no CUDA GPU found") < 0 ||
        check(cu.DevicePrimaryCtxRetain(&ctx, device), "cuDevicePrimaryCtxRetain") < 0)
        return -1;
    return check(cu.CtxSetCurrent(ctx), "cuCtxSetCurrent");
}

int kn_gpu_init(void)
{
    static int outcome = 1; /* 1: not tried yet */
    static char first_error[sizeof error];
    if (outcome == 1) {
        outcome = start();
        snprintf(first_error, sizeof first_error, "%s", error);
    }
    if (outcome < 0)
        snprintf(error, sizeof error, "%s", first_error);
    return outcome;
}

int kn_gpu_device(char *name, size_t size, int *major, int *minor)
{
    if (kn_gpu_init() < 0 ||
        check(cu.DeviceGetName(name, (int)size, device), "cuDeviceGetName") < 0)
        return -1;
    int a = CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
        b = CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
    if (check(cu.DeviceGetAttribute(major, a, device), "cuDeviceGetAttribute") < 0)
        return -1;
    return check(cu.DeviceGetAttribute(minor, b, device), "cuDeviceGetAttribute");
}

int kn_gpu_module_load(const char *ptx, void **module)
{
    if (kn_gpu_init() < 0)
        return -1;
    static char log[sizeof error / 2];
    log[0] = 0;
    int options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {log, (void *)(size_t)sizeof log};
    if (check(cu.ModuleLoadDataEx(module, ptx, 2, options, values), "cuModuleLoadDataEx") == 0)
        return 0;
    char why[sizeof error / 2];
    snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, error);
    return fail("%s\n%s", why, log[0] ? log : "(the driver's JIT log is empty)");
}

int kn_gpu_function(void *module, const char *name, void **function)
{
    return check(cu.ModuleGetFunction(function, module, name), "cuModuleGetFunction");
}

int kn_gpu_module_unload(void *module)
{
    return module ? check(cu.ModuleUnload(module), "cuModuleUnload") : 0;
}

int kn_gpu_launch(void *function, const unsigned grid[3], const unsigned block[3],
                  unsigned shared_bytes, void *stream, void **args)
{
    if (kn_gpu_init() < 0)
        return -1;
    return check(cu.LaunchKernel(function, grid[0], grid[1], grid[2], block[0], block[1], block[2],
                                 shared_bytes, stream, args, NULL),
                 "cuLaunchKernel");
}

int kn_gpu_synchronize(void)
{
    return kn_gpu_init() < 0 ? -1 : check(cu.CtxSynchronize(), "cuCtxSynchronize");
}

int kn_gpu_alloc(kn_gpu_ptr *p, size_t size)
{
    *p = 0;
    if (kn_gpu_init() < 0)
        return -1;
    return size ? check(cu.MemAlloc(p, size), "cuMemAlloc") : 0;
}

void kn_gpu_free(kn_gpu_ptr p)
{
    if (p)
        cu.MemFree(p);
}

int kn_gpu_to_device(kn_gpu_ptr dst, const void *src, size_t size)
{
    if (kn_gpu_init() < 0)
        return -1;
    return size ? check(cu.MemcpyHtoD(dst, src, size), "cuMemcpyHtoD") : 0;
}

int kn_gpu_to_host(void *dst, kn_gpu_ptr src, size_t size)
{
    if (kn_gpu_init() < 0)
        return -1;
    return size ? check(cu.MemcpyDtoH(dst, src, size), "cuMemcpyDtoH") : 0;
}
