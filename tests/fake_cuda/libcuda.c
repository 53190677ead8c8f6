/* A fake CUDA driver for the tests: Kiln's entry points on host memory, launches recorded. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Built as libcuda.so.1 in the build tree; tests put its folder on
 * LD_LIBRARY_PATH, so Kiln's dlopen finds it instead of a real driver.
 * "Device memory" is malloc'd host memory (a CUdeviceptr is its address),
 * a module is the PTX text it was given, a function the .entry of that
 * name with its .param types, and a launch runs nothing: it is recorded,
 * each parameter read with its PTX type's size, for the test to read
 * through the fake_cuda_* functions below (with ctypes, in the same
 * process: dlopen of the same soname gives the same library). Any entry
 * point can be made to fail once, with the code given.
 */

typedef int CUresult;
enum {
    SUCCESS = 0,
    INVALID_VALUE = 1,
    OUT_OF_MEMORY = 2,
    NOT_INITIALIZED = 3,
    NO_DEVICE = 100,
    INVALID_IMAGE = 200,
    INVALID_HANDLE = 400,
    NOT_FOUND = 500,
};

enum { MAX_PARAMS = 128 };

typedef struct function {
    char name[256];
    int nparams;
    char types[MAX_PARAMS][8]; /* ".u64", ".f32", ... */
    int sizes[MAX_PARAMS];
    struct function *next;
} function;

typedef struct module {
    char *ptx;
    function *functions;
    struct module *next;
} module;

typedef struct block {
    char *data;
    size_t size;
    struct block *next;
} block;

static int initialized;
static module *modules;
static block *blocks;
static char failing_entry[64];
static CUresult failing_code;
static char launch_record[16384];
static int launches;
static void (*launch_hook)(void);

/* The failure a test asked of entry, once; else SUCCESS. */
static CUresult failure(const char *entry)
{
    if (!failing_code || strcmp(entry, failing_entry))
        return SUCCESS;
    CUresult r = failing_code;
    failing_code = 0;
    return r;
}

#define ENTER(entry)                                                                               \
    do {                                                                                           \
        CUresult forced = failure(entry);                                                          \
        if (forced)                                                                                \
            return forced;                                                                         \
    } while (0)

/* ---- what tests call ---- */

/* The next call of entry ("cuMemAlloc_v2") returns code instead of running. */
void fake_cuda_fail(const char *entry, int code)
{
    snprintf(failing_entry, sizeof failing_entry, "%s", entry);
    failing_code = code;
}

/* The last launch, as JSON: function, grid, block, shared, stream, params [[type, hex], ...]. */
const char *fake_cuda_last_launch(void)
{
    return launch_record;
}

int fake_cuda_launches(void)
{
    return launches;
}

int fake_cuda_modules(void)
{
    int n = 0;
    for (module *m = modules; m; m = m->next)
        n++;
    return n;
}

int fake_cuda_allocations(void)
{
    int n = 0;
    for (block *b = blocks; b; b = b->next)
        n++;
    return n;
}

/* hook() runs inside each launch, after it is recorded: a test's stand-in for the kernel. */
void fake_cuda_on_launch(void (*hook)(void))
{
    launch_hook = hook;
}

/* ---- errors ---- */

static const struct {
    CUresult code;
    const char *name, *text;
} errors[] = {
    {SUCCESS, "CUDA_SUCCESS", "no error"},
    {INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
};

/* The name (what 0) or description (what 1) of r. */
static CUresult describe(CUresult r, const char **out, int what)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        if (errors[i].code == r) {
            *out = what ? errors[i].text : errors[i].name;
            return SUCCESS;
        }
    }
    *out = NULL;
    return INVALID_VALUE;
}

CUresult cuGetErrorName(CUresult r, const char **name)
{
    return describe(r, name, 0);
}

CUresult cuGetErrorString(CUresult r, const char **text)
{
    return describe(r, text, 1);
}

/* ---- the driver, the device, the context ---- */

CUresult cuInit(unsigned flags)
{
    ENTER("cuInit");
    if (flags)
        return INVALID_VALUE;
    initialized = 1;
    return SUCCESS;
}

