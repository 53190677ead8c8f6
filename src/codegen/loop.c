/* Loops: while, for over range, and the interrupt polls on their back-edges. */
#include "codegen/cg.h"
#include "compiler/infer.h"
#include "runtime/raise.h"

/*
 * Interrupts. SIGINT sets kn_rt_interrupt_requested; compiled code reads it
 * with a volatile load and, when set, asks the runtime, which raises
 * KeyboardInterrupt (or, for a stale flag, lets the loop go on). Where the
 * polls go decides what they cost: a loop that holds a poll (a volatile
 * load, and a call on its rare path) never vectorizes, so innermost loops
 * run in chunks of CHUNK iterations, an inner loop free of polls and an
 * outer one that polls between chunks:
 *
 * - an innermost range loop knows its trip count: each chunk runs to
 *   min(count, index + CHUNK);
 * - an innermost while loop counts its iterations down from CHUNK, and
 *   when the countdown ends, leaves the inner loop for the outer one,
 *   which polls and starts the next chunk. The countdown costs a
 *   decrement and a branch almost never taken, where a poll costs a load;
 *   and for a counted loop (while i < n: ... i += 1) LLVM computes the
 *   trip count of both exits, so the loop still vectorizes, the chunk's
 *   end falling in its scalar remainder;
 * - loops whose body holds another loop or calls compiled code poll on
 *   every back-edge, which is once per outer iteration;
 * - a recursive function polls on entry (func.c), since it may never loop.
 */
enum { CHUNK = 1 << 16 };

void kn_cg_poll_interrupt(kn_cg *cg)
{
    if (cg->gpu)
        return; /* a kernel cannot see the host's flag; the driver ends runaway launches */
    LLVMTypeRef i32 = LLVMInt32TypeInContext(cg->ctx);
    LLVMValueRef flag = LLVMGetNamedGlobal(cg->mod, "kn_rt_interrupt_requested");
    if (!flag)
        flag = LLVMAddGlobal(cg->mod, i32, "kn_rt_interrupt_requested");
    LLVMValueRef v = LLVMBuildLoad2(cg->b, i32, flag, "interrupt");
    LLVMSetVolatile(v, 1);
    LLVMBasicBlockRef stop = kn_cg_block(cg, "interrupted"), go = kn_cg_block(cg, "go");
    kn_cg_unlikely(cg, LLVMBuildCondBr(cg->b,
                                       LLVMBuildICmp(cg->b, LLVMIntNE, v, LLVMConstNull(i32), ""),
                                       stop, go));
    kn_cg_enter(cg, stop);
    kn_cg_check_status(
        cg, kn_cg_call(cg, kn_cg_declare(cg, "kn_rt_interrupted", i32, NULL, 0), NULL, 0));
    LLVMBuildBr(cg->b, go); /* a stale flag: on with the loop */
    kn_cg_enter(cg, go);
}

/* Lowers a loop's body with break going to done and continue to next. */
static int body(kn_cg *cg, const kn_block *block, LLVMBasicBlockRef next, LLVMBasicBlockRef done)
{
    kn_cg_loop loop = {.next = next, .done = done, .outer = cg->loop};
    cg->loop = &loop;
    int rc = kn_cg_stmts(cg, block);
    cg->loop = loop.outer;
    if (rc == 0 && !kn_cg_terminated(cg))
        LLVMBuildBr(cg->b, next);
    return rc;
}

/* The else clause of a loop runs when the loop ends without break, then control goes on at done. */
static int orelse(kn_cg *cg, const kn_block *block, LLVMBasicBlockRef at, LLVMBasicBlockRef done)
{
    kn_cg_enter(cg, at);
    if (kn_cg_stmts(cg, block) < 0)
        return -1;
    if (!kn_cg_terminated(cg))
        LLVMBuildBr(cg->b, done);
    kn_cg_enter(cg, done);
    return 0;
}

/* Evaluates the loop's test, as its own line; NULL after an error. */
static LLVMValueRef test_of(kn_cg *cg, const kn_stmt *s)
{
    cg->loc = s->loc;
    kn_cg_debug_at(cg, s->loc);
    return kn_cg_condition(cg, s->test);
}

