/* Object mode's calls: vectorcall, method calls, keywords, *args and **kwargs. */
#include <stdio.h>
#include <string.h>

#include "codegen/object.h"

static const kn_ov failed = {NULL, -1};

/* The call's positional arguments come first, its keyword arguments last. */
static int npositional(const kn_expr *e)
{
    return e->noperands - e->nkw;
}

/* Whether a call unpacks *args or **kwargs, which vectorcall cannot pass. */
static int unpacks(const kn_expr *e)
{
    for (int i = 0; i < e->noperands; i++) {
        int starred = i < npositional(e) && e->operands[i]->kind == KN_E_STARRED;
        if (starred || (i >= npositional(e) && !e->kwnames[i - npositional(e)]))
            return 1;
    }
    return 0;
}

/* The keyword names as the tuple vectorcall takes (NULL for none): a constant of the code. */
static LLVMValueRef kwnames(kn_obj *o, const kn_expr *e)
{
    return kn_obj_names(o, e->kwnames, e->nkw);
}

/* Evaluates the arguments into args[first...], left to right. 0, or -1 after a compile error. */
static int arguments(kn_obj *o, const kn_expr *e, kn_ov *args)
{
    for (int i = 0; i < e->noperands; i++)
        if (!(args[i] = kn_obj_expr(o, e->operands[i])).v)
            return -1;
    return 0;
}

/* The argument vector: a free slot first (PY_VECTORCALL_ARGUMENTS_OFFSET lets callees use it). */
static LLVMValueRef vector(kn_obj *o, const kn_ov *self, const kn_ov *args, int n)
{
    LLVMValueRef items[n + 2];
    int k = 0;
    items[k++] = LLVMConstNull(o->ptr);
    if (self)
        items[k++] = self->v;
    for (int i = 0; i < n; i++)
        items[k++] = args[i].v;
    return kn_obj_array(o, items, k);
}

static LLVMValueRef element(kn_obj *o, LLVMValueRef array, LLVMValueRef index)
{
    return LLVMBuildGEP2(o->cg.b, o->ptr, array, &index, 1, "");
}

static LLVMValueRef nargsf(kn_obj *o, LLVMValueRef n)
{
    LLVMValueRef offset =
        LLVMConstInt(o->i64, (unsigned long long)PY_VECTORCALL_ARGUMENTS_OFFSET, 0);
    return LLVMBuildOr(o->cg.b, n, offset, "nargsf");
}

/* Releases the callee and the arguments, then checks the result. */
static kn_ov called(kn_obj *o, LLVMValueRef r, kn_ov *callee, int ncallee, kn_ov *args, int n)
{
    for (int i = 0; i < ncallee; i++)
        kn_obj_release(o, callee[i]);
    for (int i = 0; i < n; i++)
        kn_obj_release(o, args[i]);
    kn_obj_check(o, r);
    return kn_obj_owned(o, r);
}

/* A call through the call protocol, of callee on args (e's). */
typedef struct protocol_call {
    const kn_expr *e;
    kn_ov callee;
    const kn_ov *args;
} protocol_call;

static LLVMValueRef vectorcall(kn_obj *o, void *ctx)
{
    const protocol_call *c = ctx;
    LLVMValueRef argv =
        element(o, vector(o, NULL, c->args, c->e->noperands), LLVMConstInt(o->i64, 1, 0));
    LLVMValueRef n = LLVMConstInt(o->i64, (unsigned long long)npositional(c->e), 0);
    LLVMValueRef call[] = {c->callee.v, argv, nargsf(o, n), kwnames(o, c->e)};
    return kn_obj_api(o, "PyObject_Vectorcall", o->ptr, call, 4);
}

/* What the callee, a global name or a module's attribute (sys._getframe), is now; borrowed. */
static PyObject *callee_now(kn_obj *o, const kn_expr *callee)
{
    PyFunctionObject *f = (PyFunctionObject *)o->func;
    if (callee->kind == KN_E_NAME && !callee->var) {
        PyObject *v = PyDict_GetItemString(f->func_globals, callee->sval);
        return v || !PyDict_Check(f->func_builtins)
                   ? v
                   : PyDict_GetItemString(f->func_builtins, callee->sval);
    }
    PyObject *m = callee->kind == KN_E_ATTR ? callee_now(o, callee->value) : NULL;
    return m && PyModule_Check(m) ? PyDict_GetItemString(PyModule_GetDict(m), callee->sval) : NULL;
}

