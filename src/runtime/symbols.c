/* The table of everything compiled code calls, by name and address. */
#include "runtime/symbols.h"

#include <Python.h>

#include "runtime/arith.h"
#include "runtime/array.h"
#include "runtime/box.h"
#include "runtime/interrupt.h"
#include "runtime/objmode.h"
#include "runtime/raise.h"

#define SYMBOL(s)                                                                                  \
    {                                                                                              \
#s, (void *)&s                                                                             \
    }

const kn_rt_symbol kn_rt_symbols[] = {
    SYMBOL(kn_rt_interrupt_requested),
    SYMBOL(kn_rt_interrupted),
    SYMBOL(kn_rt_raise),
    SYMBOL(kn_rt_raise_class),
    SYMBOL(kn_rt_ipow),
    SYMBOL(kn_rt_upow),
    SYMBOL(kn_rt_float_to_int),
    SYMBOL(kn_rt_round_int),
    SYMBOL(kn_rt_round_ndigits),
    SYMBOL(kn_rt_cdiv),
    SYMBOL(kn_rt_cpow),
    SYMBOL(kn_rt_cmath),
    SYMBOL(kn_rt_unbox_int),
    SYMBOL(kn_rt_unbox_float),
    SYMBOL(kn_rt_unbox_bool),
    SYMBOL(kn_rt_unbox_complex),
    SYMBOL(kn_rt_unbox_tuple_item),
    SYMBOL(kn_rt_box_bool),
    SYMBOL(kn_rt_box_none),
    SYMBOL(kn_rt_box_tuple),
    SYMBOL(kn_rt_unbox_array),
    SYMBOL(kn_rt_box_array),
    SYMBOL(kn_rt_array_new),
    SYMBOL(kn_rt_index_error),
    SYMBOL(kn_rt_float_index),
    SYMBOL(kn_rt_shape_error),
    SYMBOL(kn_rt_obj_getitem),
    SYMBOL(kn_rt_obj_setitem),
    SYMBOL(kn_rt_obj_getitem_at),
    SYMBOL(kn_rt_obj_setitem_at),
    SYMBOL(kn_rt_obj_binary),
    SYMBOL(kn_rt_obj_get_method),
    SYMBOL(kn_rt_obj_dict_get),
    SYMBOL(_Py_Dealloc),
    SYMBOL(PyLong_FromLongLong),
    SYMBOL(PyLong_FromUnsignedLongLong),
    SYMBOL(PyFloat_FromDouble),
    SYMBOL(PyComplex_FromDoubles),
};

const int kn_rt_nsymbols = sizeof kn_rt_symbols / sizeof kn_rt_symbols[0];
