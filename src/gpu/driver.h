/* The CUDA driver API, opened with dlopen at first use: device 0, modules, launches, memory. */
#ifndef KN_GPU_DRIVER_H
#define KN_GPU_DRIVER_H

#include <stddef.h>

/* A CUdeviceptr: an address in the GPU's memory. */
typedef unsigned long long kn_gpu_ptr;

/*
 * Errors: every function that can fail returns 0 or -1; after -1,
 * kn_gpu_error() says why in words (the driver's error name and string,
 * or the driver's JIT log when a module does not load). The layer knows
 * nothing about Python; kiln.cuda turns the message into an exception.
 * Not thread-safe: kiln.cuda calls it with the GIL held.
 */
const char *kn_gpu_error(void);

/*
 * Loads libcuda.so.1, initializes the driver and makes device 0's primary
 * context current; once, every later call returns the first outcome
 * (-1: "no CUDA driver found: libcuda.so.1 could not be loaded (...)", or
 * the driver found no GPU). Each function below calls it first.
 */
int kn_gpu_init(void);

/* Device 0's name and compute capability (major, minor). */
int kn_gpu_device(char *name, size_t size, int *major, int *minor);

/* Loads PTX text (the driver compiles it for the GPU); the JIT's error log on failure. */
int kn_gpu_module_load(const char *ptx, void **module);
int kn_gpu_function(void *module, const char *name, void **function);
/* Unloads a module kn_gpu_module_load loaded (its functions go with it); NULL: nothing. */
int kn_gpu_module_unload(void *module);

/* Launches function on grid x block threads, args as cuLaunchKernel takes them; stream 0: the
 * default. */
int kn_gpu_launch(void *function, const unsigned grid[3], const unsigned block[3],
                  unsigned shared_bytes, void *stream, void **args);
int kn_gpu_synchronize(void);

int kn_gpu_alloc(kn_gpu_ptr *p, size_t size);
void kn_gpu_free(kn_gpu_ptr p);
int kn_gpu_to_device(kn_gpu_ptr dst, const void *src, size_t size);
int kn_gpu_to_host(void *dst, kn_gpu_ptr src, size_t size);

#endif