/* A function of the builtins or sys module: its name, else NULL. */
static const char *builtin_name(PyObject *v, const char *module)
{
    if (!v || !PyCFunction_Check(v))
        return NULL;
    PyObject *self = PyCFunction_GET_SELF(v);
    const char *name = self && PyModule_Check(self) ? PyModule_GetName(self) : NULL;
    if (!name)
        PyErr_Clear();
    return name && !strcmp(name, module) ? ((PyCFunctionObject *)v)->m_ml->ml_name : NULL;
}

/* The builtin globals(), when a call of e's callee may be it: borrowed, else NULL. */
static PyObject *globals_builtin(kn_obj *o, const kn_expr *e)
{
    PyObject *builtins = ((PyFunctionObject *)o->func)->func_builtins;
    if (e->noperands || e->value->kind != KN_E_NAME || e->value->var ||
        strcmp(e->value->sval, "globals") || !PyDict_Check(builtins))
        return NULL;
    PyObject *g = PyDict_GetItemString(builtins, "globals");
    const char *name = builtin_name(g, "builtins");
    return name && !strcmp(name, "globals") ? g : NULL;
}

/*
 * globals(): the function's own globals when the callee is the builtin,
 * which would read them from the frame running, the caller's; else the call.
 */
static LLVMValueRef own_globals(kn_obj *o, PyObject *builtin, LLVMValueRef callee, protocol_call *c)
{
    LLVMValueRef is = LLVMBuildICmp(o->cg.b, LLVMIntEQ, callee, kn_obj_const(o, Py_NewRef(builtin)),
                                    "is_globals");
    LLVMBasicBlockRef own = kn_cg_block(&o->cg, "globals.own");
    LLVMBasicBlockRef call = kn_cg_block(&o->cg, "globals.call");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "globals.done");
    LLVMBuildCondBr(o->cg.b, is, own, call);
    kn_cg_enter(&o->cg, own);
    LLVMValueRef values[] = {kn_obj_const(o, Py_NewRef(PyFunction_GET_GLOBALS(o->func))), NULL};
    kn_cg_incref(&o->cg, values[0]);
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, call);
    values[1] = vectorcall(o, c);
    LLVMBasicBlockRef from[] = {own, LLVMGetInsertBlock(o->cg.b)};
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, done);
    return kn_cg_phi(&o->cg, o->ptr, values, from, 2);
}

// f(a, b, name=c): PyObject_Vectorcall, or len(x), str(x), isinstance(x, t) directly
static kn_ov vector_call(kn_obj *o, const kn_expr *e)
{
    int n = e->noperands;
    kn_ov callee = kn_obj_expr(o, e->value), args[n > 0 ? n : 1];
    if (!callee.v || arguments(o, e, args) < 0)
        return failed;
    kn_obj_at(o, e->loc);
    protocol_call c = {e, callee, args};
    int builtin = e->value->kind == KN_E_NAME && !e->value->var && !e->nkw
                      ? kn_obj_direct_builtin(e->value->sval, n)
                      : -1;
    LLVMValueRef values[n > 0 ? n : 1];
    for (int i = 0; i < n; i++)
        values[i] = args[i].v;
    PyObject *globals = globals_builtin(o, e);
    LLVMValueRef r = globals ? own_globals(o, globals, callee.v, &c)
                     : builtin < 0
                         ? vectorcall(o, &c)
                         : kn_obj_fast_builtin(o, builtin, callee.v, values, vectorcall, &c);
    return called(o, r, &callee, 1, args, n);
}

/*
 * The method self.name (_PyObject_GetMethod), *unbound telling whether it
 * takes self first; skipped (NULL) when skip holds: a list's append, a dict's get.
 */
static LLVMValueRef get_method(kn_obj *o, const kn_expr *attr, LLVMValueRef self, LLVMValueRef skip,
                               LLVMValueRef *unbound)
{
    LLVMBasicBlockRef from = LLVMGetInsertBlock(o->cg.b), look = kn_cg_block(&o->cg, "method");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "method.found");
    if (skip)
        LLVMBuildCondBr(o->cg.b, skip, done, look);
    else
        LLVMBuildBr(o->cg.b, look);
    kn_cg_enter(&o->cg, look);
    LLVMValueRef out = kn_cg_alloca(&o->cg, o->ptr, "method");
    LLVMBuildStore(o->cg.b, LLVMConstNull(o->ptr), out); /* left as it is on AttributeError */
    LLVMValueRef u = kn_obj_fast_get_method(o, self, kn_obj_str(o, attr->sval), out);
    LLVMValueRef m = LLVMBuildLoad2(o->cg.b, o->ptr, out, "");
    kn_obj_check(o, m);
    LLVMBasicBlockRef found = LLVMGetInsertBlock(o->cg.b);
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, done);
    LLVMBasicBlockRef blocks[] = {found, from};
    *unbound =
        kn_cg_phi(&o->cg, o->i32, (LLVMValueRef[]){u, kn_obj_i32(o, 0)}, blocks, skip ? 2 : 1);
    return kn_cg_phi(&o->cg, o->ptr, (LLVMValueRef[]){m, LLVMConstNull(o->ptr)}, blocks,
                     skip ? 2 : 1);
}

