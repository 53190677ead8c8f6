/* kiln-kernel: runs a Jupyter kernel for a connection file, or installs its kernelspec. */
#include <stdio.h>
#include <string.h>

#include <kiln/session.h>

#include "install.h"
#include "kernel.h"

static int usage(FILE *f, int status)
{
    fputs("usage: kiln-kernel -f CONNECTION_FILE\n"
          "       kiln-kernel install [--user | --prefix DIR | --sys-prefix]"
          " [--interrupt-mode signal|message]\n"
          "       kiln-kernel --version | --help\n"
          "Kiln's Jupyter kernel (messaging protocol " KN_PROTOCOL_VERSION ").\n",
          f);
    return status;
}

int main(int argc, char **argv)
{
    const char *connection_file = NULL;
    if (argc >= 2 && strcmp(argv[1], "install") == 0)
        return kn_kernel_install(argc - 2, argv + 2);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("kiln-kernel %s\n", kn_version());
            return 0;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
            connection_file = argv[++i];
            continue;
        }
        fprintf(stderr, "kiln-kernel: unexpected argument '%s'\n", argv[i]);
        return usage(stderr, 2);
    }
    if (!connection_file)
        return usage(stderr, 2);
    return kn_kernel_run(connection_file);
}
