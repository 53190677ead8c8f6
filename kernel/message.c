/* Outgoing messages: new headers (protocol 5.3), framing and signing, sending on a socket. */
#include "message.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "socket.h"
#include "wire.h"

/* Frames a message usually needs; more are allocated. */
#define FEW_FRAMES 16

/*
 * Message ids need to be unique, not secret, and every message gets one: a
 * per-thread splitmix64 seeded once from the kernel's entropy saves a system
 * call per message.
 */
static uint64_t next_random(void)
{
    static _Thread_local uint64_t state;
    static _Thread_local int seeded;
    if (!seeded) {
        /* Never short for 8 bytes: it blocks only until the pool is seeded at boot. */
        (void)getrandom(&state, sizeof state, 0);
        seeded = 1;
    }
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void kn_kernel_uuid4(char out[KN_UUID_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char r[16];
    uint64_t halves[2] = {next_random(), next_random()};
    memcpy(r, halves, sizeof r);
    r[6] = (r[6] & 0x0f) | 0x40; /* version 4 */
    r[8] = (r[8] & 0x3f) | 0x80; /* RFC 4122 variant */
    char *o = out;
    for (size_t i = 0; i < sizeof r; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = digits[r[i] >> 4];
        *o++ = digits[r[i] & 15];
    }
    *o = '\0';
}

void kn_kernel_isodate(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

void kn_kernel_header(kn_wire_buf *b, const char *session_id, const char *username_json,
                      const char *msg_type)
{
    char id[KN_UUID_SIZE], date[32];
    kn_kernel_uuid4(id);
    kn_kernel_isodate(date);
    kn_wire_buf_printf(b,
                       "{\"msg_id\":\"%s\",\"session\":\"%s\",\"username\":%s,\"date\":\"%s\","
                       "\"msg_type\":",
                       id, session_id, username_json, date);
    kn_wire_buf_put_json_string(b, msg_type, strlen(msg_type));
    kn_wire_buf_puts(b, ",\"version\":\"" KN_PROTOCOL_VERSION "\"}");
}

int kn_kernel_send(kn_sender *s, void *sock, const kn_frame *ids, size_t n_ids,
                   const char *msg_type, kn_frame parent, kn_frame content)
{
    kn_wire_buf_reset(&s->head);
    kn_kernel_header(&s->head, s->session_id, s->username_json, msg_type);
    kn_wire_parts parts = {
        .ids = ids,
        .n_ids = n_ids,
        .header = kn_wire_buf_frame(&s->head),
        .parent = parent.len ? parent : kn_frame_str("{}"),
        .metadata = kn_frame_str("{}"),
        .content = content,
    };
    kn_frame few[FEW_FRAMES];
    size_t n = kn_wire_frame_count(&parts);
    kn_frame *frames = n <= FEW_FRAMES ? few : malloc(n * sizeof *frames);
    if (!frames)
        return -1;
    char sig[KN_WIRE_SIG_SIZE];
    kn_wire_serialize(&parts, s->signer, sig, frames);
    int rc = kn_kernel_send_frames(sock, frames, n);
    if (frames != few)
        free(frames);
    return rc;
}

void kn_kernel_sender_free(kn_sender *s)
{
    kn_wire_signer_free(s->signer);
    kn_wire_buf_free(&s->head);
    kn_wire_buf_free(&s->topic);
    kn_wire_buf_free(&s->body);
    *s = (kn_sender){0};
}
