/* The table of everything compiled code calls, by name, for the JIT to define. */
#ifndef KN_RUNTIME_SYMBOLS_H
#define KN_RUNTIME_SYMBOLS_H

typedef struct kn_rt_symbol {
    const char *name;
    void *address;
} kn_rt_symbol;

/*
 * The runtime's helpers, its interrupt flag and the Python C API functions
 * generated code calls directly. The JIT defines them by address, so they
 * resolve in executables that export nothing and the static library always
 * links them in. Other C functions (libm) resolve through the process.
 */
extern const kn_rt_symbol kn_rt_symbols[];
extern const int kn_rt_nsymbols;

#endif
