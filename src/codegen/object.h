/* Object mode: lowering where every value is a PyObject * and every operation a C API call. */
#ifndef KN_CODEGEN_OBJECT_H
#define KN_CODEGEN_OBJECT_H

#include "codegen/cg.h"

/*
 * Lowers f into mod (empty, with the host's triple and data layout) as
 * object-mode code, the way untyped Cython compiles: the native entry,
 * named as the module, is
 *
 *     PyObject *name(PyObject *arg0, ..., PyObject *argN)
 *
 * taking borrowed references and returning a new one, or NULL with an
 * exception set; the Python wrapper, that name plus KN_CG_WRAPPER_SUFFIX,
 * takes the arguments as an array (kn_wrapper_fn). pyfunc is the Python
 * function: the code reads its globals, builtins and closure cells at run
 * time, so rebinding a global is seen. Returns 0, or -1 with kiln.TypingError
 * (what object mode cannot compile, with its location) or SystemError.
 */
int kn_cg_lower_object(const kn_func *f, PyObject *pyfunc, const kn_compile_options *opts,
                       LLVMModuleRef mod);

/*
 * Conventions of the object back end.
 *
 * Values (kn_ov): a PyObject * that is either borrowed (a local variable's,
 * a constant) or owned by a temporary slot. A temporary slot holds its
 * reference from the operation that made it until the value is released
 * or handed on (kn_obj_give), and NULL otherwise; the slots are reused,
 * and which are live is known while lowering (a statement releases what
 * it made before the next one starts).
 *
 * Errors at run time: every C API result is checked; a failure branches
 * to a landing that records the line for the traceback and goes on to
 * where exceptions go now (o->unwind): the function's exit, or a handler
 * of an enclosing try or with. Each such target starts with a prelude,
 * filled in once the function is lowered, that adds the traceback entry
 * and releases the temporaries that were not live when its region began.
 */

typedef struct kn_ov {
    LLVMValueRef v;
    int temp; /* the temporary slot owning the reference, or -1: borrowed */
} kn_ov;

typedef struct kn_otemp {
    LLVMValueRef slot;
    int live;
} kn_otemp;

/* Where exceptions raised in a region of the code go (see obj_errors.c). */
typedef struct kn_otarget {
    LLVMBasicBlockRef prelude; /* what landings branch to */
    LLVMBasicBlockRef body;    /* the handler proper, after the prelude */
    int *keep;                 /* keep[i]: temporary i was live when the region began */
    int nkeep;
    int release; /* 0 for the function's exit, which releases everything itself */
    kn_loc loc;  /* the statement the handler belongs to */
} kn_otarget;

/* What return, break and continue undo on their way out of a block (see obj_try.c). */
typedef enum kn_ofblock_kind {
    KN_OF_LOOP,    /* break and continue stop here */
    KN_OF_FINALLY, /* the finally body runs */
    KN_OF_WITH,    /* __exit__(None, None, None) runs */
    KN_OF_HANDLER, /* the exception being handled is let go */
} kn_ofblock_kind;

typedef struct kn_ofblock kn_ofblock;
struct kn_ofblock {
    kn_ofblock_kind kind;
    kn_ofblock *outer;
    LLVMBasicBlockRef unwind;    /* where exceptions go outside the block */
    LLVMBasicBlockRef next, brk; /* LOOP: continue, and break (which releases the iterator) */
    const kn_block *finalbody;   /* FINALLY */
    int temp;                    /* LOOP: the iterator (-1: none); WITH: __exit__ */
    int exc, prev;               /* HANDLER: the exception, and the one handled before */
    const kn_expr *name;         /* HANDLER: except ... as name */
};

typedef struct kn_obj {
    kn_cg cg; /* the builder, module, function, debug info: shared with the native back end */
    PyObject *func;
    LLVMTypeRef ptr, i32, i64;
    LLVMValueRef *locals; /* one slot per variable, NULL while unbound */
    kn_otemp *temps;
    int ntemps, cap_temps;
    kn_otarget **targets; /* every exception target, for their preludes */
    int ntargets, cap_targets;
    LLVMBasicBlockRef unwind;  /* where an exception raised now goes: a target's prelude */
    LLVMValueRef errline;      /* i32: the line the traceback gets; 0 once it has it */
    LLVMValueRef result;       /* the return value on its way to the exit */
    LLVMBasicBlockRef exit;    /* releases everything, returns result */
    int line;                  /* the line of the code being lowered */
    LLVMBasicBlockRef landing; /* the last landing made, reused for the same line and target */
    int landing_line;
    LLVMBasicBlockRef landing_to;
    kn_ofblock *fblock; /* innermost */
} kn_obj;