/* One step of an innermost loop's countdown: on to loop while the chunk lasts, else to poll. */
static void count_down(kn_cg *cg, LLVMValueRef countdown, LLVMBasicBlockRef loop,
                       LLVMBasicBlockRef poll)
{
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cg->ctx);
    LLVMValueRef left = LLVMBuildSub(cg->b, LLVMBuildLoad2(cg->b, i64, countdown, ""),
                                     kn_cg_i64(cg, 1), "countdown");
    LLVMBuildStore(cg->b, left, countdown);
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, left, kn_cg_i64(cg, 0), ""), loop, poll);
}

/*
 * while test: body else: orelse
 *
 * The test sits at the bottom, the first one before the loop: LLVM
 * computes the trip count of a counted loop through both exits (the test,
 * then the countdown) in this form, not when the test comes first.
 */
int kn_cg_while(kn_cg *cg, const kn_stmt *s)
{
    LLVMBasicBlockRef chunk = kn_cg_block(cg, "while.chunk"), loop = kn_cg_block(cg, "while.body");
    LLVMBasicBlockRef latch = kn_cg_block(cg, "while.latch"), more = kn_cg_block(cg, "while.more");
    LLVMBasicBlockRef other = kn_cg_block(cg, "while.else"), done = kn_cg_block(cg, "while.end");
    int innermost = !kn_cg_may_run_long(&s->body);
    LLVMValueRef countdown =
        innermost ? kn_cg_alloca(cg, LLVMInt64TypeInContext(cg->ctx), "while.countdown") : NULL;
    LLVMValueRef test = test_of(cg, s);
    if (!test)
        return -1;
    LLVMBuildCondBr(cg->b, test, chunk, other);
    kn_cg_enter(cg, chunk);
    if (innermost)
        LLVMBuildStore(cg->b, kn_cg_i64(cg, CHUNK), countdown);
    LLVMBuildBr(cg->b, loop);
    kn_cg_enter(cg, loop);
    if (body(cg, &s->body, latch, done) < 0)
        return -1;
    kn_cg_enter(cg, latch);
    if (!(test = test_of(cg, s)))
        return -1;
    LLVMBuildCondBr(cg->b, test, more, other);
    kn_cg_enter(cg, more);
    if (innermost) {
        LLVMBasicBlockRef poll = kn_cg_block(cg, "while.poll");
        count_down(cg, countdown, loop, poll);
        kn_cg_enter(cg, poll);
    }
    kn_cg_poll_interrupt(cg);
    LLVMBuildBr(cg->b, innermost ? chunk : loop);
    return orelse(cg, &s->orelse, other, done);
}

/*
 * What a for loop iterates: range(stop) | range(start, stop[, step]) as
 * int64, or arrays (one; zip's several; enumerate's one with the index).
 */
typedef struct range {
    LLVMValueRef start, stop, step; /* range loops */
    LLVMValueRef count;       /* the number of iterations, unsigned */
    int narrays;              /* array loops: 0 for range */
    int enumerate;
    LLVMValueRef arrays[16];
    const kn_type *types[16];
    const kn_type *item; /* what the target gets */
} range;

/* ceil((hi - lo) / step) when hi > lo, else 0: in unsigned arithmetic, which cannot overflow. */
static LLVMValueRef span(kn_cg *cg, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef step)
{
    LLVMBuilderRef B = cg->b;
    LLVMValueRef one = kn_cg_i64(cg, 1);
    LLVMValueRef n =
        LLVMBuildUDiv(B, LLVMBuildSub(B, LLVMBuildSub(B, hi, lo, ""), one, ""), step, "");
    n = LLVMBuildAdd(B, n, one, "");
    return LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSGT, hi, lo, ""), n, kn_cg_i64(cg, 0), "");
}

