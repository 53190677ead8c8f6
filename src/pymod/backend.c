/* Finds kn_compile and its companions: in the process, or in libkiln-llvm.so next to the binary. */
#include "pymod/backend.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const kn_pymod_backend *current;
static kn_pymod_backend loaded;

/* The thread that loads and warms the backend ahead of the first compilation. */
static pthread_t preloader;
static int preloading;       /* started and not joined yet */
static atomic_int compiling; /* a compilation is waiting: the preloader stops after its stage */

void kn_pymod_backend_set(const kn_pymod_backend *b)
{
    current = b;
}

/* Looks the entry points up in handle; 0 when one of compile.h's four is missing. */
static int resolve(void *handle)
{
    /* POSIX's way to store dlsym's object pointer into a function pointer. */
    *(void **)&loaded.compile = dlsym(handle, "kn_compile");
    *(void **)&loaded.asm_text = dlsym(handle, "kn_specialization_asm");
    *(void **)&loaded.free = dlsym(handle, "kn_specialization_free");
    *(void **)&loaded.link = dlsym(handle, "kn_specialization_link");
    *(void **)&loaded.cuda_compile = dlsym(handle, "kn_cuda_compile");
    *(void **)&loaded.cuda_free = dlsym(handle, "kn_cuda_free");
    return loaded.compile && loaded.asm_text && loaded.free && loaded.link;
}

/* <directory of /proc/self/exe>/../lib/kiln/libkiln-llvm.so: where both build and install put it */
static int plugin_path(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    int len = snprintf(buf, size, "%s/../lib/kiln/libkiln-llvm.so", exe);
    return len > 0 && (size_t)len < size ? 0 : -1;
}

static const kn_pymod_backend *load_failed(const char *why)
{
    PyErr_Format(PyExc_ImportError, "Kiln's LLVM backend could not be loaded: %s", why);
    return NULL;
}

const kn_pymod_backend *kn_pymod_backend_get(void)
{
    if (current)
        return current;
    if (preloading) {
        Py_BEGIN_ALLOW_THREADS
        kn_pymod_backend_preload_wait();
        Py_END_ALLOW_THREADS
    }
    if (resolve(RTLD_DEFAULT))
        return current = &loaded;
    char path[PATH_MAX + 64];
    if (plugin_path(path, sizeof path) < 0)
        return load_failed("cannot find the directory of the running executable");
    /* RTLD_LOCAL: LLVM's symbols stay out of the way of extension modules that bring their own. */
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        return load_failed(dlerror());
    if (!resolve(handle)) {
        dlclose(handle);
        return load_failed("libkiln-llvm.so lacks kn_compile or kn_specialization_*");
    }
    return current = &loaded;
}

/* The preloader's body: what kn_pymod_backend_get would load, then kn_jit_warm. Touches no Python. */
static void *preload(void *unused)
{
    (void)unused;
    char path[PATH_MAX + 64];
    void *handle = RTLD_DEFAULT;
    int (*warm)(const atomic_int *);
    *(void **)&warm = dlsym(handle, "kn_jit_warm");
    /* The handle is never closed: kn_pymod_backend_get's dlopen finds the library loaded. */
    if (!warm && plugin_path(path, sizeof path) == 0 && (handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)))
        *(void **)&warm = dlsym(handle, "kn_jit_warm");
    if (warm && !atomic_load(&compiling))
        warm(&compiling);
    return NULL;
}

/* A fork while LLVM is half way through the warm-up would leave the child a broken LLVM. */
static void stop_before_fork(void)
{
    kn_pymod_backend_preload_wait();
}

void kn_pymod_backend_preload(void)
{
    static int atfork;
    const char *env = getenv("KILN_PRELOAD");
    if (current || preloading || (env && strcmp(env, "0") == 0))
        return;
    if (!atfork)
        atfork = pthread_atfork(stop_before_fork, NULL, NULL) == 0;
    /* Signals stay with the threads that handle them: the preloader blocks them all. */
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &before);
    atomic_store(&compiling, 0);
    preloading = pthread_create(&preloader, NULL, preload, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &before, NULL);
}

void kn_pymod_backend_preload_wait(void)
{
    if (!preloading)
        return;
    atomic_store(&compiling, 1);
    pthread_join(preloader, NULL);
    preloading = 0;
}