/* obj_values.c: temporaries, references, constants, calls of the C API */
kn_ov kn_obj_borrowed(LLVMValueRef v);
kn_ov kn_obj_owned(kn_obj *o, LLVMValueRef v); /* v a new reference (or NULL) */
void kn_obj_release(kn_obj *o, kn_ov v);
/* A new reference to v for whoever takes it: the temporary's own, or one more. */
LLVMValueRef kn_obj_give(kn_obj *o, kn_ov v);
kn_ov kn_obj_copy(kn_obj *o, kn_ov v); /* a reference of its own, in a new temporary */
/* Emits the release of temporary i (if it holds one) without changing what is live. */
void kn_obj_drop_temp(kn_obj *o, int i);
/* Temporary i's reference, for one path to hand on: its slot cleared, what is live unchanged. */
LLVMValueRef kn_obj_take_temp(kn_obj *o, int i);
/* A new reference to v for one path, leaving v's release to the others. */
LLVMValueRef kn_obj_take(kn_obj *o, kn_ov v);
int *kn_obj_live_set(kn_obj *o, int *n);                     /* which temporaries are live now */
void kn_obj_restore_live(kn_obj *o, const int *live, int n); /* after a path that left */
LLVMValueRef kn_obj_const(kn_obj *o, PyObject *obj); /* steals obj; NULL with an exception */
LLVMValueRef kn_obj_str(kn_obj *o, const char *s);   /* an interned str constant */
/* A tuple constant of interned strs (keyword names, fromlist); a NULL pointer for none. */
LLVMValueRef kn_obj_names(kn_obj *o, const char *const *names, int n);
LLVMValueRef kn_obj_symbol(kn_obj *o, const char *name);      /* the address of a C API object */
LLVMValueRef kn_obj_load_symbol(kn_obj *o, const char *name); /* a PyObject * variable's value */
LLVMValueRef kn_obj_none(kn_obj *o);
LLVMValueRef kn_obj_true(kn_obj *o);
LLVMValueRef kn_obj_false(kn_obj *o);
LLVMValueRef kn_obj_bool(kn_obj *o, LLVMValueRef truth); /* Py_True or Py_False, borrowed */
LLVMValueRef kn_obj_type_of(kn_obj *o, LLVMValueRef v);  /* Py_TYPE(v) */
LLVMValueRef kn_obj_field(kn_obj *o, LLVMValueRef v, size_t offset); /* the address of a field */
LLVMValueRef kn_obj_i32(kn_obj *o, long long v);
LLVMValueRef kn_obj_array(kn_obj *o, LLVMValueRef *items, int n); /* a stack array of them */
/* name(args...), a C API function declared from its arguments' types. */
LLVMValueRef kn_obj_api(kn_obj *o, const char *name, LLVMTypeRef ret, LLVMValueRef *args, int n);
/* r, a new reference or NULL: the operands released, then r checked and owned. */
kn_ov kn_obj_result(kn_obj *o, LLVMValueRef r, kn_ov *operands, int nops);
/* A C API call that returns a new reference: the operands released, then NULL checked. */
kn_ov kn_obj_api_new(kn_obj *o, const char *name, LLVMValueRef *args, int n, kn_ov *operands,
                     int nops);
/* A C API call that returns an int, negative on error: checked. */
LLVMValueRef kn_obj_api_int(kn_obj *o, const char *name, LLVMValueRef *args, int n);
/* A helper of obj_rt.c, by address, through an internal function of that name. */
LLVMValueRef kn_obj_helper(kn_obj *o, const char *name, void *address, LLVMTypeRef ret,
                           LLVMValueRef *args, int n);

/* obj_errors.c: landings, exception targets, tracebacks */
void kn_obj_at(kn_obj *o, kn_loc loc);       /* what follows is code of loc's line */
LLVMBasicBlockRef kn_obj_landing(kn_obj *o); /* where a failure here branches */
void kn_obj_error_if(kn_obj *o, LLVMValueRef cond);
void kn_obj_check(kn_obj *o, LLVMValueRef v);         /* a pointer that is NULL on error */
void kn_obj_check_status(kn_obj *o, LLVMValueRef rc); /* an int that is negative on error */
void kn_obj_raise_here(kn_obj *o); /* an exception is set: on to the target, traceback added */
void kn_obj_reraise(kn_obj *o);    /* the same, adding no traceback entry (it has one) */
void kn_obj_raise_string(kn_obj *o, const char *exc, const char *msg); /* raise exc(msg) */
kn_otarget *kn_obj_target_begin(kn_obj *o, kn_loc loc);                /* o->unwind goes to it */
void kn_obj_fill_targets(kn_obj *o);