// range(...): its arguments, step 0 refused as Python does, and the trip count
static int range_of(kn_cg *cg, const kn_expr *call, range *r)
{
    LLVMValueRef args[3] = {kn_cg_i64(cg, 0), NULL, kn_cg_i64(cg, 1)};
    int first = call->noperands == 1 ? 1 : 0;
    for (int i = 0; i < call->noperands; i++)
        if (!(args[first + i] = kn_cg_expr_as(cg, call->operands[i], kn_type_int(64))))
            return -1;
    r->start = args[0];
    r->stop = args[1];
    r->step = args[2];
    r->item = kn_type_int(64);
    LLVMValueRef zero = kn_cg_i64(cg, 0);
    kn_cg_raise_if(cg, LLVMBuildICmp(cg->b, LLVMIntEQ, r->step, zero, ""), KN_RT_VALUE_ERROR,
                   "range() arg 3 must not be zero");
    LLVMValueRef up = span(cg, args[0], args[1], r->step);
    LLVMValueRef down = span(cg, args[1], args[0], LLVMBuildNeg(cg->b, r->step, ""));
    r->count =
        LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSGT, r->step, zero, ""), up, down, "");
    return 0;
}

/* Jumps to body while the index is below limit, else to exit; returns the index. */
static LLVMValueRef test_index(kn_cg *cg, LLVMValueRef index, LLVMValueRef limit,
                               LLVMBasicBlockRef body, LLVMBasicBlockRef exit)
{
    LLVMValueRef j = LLVMBuildLoad2(cg->b, LLVMInt64TypeInContext(cg->ctx), index, "j");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, j, limit, ""), body, exit);
    return j;
}

/*
 * NAME's values go from start toward stop, but LLVM cannot tell from the
 * index, which counts in unsigned arithmetic: with a constant step, say
 * that NAME stays between them. Then range(n) is never negative, math.sqrt(i)
 * needs no test of its argument, and a[i + 1] in range(1, len(a) - 1) needs
 * no bounds check.
 */
static void assume_within(kn_cg *cg, const range *r, LLVMValueRef v)
{
    if (!LLVMIsAConstantInt(r->step))
        return;
    int up = LLVMConstIntGetSExtValue(r->step) > 0;
    kn_cg_assume(cg, up ? LLVMIntSGE : LLVMIntSLE, v, r->start);
    kn_cg_assume(cg, up ? LLVMIntSLT : LLVMIntSGT, v, r->stop);
}

/* What an array loop's target gets at index j: an item (or row), or a tuple of them. */
static LLVMValueRef items_at(kn_cg *cg, const range *r, LLVMValueRef j)
{
    if (r->item->kind != KN_TUPLE)
        return kn_cg_array_row(cg, r->arrays[0], r->types[0], j);
    LLVMValueRef t = LLVMGetUndef(kn_cg_type(cg, r->item));
    int n = 0;
    if (r->enumerate)
        t = LLVMBuildInsertValue(cg->b, t, j, (unsigned)n++, "");
    for (int i = 0; i < r->narrays; i++)
        t = LLVMBuildInsertValue(cg->b, t, kn_cg_array_row(cg, r->arrays[i], r->types[i], j),
                                 (unsigned)n++, "");
    return t;
}

// for x in a | for i, x in enumerate(a) | for x, y in zip(a, b): as many steps as the shortest
static int arrays_of(kn_cg *cg, const kn_expr *iter, range *r)
{
    const kn_expr *const *arrays = &iter;
    int n = 1;
    if (iter->kind == KN_E_CALL) {
        arrays = (const kn_expr *const *)iter->operands;
        n = iter->noperands;
        r->enumerate = iter->ival == KN_BI_ENUMERATE;
    }
    const kn_type *fields[17];
    int nfields = 0;
    if (r->enumerate)
        fields[nfields++] = kn_type_int(64);
    for (int i = 0; i < n; i++) {
        r->types[i] = arrays[i]->type;
        if (!(r->arrays[i] = kn_cg_expr(cg, arrays[i])))
            return -1;
        LLVMValueRef len = kn_cg_array_dim(cg, r->arrays[i], 0);
        r->count = i ? LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, len, r->count, ""),
                                       len, r->count, "")
                     : len;
        fields[nfields++] = kn_cg_row_type(r->types[i]);
    }
    r->narrays = n;
    r->item = iter->kind == KN_E_CALL ? kn_type_tuple(fields, nfields) : fields[0];
    return 0;
}

/*
 * The loop proper: while index < limit, NAME = start + index * step, the
 * body, index + 1 (and a poll when asked); then on to exit. break goes to
 * done.
 */
