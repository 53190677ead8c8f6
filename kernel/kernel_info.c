/* kernel_info_request: who this kernel is. The reply never changes, so it is built once. */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"

char *kn_kernel_info_content(const kn_session *s)
{
    const char *py = kn_session_python_version(s);
    char banner[256], docs[64];
    int major = 3, minor = 0;
    sscanf(py, "%d.%d", &major, &minor);
    snprintf(banner, sizeof banner,
             "Kiln %s (Python %s): Python that JIT-compiles @kiln.jit functions through LLVM\n",
             kn_version(), py);
    snprintf(docs, sizeof docs, "https://docs.python.org/%d.%d/", major, minor);
    json_t *info = json_pack(
        "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:i}}, s:s, s:b,"
        " s:[{s:s, s:s}, {s:s, s:s}]}",
        "status", "ok", "protocol_version", KN_PROTOCOL_VERSION, "implementation", "kiln",
        "implementation_version", kn_version(), "language_info", "name", "python", "version", py,
        "mimetype", "text/x-python", "file_extension", ".py", "pygments_lexer", "ipython3",
        "nbconvert_exporter", "python", "codemirror_mode", "name", "ipython", "version", 3,
        "banner", banner, "debugger", 0, "help_links", "text", "Python Reference", "url", docs,
        "text", "NumPy Reference", "url", "https://numpy.org/doc/stable/reference/");
    char *text = info ? json_dumps(info, JSON_COMPACT) : NULL;
    json_decref(info);
    return text;
}

void kn_kernel_handle_kernel_info(kn_request *r)
{
    kn_kernel_reply_str(r, r->k->kernel_info);
}