/* The call of a method found: with self first when it is unbound, else without. */
static LLVMValueRef call_method(kn_obj *o, const kn_expr *e, LLVMValueRef m, LLVMValueRef unbound,
                                const kn_ov *self, const kn_ov *args)
{
    LLVMValueRef with_self = LLVMBuildICmp(o->cg.b, LLVMIntNE, unbound, kn_obj_i32(o, 0), "");
    LLVMValueRef array = vector(o, self, args, e->noperands);
    LLVMValueRef first = LLVMBuildSelect(o->cg.b, with_self, LLVMConstInt(o->i64, 1, 0),
                                         LLVMConstInt(o->i64, 2, 0), "");
    LLVMValueRef count =
        LLVMBuildAdd(o->cg.b, LLVMConstInt(o->i64, (unsigned long long)npositional(e), 0),
                     LLVMBuildZExt(o->cg.b, with_self, o->i64, ""), "");
    LLVMValueRef call[] = {m, element(o, array, first), nargsf(o, count), kwnames(o, e)};
    return kn_obj_api(o, "PyObject_Vectorcall", o->ptr, call, 4);
}

/*
 * obj.name(a, b): the method looked up before the arguments are evaluated
 * and called with obj as its first argument, without a bound method
 * object, as CPython's LOAD_METHOD and CALL do.
 */
static kn_ov method_call(kn_obj *o, const kn_expr *e)
{
    int n = e->noperands;
    kn_ov self = kn_obj_expr(o, e->value->value), args[n > 0 ? n : 1];
    if (!self.v)
        return failed;
    kn_obj_at(o, e->value->loc);
    LLVMValueRef direct = kn_obj_direct_method(o, e, self.v), unbound;
    kn_ov method = kn_obj_owned(o, get_method(o, e->value, self.v, direct, &unbound));
    if (arguments(o, e, args) < 0)
        return failed;
    kn_obj_at(o, e->loc);
    if (!direct)
        return called(o, call_method(o, e, method.v, unbound, &self, args), (kn_ov[]){method, self},
                      2, args, n);
    LLVMBasicBlockRef append = kn_cg_block(&o->cg, "append"), call = kn_cg_block(&o->cg, "call");
    LLVMBasicBlockRef done = kn_cg_block(&o->cg, "called");
    LLVMBuildCondBr(o->cg.b, direct, append, call);
    kn_cg_enter(&o->cg, append);
    LLVMValueRef values[] = {kn_obj_call_direct(o, e, self.v, args[0].v, n > 1 ? args[1].v : NULL),
                             NULL};
    LLVMBasicBlockRef from[] = {LLVMGetInsertBlock(o->cg.b), NULL};
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, call);
    values[1] = call_method(o, e, method.v, unbound, &self, args);
    from[1] = LLVMGetInsertBlock(o->cg.b);
    LLVMBuildBr(o->cg.b, done);
    kn_cg_enter(&o->cg, done);
    return called(o, kn_cg_phi(&o->cg, o->ptr, values, from, 2), (kn_ov[]){method, self}, 2, args,
                  n);
}

/* *args: the positional arguments as a tuple, each starred one's items in its place. */
static kn_ov positional_tuple(kn_obj *o, const kn_expr *e, kn_ov callee)
{
    LLVMValueRef zero = LLVMConstInt(o->i64, 0, 0);
    kn_ov list = kn_obj_api_new(o, "PyList_New", &zero, 1, NULL, 0);
    for (int i = 0; i < npositional(e); i++) {
        const kn_expr *a = e->operands[i];
        int starred = a->kind == KN_E_STARRED;
        kn_ov v = kn_obj_expr(o, starred ? a->value : a);
        if (!v.v)
            return failed;
        kn_obj_at(o, a->loc);
        LLVMValueRef args[] = {list.v, v.v, callee.v};
        if (starred)
            kn_obj_check_status(o, kn_obj_helper(o, "kn_obj_rt_extend_args",
                                                 (void *)kn_obj_rt_extend_args, o->i32, args, 3));
        else
            kn_obj_api_int(o, "PyList_Append", args, 2);
        kn_obj_release(o, v);
    }
    return kn_obj_api_new(o, "PyList_AsTuple", &list.v, 1, &list, 1);
}

/*
 * f(**mapping, name=v): a named keyword after an unpacked one, added
 * unless the mapping gave it (DICT_MERGE's check). Called by address.
 */