static int count(kn_cg *cg, const kn_stmt *s, const range *r, LLVMValueRef index,
                 LLVMValueRef limit, LLVMBasicBlockRef exit, LLVMBasicBlockRef done, int poll)
{
    LLVMBasicBlockRef head = kn_cg_block(cg, "for.head"), loop = kn_cg_block(cg, "for.body");
    LLVMBasicBlockRef latch = kn_cg_block(cg, "for.latch");
    LLVMBuildBr(cg->b, head);
    kn_cg_enter(cg, head);
    LLVMValueRef j = test_index(cg, index, limit, loop, exit);
    kn_cg_enter(cg, loop);
    LLVMValueRef v;
    if (r->narrays)
        v = items_at(cg, r, j);
    else {
        v = LLVMBuildAdd(cg->b, r->start, LLVMBuildMul(cg->b, j, r->step, ""), "");
        assume_within(cg, r, v);
    }
    if (kn_cg_store(cg, s->targets[0], v, r->item) < 0 ||
        body(cg, &s->body, latch, done) < 0)
        return -1;
    kn_cg_enter(cg, latch);
    j = LLVMBuildLoad2(cg->b, LLVMInt64TypeInContext(cg->ctx), index, "j");
    LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, j, kn_cg_i64(cg, 1), ""), index);
    if (poll)
        kn_cg_poll_interrupt(cg);
    LLVMBuildBr(cg->b, head);
    return 0;
}

/* An innermost loop in chunks: the inner loop vectorizes, the outer one polls between chunks. */
static int count_in_chunks(kn_cg *cg, const kn_stmt *s, const range *r, LLVMValueRef index,
                           LLVMBasicBlockRef exit, LLVMBasicBlockRef done)
{
    LLVMBasicBlockRef chunk = kn_cg_block(cg, "for.chunk"),
                      start = kn_cg_block(cg, "for.chunk.start");
    LLVMBasicBlockRef next = kn_cg_block(cg, "for.chunk.next");
    LLVMBuildBr(cg->b, chunk);
    kn_cg_enter(cg, chunk);
    LLVMValueRef j = test_index(cg, index, r->count, start, exit);
    kn_cg_enter(cg, start);
    /* min(count, j + CHUNK), without overflowing near the top of the range */
    LLVMValueRef room = LLVMBuildICmp(cg->b, LLVMIntUGT, LLVMBuildSub(cg->b, r->count, j, ""),
                                      kn_cg_i64(cg, CHUNK), "");
    LLVMValueRef limit = LLVMBuildSelect(
        cg->b, room, LLVMBuildAdd(cg->b, j, kn_cg_i64(cg, CHUNK), ""), r->count, "");
    if (count(cg, s, r, index, limit, next, done, 0) < 0)
        return -1;
    kn_cg_enter(cg, next);
    kn_cg_poll_interrupt(cg);
    LLVMBuildBr(cg->b, chunk);
    return 0;
}

/*
 * for NAME in range(start, stop, step): body else: orelse
 * (and for over arrays: an index from 0 to the length, NAME its item)
 *
 * An index counts from 0 to the trip count and NAME = start + index * step,
 * so negative steps and bounds near the ends of int64 need no special case.
 */
int kn_cg_for(kn_cg *cg, const kn_stmt *s)
{
    const kn_expr *iter = s->value;
    range r = {0};
    int is_range = iter->kind == KN_E_CALL && iter->ival == KN_BI_RANGE;
    if ((is_range ? range_of(cg, iter, &r) : arrays_of(cg, iter, &r)) < 0)
        return -1;
    LLVMValueRef index = kn_cg_alloca(cg, LLVMInt64TypeInContext(cg->ctx), "for.index");
    LLVMBuildStore(cg->b, kn_cg_i64(cg, 0), index);
    LLVMBasicBlockRef other = kn_cg_block(cg, "for.else"), done = kn_cg_block(cg, "for.end");
    int rc = kn_cg_may_run_long(&s->body) ? count(cg, s, &r, index, r.count, other, done, 1)
                                          : count_in_chunks(cg, s, &r, index, other, done);
    return rc < 0 ? -1 : orelse(cg, &s->orelse, other, done);
}
