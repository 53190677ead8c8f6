/* Multipart messages through real ZeroMQ sockets: many frames, large frames, tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socket.h"

typedef struct pipe_pair {
    void *ctx, *a, *b;
} pipe_pair;

static int setup(void **state)
{
    pipe_pair *p = calloc(1, sizeof *p);
    p->ctx = zmq_ctx_new();
    p->a = kn_kernel_socket(p->ctx, ZMQ_PAIR, "inproc://test-socket", 1);
    p->b = kn_kernel_socket(p->ctx, ZMQ_PAIR, "inproc://test-socket", 0);
    *state = p;
    return p->a && p->b ? 0 : -1;
}

static int teardown(void **state)
{
    pipe_pair *p = *state;
    zmq_close(p->a);
    zmq_close(p->b);
    zmq_ctx_term(p->ctx);
    free(p);
    return 0;
}

/* More frames than the first allocation holds, so the message vector grows while receiving. */
static void test_many_frames(void **state)
{
    pipe_pair *p = *state;
    enum { N = 100 };
    char text[N][16];
    kn_frame frames[N];
    for (int i = 0; i < N; i++) {
        snprintf(text[i], sizeof text[i], "frame %d", i);
        frames[i] = kn_frame_str(text[i]);
    }
    frames[7] = (kn_frame){"", 0};
    assert_int_equal(kn_kernel_send_frames(p->a, frames, N), 0);
    kn_msgvec v = {0};
    assert_int_equal(kn_kernel_recv(p->b, &v, 0), 0);
    assert_int_equal(v.n, N);
    for (int i = 0; i < N; i++) {
        assert_int_equal(v.frames[i].len, frames[i].len);
        assert_memory_equal(v.frames[i].data, frames[i].data, frames[i].len);
    }
    kn_kernel_msgvec_free(&v);
}

static void test_large_frame(void **state)
{
    pipe_pair *p = *state;
    size_t size = 8 << 20;
    char *big = malloc(size);
    memset(big, 'k', size);
    kn_frame frames[] = {{"head", 4}, {big, size}};
    assert_int_equal(kn_kernel_send_frames(p->a, frames, 2), 0);
    kn_msgvec v = {0};
    assert_int_equal(kn_kernel_recv(p->b, &v, 0), 0);
    assert_int_equal(v.n, 2);
    assert_int_equal(v.frames[1].len, size);
    assert_memory_equal(v.frames[1].data, big, size);
    kn_kernel_msgvec_free(&v);
    free(big);
}

static void test_nothing_waiting(void **state)
{
    pipe_pair *p = *state;
    kn_msgvec v = {0};
    assert_int_equal(kn_kernel_recv(p->b, &v, ZMQ_DONTWAIT), -1);
    assert_int_equal(v.n, 0);
    assert_int_equal(kn_kernel_recv_token(p->b, ZMQ_DONTWAIT), -1);
    kn_kernel_msgvec_free(&v);
}

static void test_tokens(void **state)
{
    pipe_pair *p = *state;
    assert_int_equal(kn_kernel_send_token(p->a, 'F'), 0);
    assert_int_equal(kn_kernel_recv_token(p->b, 0), 'F');
}

static void test_bad_endpoint(void **state)
{
    pipe_pair *p = *state;
    assert_null(kn_kernel_socket(p->ctx, ZMQ_ROUTER, "tcp://no-such-host.invalid:1", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_frames),     cmocka_unit_test(test_large_frame),
        cmocka_unit_test(test_nothing_waiting), cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_bad_endpoint),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