/* obj_rt.c: what generated code calls that is more than one C API call */
PyObject *kn_obj_rt_catch(void);
void kn_obj_rt_throw(PyObject *exc);
int kn_obj_rt_raise(PyObject *exc, PyObject *cause);
int kn_obj_rt_reraise(void);
int kn_obj_rt_matches(PyObject *exc, PyObject *type);
int kn_obj_rt_unpack(PyObject *seq, int before, int after, PyObject **out);
PyObject *kn_obj_rt_enter(PyObject *mgr, PyObject **exit);
PyObject *kn_obj_rt_exit(PyObject *exit, PyObject *exc);
PyObject *kn_obj_rt_str(PyObject *v);
PyObject *kn_obj_rt_format(PyObject *value, int conversion, PyObject *spec);
PyObject *kn_obj_rt_builtin(PyObject *builtins, PyObject *name);
PyObject *kn_obj_rt_cell(PyObject *cell, PyObject *name);
int kn_obj_rt_del_global(PyObject *globals, PyObject *name);
PyObject *kn_obj_rt_import(PyObject *name, PyObject *globals, PyObject *fromlist, int level);
PyObject *kn_obj_rt_import_from(PyObject *module, PyObject *name);
int kn_obj_rt_extend_args(PyObject *args, PyObject *iterable, PyObject *callee);
int kn_obj_rt_merge_kwargs(PyObject *kwargs, PyObject *mapping, PyObject *callee);
int kn_obj_rt_range(PyObject *callee, PyObject *const *args, int n, Py_ssize_t *out);

/* obj_expr.c: expressions */
kn_ov kn_obj_expr(kn_obj *o, const kn_expr *e);             /* v NULL after a compile error */
LLVMValueRef kn_obj_truth(kn_obj *o, kn_ov v);              /* i1 */
LLVMValueRef kn_obj_condition(kn_obj *o, const kn_expr *e); /* NULL after a compile error */
kn_ov kn_obj_load(kn_obj *o, const kn_expr *name);
kn_ov kn_obj_load_local(kn_obj *o, const kn_var *var);
kn_ov kn_obj_binary(kn_obj *o, kn_op op, kn_ov l, kn_ov r, int inplace);
/*
 * c[index] (v NULL: a new reference or NULL) or c[index] = v (a status)
 * when index is a native range variable, unchecked; NULL when it is not.
 */
LLVMValueRef kn_obj_native_item(kn_obj *o, LLVMValueRef c, const kn_expr *index, LLVMValueRef v);

/*
 * obj_fast.c: the C API call, after inline paths for small exact ints,
 * exact floats and lists; results as the call's (new reference or NULL,
 * status), unchecked. The operands stay.
 */
LLVMValueRef kn_obj_is_type(kn_obj *o, LLVMValueRef v, const char *type); /* Py_IS_TYPE */
LLVMValueRef kn_obj_fast_binary(kn_obj *o, kn_op op, const char *api, LLVMValueRef l,
                                LLVMValueRef r);
LLVMValueRef kn_obj_fast_compare(kn_obj *o, kn_op op, LLVMValueRef l, LLVMValueRef r);
/* The truth of l op r, an i1, for if and while: its errors are checked. */
LLVMValueRef kn_obj_fast_test(kn_obj *o, kn_op op, LLVMValueRef l, LLVMValueRef r);
LLVMValueRef kn_obj_fast_getitem(kn_obj *o, LLVMValueRef c, LLVMValueRef i);
LLVMValueRef kn_obj_fast_setitem(kn_obj *o, LLVMValueRef c, LLVMValueRef i, LLVMValueRef v);
/* c[index] and c[index] = v with a native index (an i64), negative counting from the end. */
LLVMValueRef kn_obj_fast_getitem_at(kn_obj *o, LLVMValueRef c, LLVMValueRef index);
LLVMValueRef kn_obj_fast_setitem_at(kn_obj *o, LLVMValueRef c, LLVMValueRef index, LLVMValueRef v);
/*
 * Methods called without a lookup on exact types (PRECALL_NO_KW_LIST_APPEND,
 * ..._METHOD_DESCRIPTOR_FAST): x.append(v) on a list, x.get(k[, d]) on a
 * dict. The condition (an i1) when e is such a call, else NULL; then the
 * call, a new reference or NULL, for self of that type and arguments a, b
 * (b NULL when there is one).
 */