CUresult cuDeviceGet(int *device, int ordinal)
{
    ENTER("cuDeviceGet");
    if (!initialized)
        return NOT_INITIALIZED;
    if (ordinal != 0)
        return INVALID_VALUE;
    *device = 0;
    return SUCCESS;
}

CUresult cuDeviceGetName(char *name, int size, int device)
{
    ENTER("cuDeviceGetName");
    if (device != 0 || size < 1)
        return INVALID_VALUE;
    snprintf(name, (size_t)size, "Kiln Fake GPU");
    return SUCCESS;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, int device)
{
    ENTER("cuDeviceGetAttribute");
    if (device != 0)
        return INVALID_VALUE;
    if (attribute == 75) /* COMPUTE_CAPABILITY_MAJOR */
        *value = 8;
    else if (attribute == 76) /* MINOR */
        *value = 6;
    else
        return INVALID_VALUE;
    return SUCCESS;
}

static int context;

CUresult cuDevicePrimaryCtxRetain(void **ctx, int device)
{
    ENTER("cuDevicePrimaryCtxRetain");
    if (device != 0)
        return INVALID_VALUE;
    *ctx = &context;
    return SUCCESS;
}

CUresult cuCtxSetCurrent(void *ctx)
{
    ENTER("cuCtxSetCurrent");
    return ctx == &context ? SUCCESS : INVALID_HANDLE;
}

CUresult cuCtxSynchronize(void)
{
    ENTER("cuCtxSynchronize");
    return SUCCESS;
}

/* ---- modules and functions ---- */

CUresult cuModuleLoadDataEx(void **out, const void *image, unsigned n, int *options, void **values)
{
    ENTER("cuModuleLoadDataEx");
    const char *ptx = image;
    if (!ptx || !strstr(ptx, ".version") || !strstr(ptx, ".target")) {
        for (unsigned i = 0; i < n; i++) /* the JIT's error log, as the driver fills it */
            if (options[i] == 5 && i + 1 < n && options[i + 1] == 6)
                snprintf(values[i], (size_t)values[i + 1], "fake ptxas: not PTX");
        return INVALID_IMAGE;
    }
    module *m = calloc(1, sizeof *m);
    m->ptx = strdup(ptx);
    m->next = modules;
    modules = m;
    *out = m;
    return SUCCESS;
}

static int known_module(const module *m)
{
    for (const module *k = modules; k; k = k->next)
        if (k == m)
            return 1;
    return 0;
}

CUresult cuModuleUnload(void *handle)
{
    ENTER("cuModuleUnload");
    for (module **p = &modules; *p; p = &(*p)->next) {
        if (*p != handle)
            continue;
        module *m = *p;
        *p = m->next;
        while (m->functions) {
            function *f = m->functions;
            m->functions = f->next;
            free(f);
        }
        free(m->ptx);
        free(m);
        return SUCCESS;
    }
    return INVALID_HANDLE;
}

static int type_size(const char *type)
{
    int bits = atoi(type + 2);
    return type[1] == 'p' ? 8 : bits / 8; /* .pred aside, the width is in the name */
}

/* The .param list of `.entry name(...)`: each type and size in bytes. 0, or -1 if malformed. */
static int parse_params(function *f, const char *open)
{
    const char *end = strchr(open, ')');
    const char *p = open;
    while (end && (p = strstr(p, ".param")) && p < end) {
        char words[4][64] = {{0}};
        sscanf(p + 6, " %63s %63s %63s %63s", words[0], words[1], words[2], words[3]);
        int w = 0;
        if (!strcmp(words[w], ".align"))
            w += 2;
        if (f->nparams == MAX_PARAMS || words[w][0] != '.')
            return -1;
        snprintf(f->types[f->nparams], sizeof f->types[0], "%s", words[w]);
        int size = type_size(words[w]);
        const char *bracket = strchr(words[w + 1], '['); /* .b8 name[16]: a byte array */
        f->sizes[f->nparams++] = bracket ? size * atoi(bracket + 1) : size;
        p += 6;
    }
    return end ? 0 : -1;
}

