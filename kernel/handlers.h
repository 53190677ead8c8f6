/* The message handlers, one family per file; shell.c and control.c route messages to them. */
#ifndef KN_HANDLERS_H
#define KN_HANDLERS_H

#include "kernel.h"

/* execute.c */
void kn_kernel_handle_execute(kn_request *r);

/* input.c: the session's input() callback, over the stdin socket. */
int kn_kernel_input(void *ctx, const char *prompt, int password, char **line);

/* introspection.c */
void kn_kernel_handle_complete(kn_request *r);
void kn_kernel_handle_inspect(kn_request *r);
void kn_kernel_handle_is_complete(kn_request *r);

/* history.c */
void kn_kernel_handle_history(kn_request *r);

/* comm.c */
void kn_kernel_handle_comm_info(kn_request *r);
void kn_kernel_handle_comm(kn_request *r);

/* kernel_info.c */
char *kn_kernel_info_content(const kn_session *s);
void kn_kernel_handle_kernel_info(kn_request *r);

/* lifecycle.c */
void kn_kernel_handle_shutdown(kn_request *r);
void kn_kernel_handle_interrupt(kn_request *r);

#endif
