/* The `kiln` Python module, built into the interpreter the session embeds. */
#ifndef KILN_PYMOD_H
#define KILN_PYMOD_H

/* Adds `kiln` to the built-in modules; call before Python starts. */
int kn_pymod_register(void);

#endif