static int add_keyword(PyObject *kwargs, PyObject *name, PyObject *value, PyObject *callee)
{
    int dup = PyDict_Contains(kwargs, name);
    if (dup == 0)
        return PyDict_SetItem(kwargs, name, value);
    PyObject *callee_name = dup > 0 ? _PyObject_FunctionStr(callee) : NULL;
    if (callee_name)
        PyErr_Format(PyExc_TypeError, "%U got multiple values for keyword argument '%S'",
                     callee_name, name);
    Py_XDECREF(callee_name);
    return -1;
}

/* **kwargs: the keyword arguments as a dict, each name given once. */
static kn_ov keyword_dict(kn_obj *o, const kn_expr *e, kn_ov callee)
{
    kn_ov dict = kn_obj_api_new(o, "PyDict_New", NULL, 0, NULL, 0);
    int merged = 0; /* a **mapping came before: a name may be given twice */
    for (int i = 0; i < e->nkw; i++) {
        const kn_expr *a = e->operands[npositional(e) + i];
        kn_ov v = kn_obj_expr(o, a);
        if (!v.v)
            return failed;
        kn_obj_at(o, a->loc);
        const char *name = e->kwnames[i];
        if (name && merged) {
            LLVMValueRef args[] = {dict.v, kn_obj_str(o, name), v.v, callee.v};
            kn_obj_check_status(
                o, kn_obj_helper(o, "kn_obj_add_keyword", (void *)add_keyword, o->i32, args, 4));
        } else if (name) {
            LLVMValueRef args[] = {dict.v, kn_obj_str(o, name), v.v};
            kn_obj_api_int(o, "PyDict_SetItem", args, 3);
        } else {
            merged = 1;
            LLVMValueRef args[] = {dict.v, v.v, callee.v};
            kn_obj_check_status(o, kn_obj_helper(o, "kn_obj_rt_merge_kwargs",
                                                 (void *)kn_obj_rt_merge_kwargs, o->i32, args, 3));
        }
        kn_obj_release(o, v);
    }
    return dict;
}

// f(a, *rest, name=b, **more): PyObject_Call with a tuple and a dict
static kn_ov unpacking_call(kn_obj *o, const kn_expr *e)
{
    kn_ov callee = kn_obj_expr(o, e->value);
    kn_ov args = callee.v ? positional_tuple(o, e, callee) : failed;
    if (!args.v)
        return failed;
    kn_ov kwargs = kn_obj_borrowed(LLVMConstNull(o->ptr)); /* none */
    if (e->nkw && !(kwargs = keyword_dict(o, e, callee)).v)
        return failed;
    kn_obj_at(o, e->loc);
    LLVMValueRef call[] = {callee.v, args.v, kwargs.v};
    kn_ov operands[] = {callee, args, kwargs};
    return kn_obj_api_new(o, "PyObject_Call", call, 3, operands, 3);
}

/*
 * locals(), vars(), dir(), eval(s), exec(s), super(), sys._getframe():
 * they read the frame of the function running, which compiled code does
 * not have (they would read its caller's), so object mode refuses them.
 * The callee is what its name holds now; eval and exec given their
 * globals need no frame.
 */
static int needs_frame(kn_obj *o, const kn_expr *e)
{
    PyObject *callee = callee_now(o, e->value);
    const char *name = builtin_name(callee, "builtins");
    int bare = !e->noperands, given = e->noperands >= 2 && !unpacks(e);
    char what[64] = "";
    if (callee && callee == (PyObject *)&PySuper_Type && bare)
        snprintf(what, sizeof what, "super() without arguments");
    else if (name && (!strcmp(name, "locals") || (bare && !strcmp(name, "vars")) ||
                      (bare && !strcmp(name, "dir"))))
        snprintf(what, sizeof what, "%s()", name);
    else if (name && !given && (!strcmp(name, "eval") || !strcmp(name, "exec")))
        snprintf(what, sizeof what, "%s() without a globals dict", name);
    else if ((name = builtin_name(callee, "sys")) && !strcmp(name, "_getframe"))
        snprintf(what, sizeof what, "sys._getframe()");
    if (!what[0])
        return 0;
    kn_cg_fail(&o->cg, e->loc,
               "unsupported construct: %s in object mode (it reads the frame of the function "
               "running, which compiled code does not have)",
               what);
    return 1;
}

kn_ov kn_obj_call(kn_obj *o, const kn_expr *e)
{
    if (needs_frame(o, e))
        return failed;
    if (unpacks(e))
        return unpacking_call(o, e);
    if (e->value->kind == KN_E_ATTR)
        return method_call(o, e);
    return vector_call(o, e);
}