LLVMValueRef kn_obj_direct_method(kn_obj *o, const kn_expr *e, LLVMValueRef self);
LLVMValueRef kn_obj_call_direct(kn_obj *o, const kn_expr *e, LLVMValueRef self, LLVMValueRef a,
                                LLVMValueRef b);
/* _PyObject_GetMethod(self, name, out) through a cache of the call site's: an i32. */
LLVMValueRef kn_obj_fast_get_method(kn_obj *o, LLVMValueRef self, LLVMValueRef name,
                                    LLVMValueRef out);
/* len(x), str(x), isinstance(x, t): which builtin (-1: none) a call of name may be. */
int kn_obj_direct_builtin(const char *name, int nargs);
/* The builtin called directly when callee is it, else call(o, ctx), the call protocol. */
LLVMValueRef kn_obj_fast_builtin(kn_obj *o, int which, LLVMValueRef callee, LLVMValueRef *args,
                                 LLVMValueRef (*call)(kn_obj *, void *), void *ctx);

/* obj_call.c, obj_build.c: calls; displays, f-strings, comprehensions */
kn_ov kn_obj_call(kn_obj *o, const kn_expr *e);
kn_ov kn_obj_display(kn_obj *o, const kn_expr *e);
kn_ov kn_obj_fstring(kn_obj *o, const kn_expr *e);
kn_ov kn_obj_comprehension(kn_obj *o, const kn_expr *e);

/* obj_store.c: assignment targets, del */
int kn_obj_store(kn_obj *o, const kn_expr *target, kn_ov v); /* consumes v */
int kn_obj_delete(kn_obj *o, const kn_expr *target);
/*
 * The object and key of target obj.name or container[index] (a global
 * NAME's: the globals and the name), evaluated in that order. 0, or -1
 * after a compile error.
 */
int kn_obj_target_parts(kn_obj *o, const kn_expr *target, kn_ov *obj, kn_ov *key);
void kn_obj_set_local(kn_obj *o, const kn_var *var, LLVMValueRef ref); /* takes ref */
void kn_obj_clear_local(kn_obj *o, const kn_var *var);

/* obj_stmt.c, obj_loop.c, obj_try.c: statements */
int kn_obj_stmts(kn_obj *o, const kn_block *block);
/* Lowers block into the current block; control that falls off its end goes on to next. */
int kn_obj_arm(kn_obj *o, const kn_block *block, LLVMBasicBlockRef next);
int kn_obj_while(kn_obj *o, const kn_stmt *s);
int kn_obj_for(kn_obj *o, const kn_stmt *s);
/*
 * for target in iterable, as for loops and comprehensions run it: begin
 * evaluates the iterable and leaves the builder in the body, the next item
 * stored in target (the body branches to next for the following one); end
 * closes the loop and leaves the builder where it is exhausted, its
 * iterator released.
 */
typedef struct kn_oloop {
    LLVMBasicBlockRef head, next, exhausted;
    LLVMValueRef native;                    /* i1: counting natively (range()); NULL: never */
    LLVMValueRef index, count, start, step; /* the native count: index in 0..count */
    int iter;   /* the temporary holding the iterator (NULL when counting natively) */
    kn_loc loc; /* the iterable's: where its errors are reported */
} kn_oloop;
int kn_obj_loop_begin(kn_obj *o, kn_oloop *l, const kn_expr *iterable, const kn_expr *target);
/*
 * A variable that only range loops assign and only subscripts read (see
 * obj_loop.c): its i64 value now, and in *native whether it holds one
 * (else its object slot holds what it holds). NULL for other variables;
 * with native NULL, only whether it is one.
 */
LLVMValueRef kn_obj_native_var(kn_obj *o, const kn_var *var, LLVMValueRef *native);
void kn_obj_loop_end(kn_obj *o, kn_oloop *l);
int kn_obj_try(kn_obj *o, const kn_stmt *s);
int kn_obj_with(kn_obj *o, const kn_stmt *s);
/* return, break, continue: what the blocks they leave must undo, innermost first. */
int kn_obj_unwind(kn_obj *o, kn_ofblock *until);

#endif
