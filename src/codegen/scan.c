/* What a body holds, asked before lowering it: loops, calls to compiled code, recursion. */
#include "codegen/cg.h"
#include "compiler/infer.h"

typedef int (*expr_test)(const kn_expr *e);

static int any_expr(const kn_expr *e, expr_test test)
{
    if (!e)
        return 0;
    if (test(e) || any_expr(e->value, test) || any_expr(e->index, test))
        return 1;
    for (int i = 0; i < e->noperands; i++)
        if (any_expr(e->operands[i], test))
            return 1;
    return 0;
}

/* A statement of block, or anything nested in one, that is a loop (when loops) or has an expression
 * passing test. */
static int any_stmt(const kn_block *block, int loops, expr_test test)
{
    for (int i = 0; i < block->n; i++) {
        const kn_stmt *s = block->stmts[i];
        if (loops && (s->kind == KN_S_WHILE || s->kind == KN_S_FOR))
            return 1;
        if (any_expr(s->value, test) || any_expr(s->test, test))
            return 1;
        for (int t = 0; t < s->ntargets; t++)
            if (any_expr(s->targets[t], test))
                return 1;
        if (any_stmt(&s->body, loops, test) || any_stmt(&s->orelse, loops, test))
            return 1;
    }
    return 0;
}

static int calls_compiled(const kn_expr *e)
{
    return e->kind == KN_E_CALL && (e->ival == KN_BI_JIT || e->ival == KN_BI_SELF);
}

static int calls_self(const kn_expr *e)
{
    return e->kind == KN_E_CALL && e->ival == KN_BI_SELF;
}

/* Whether running block once may take long without passing a poll of its own: a loop, or compiled
 * code. */
int kn_cg_may_run_long(const kn_block *block)
{
    return any_stmt(block, 1, calls_compiled);
}

int kn_cg_recursive(const kn_func *f)
{
    return any_stmt(&f->body, 0, calls_self);
}
