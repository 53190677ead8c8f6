/* For inspect_types: the function's source, each line followed by the types of what it assigns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/infer.h"

static void annotate_block(FILE *out, const kn_func *f, const kn_block *b, int line,
                           const char *indent);

/* The statement's own text when it fits on its line, else just the name. */
static void note_name(FILE *out, const kn_func *f, const kn_stmt *st, const kn_var *v, int alone,
                      const char *indent)
{
    const char *src = f->source_lines[st->loc.line - f->first_line];
    int len = (int)strlen(src);
    fprintf(out, "%s#   ", indent);
    if (alone && st->loc.end_line == st->loc.line && st->loc.end_col <= len)
        fprintf(out, "%.*s", st->loc.end_col - st->loc.col, src + st->loc.col);
    else
        fprintf(out, "%s", v->name);
    fprintf(out, "  :: %s\n", v->type ? v->type->name : "?");
}

// NAME = ... | (a, b) = ... : one line per name
static void note_target(FILE *out, const kn_func *f, const kn_stmt *st, const kn_expr *target,
                        int alone, const char *indent)
{
    if (target->kind == KN_E_NAME && target->var)
        note_name(out, f, st, target->var, alone, indent);
    if (target->kind == KN_E_TUPLE)
        for (int i = 0; i < target->noperands; i++)
            note_target(out, f, st, target->operands[i], 0, indent);
}

static void annotate_stmt(FILE *out, const kn_func *f, const kn_stmt *st, int line,
                          const char *indent)
{
    if (st->loc.line == line) {
        int alone = st->kind == KN_S_ASSIGN && st->ntargets == 1;
        if (st->kind == KN_S_ASSIGN || st->kind == KN_S_FOR)
            for (int i = 0; i < st->ntargets; i++)
                note_target(out, f, st, st->targets[i], alone, indent);
        if (st->kind == KN_S_RETURN)
            fprintf(out, "%s#   return  :: %s\n", indent,
                    st->value && st->value->type ? st->value->type->name : "none");
    }
    annotate_block(out, f, &st->body, line, indent);
    annotate_block(out, f, &st->orelse, line, indent);
}

static void annotate_block(FILE *out, const kn_func *f, const kn_block *b, int line,
                           const char *indent)
{
    for (int i = 0; i < b->n; i++)
        annotate_stmt(out, f, b->stmts[i], line, indent);
}

// def f(a, b): each argument's type, and the function's
static void annotate_def(FILE *out, const kn_func *f, const char *indent)
{
    for (int i = 0; i < f->nargs; i++)
        fprintf(out, "%s    #   %s = arg(%d, name=%s)  :: %s\n", indent, f->vars[i]->name, i,
                f->vars[i]->name, f->vars[i]->type ? f->vars[i]->type->name : "?");
    fprintf(out, "%s    #   -> %s\n", indent, f->ret ? f->ret->name : "?");
}

char *kn_infer_annotate(const kn_func *f)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return NULL;
    fprintf(out, "# File: %s\n# --- %s, line %d ---\n", f->filename, f->qualname, f->first_line);
    for (int i = 0; i < f->nsource_lines; i++) {
        const char *src = f->source_lines[i];
        char indent[128];
        int n = (int)strspn(src, " \t");
        snprintf(indent, sizeof indent, "%.*s", n, src);
        fprintf(out, "%s\n", src);
        if (i == 0)
            annotate_def(out, f, indent);
        annotate_block(out, f, &f->body, f->first_line + i, indent);
    }
    fclose(out);
    return text;
}
