/* `kiln-kernel install`: registers the kernelspec where Jupyter looks for kernels. */
#ifndef KN_INSTALL_H
#define KN_INSTALL_H

/* argv holds the arguments after "install"; returns the process exit status. */
int kn_kernel_install(int argc, char **argv);

#endif