CUresult cuModuleGetFunction(void **out, void *handle, const char *name)
{
    ENTER("cuModuleGetFunction");
    module *m = handle;
    if (!known_module(m))
        return INVALID_HANDLE;
    char pattern[300];
    snprintf(pattern, sizeof pattern, ".entry %s(", name);
    const char *at = strstr(m->ptx, pattern);
    if (!at)
        return NOT_FOUND;
    function *f = calloc(1, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    if (parse_params(f, at + strlen(pattern) - 1) < 0) {
        free(f);
        return INVALID_IMAGE;
    }
    f->next = m->functions;
    m->functions = f;
    *out = f;
    return SUCCESS;
}

static int known_function(const function *f)
{
    for (const module *m = modules; m; m = m->next)
        for (const function *g = m->functions; g; g = g->next)
            if (g == f)
                return 1;
    return 0;
}

/* ---- memory ---- */

/* The block holding [p, p + size), or NULL. */
static block *holding(unsigned long long p, size_t size)
{
    for (block *b = blocks; b; b = b->next) {
        unsigned long long start = (unsigned long long)(size_t)b->data;
        if (p >= start && p + size <= start + b->size)
            return b;
    }
    return NULL;
}

CUresult cuMemAlloc_v2(unsigned long long *p, size_t size)
{
    ENTER("cuMemAlloc_v2");
    if (!size)
        return INVALID_VALUE;
    block *b = calloc(1, sizeof *b);
    b->data = malloc(size);
    memset(b->data, 0xAB, size); /* what uninitialized memory holds, recognizably */
    b->size = size;
    b->next = blocks;
    blocks = b;
    *p = (unsigned long long)(size_t)b->data;
    return SUCCESS;
}

CUresult cuMemFree_v2(unsigned long long p)
{
    ENTER("cuMemFree_v2");
    for (block **b = &blocks; *b; b = &(*b)->next) {
        if ((unsigned long long)(size_t)(*b)->data != p)
            continue;
        block *gone = *b;
        *b = gone->next;
        free(gone->data);
        free(gone);
        return SUCCESS;
    }
    return INVALID_VALUE;
}

CUresult cuMemcpyHtoD_v2(unsigned long long dst, const void *src, size_t size)
{
    ENTER("cuMemcpyHtoD_v2");
    if (!holding(dst, size))
        return INVALID_VALUE;
    memcpy((void *)(size_t)dst, src, size);
    return SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void *dst, unsigned long long src, size_t size)
{
    ENTER("cuMemcpyDtoH_v2");
    if (!holding(src, size))
        return INVALID_VALUE;
    memcpy(dst, (const void *)(size_t)src, size);
    return SUCCESS;
}

/* ---- launches ---- */

static void record(const function *f, const unsigned grid[3], const unsigned block_[3],
                   unsigned shared, void *stream, void **params)
{
    size_t n =
        (size_t)snprintf(launch_record, sizeof launch_record,
                         "{\"function\": \"%s\", \"grid\": [%u, %u, %u], \"block\": [%u, %u, %u], "
                         "\"shared\": %u, \"stream\": %llu, \"params\": [",
                         f->name, grid[0], grid[1], grid[2], block_[0], block_[1], block_[2],
                         shared, (unsigned long long)(size_t)stream);
    for (int i = 0; i < f->nparams && n < sizeof launch_record - 64; i++) {
        n += (size_t)snprintf(launch_record + n, sizeof launch_record - n, "%s[\"%s\", \"",
                              i ? ", " : "", f->types[i]);
        const unsigned char *bytes = params[i];
        for (int k = 0; k < f->sizes[i] && n < sizeof launch_record - 8; k++)
            n += (size_t)snprintf(launch_record + n, sizeof launch_record - n, "%02x", bytes[k]);
        n += (size_t)snprintf(launch_record + n, sizeof launch_record - n, "\"]");
    }
    snprintf(launch_record + n, sizeof launch_record - n, "]}");
}

CUresult cuLaunchKernel(void *fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned shared, void *stream, void **params, void **extra)
{
    ENTER("cuLaunchKernel");
    function *f = fn;
    if (!known_function(f))
        return INVALID_HANDLE;
    if (!gx || !gy || !gz || !bx || !by || !bz || (unsigned long long)bx * by * bz > 1024 ||
        extra || (f->nparams && !params))
        return INVALID_VALUE;
    unsigned grid[] = {gx, gy, gz}, block_[] = {bx, by, bz};
    record(f, grid, block_, shared, stream, params);
    launches++;
    if (launch_hook)
        launch_hook();
    return SUCCESS;
}
