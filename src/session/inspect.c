/* Inspection: what IPython's `obj?` shows, for the name at the cursor, found without calling it. */
#include "session/internal.h"

#include <string.h>

/*
 * Attributes are read with inspect.getattr_static, so no property or
 * __getattr__ runs; a plain function read from an instance is bound to it,
 * which calls nothing, so its signature leaves out self.
 */
static const char inspect_source[] =
    "def field(get, obj):\n"
    "    try: return get(obj).rstrip('\\n')\n"
    "    except Exception: return None\n"
    "def inspect_text(name, namespace, detail):\n"
    "    import builtins, inspect, types\n"
    "    head, *rest = name.split('.')\n"
    "    if head in namespace: obj = namespace[head]\n"
    "    elif hasattr(builtins, head): obj = getattr(builtins, head)\n"
    "    else: return None\n"
    "    for part in rest:\n"
    "        try: owner, obj = obj, inspect.getattr_static(obj, part)\n"
    "        except AttributeError: return None\n"
    "        if isinstance(obj, types.FunctionType) and not isinstance(owner, type):\n"
    "            obj = obj.__get__(owner)\n"
    "    form = field(str, obj) or ''\n"
    "    if len(form) > 200: form = form[:150] + ' ... ' + form[-40:]\n"
    "    signature = lambda o: (rest or [head])[-1] + str(inspect.signature(o))\n"
    "    fields = [('Type', type(obj).__name__), ('String form', form),\n"
    "              ('Signature', field(signature, obj)),\n"
    "              ('Docstring', field(inspect.getdoc, obj) or '<no docstring>'),\n"
    "              ('Source', detail and field(inspect.getsource, obj)),\n"
    "              ('File', field(inspect.getfile, obj))]\n"
    "    width = max(len(t) for t, _ in fields) + 2\n"
    "    return '\\n'.join(f'{t}:\\n{v}' if '\\n' in v else f'{t + \":\":<{width}}{v}'\n"
    "                     for t, v in fields if v)\n";

static PyObject *inspect_reply(kn_session *s, const char *code, int cursor_pos, int detail)
{
    PyObject *text = PyUnicode_DecodeUTF8(code, (Py_ssize_t)strlen(code), "replace");
    if (!text)
        return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text), start, end;
    Py_ssize_t cursor = cursor_pos < 0 || cursor_pos > len ? len : cursor_pos;
    PyObject *name = kn_session_name_at(text, cursor, &start, &end)
                         ? PyUnicode_Substring(text, start, end)
                         : NULL;
    PyObject *fn = name ? kn_session_helper(s, "inspect_text", inspect_source) : NULL;
    PyObject *found = fn ? PyObject_CallFunction(fn, "OOi", name, s->main_dict, detail) : NULL;
    Py_DECREF(text);
    Py_XDECREF(name);
    PyErr_Clear();
    PyObject *reply = found && PyUnicode_Check(found)
                          ? Py_BuildValue("{s:s,s:O,s:{s:O},s:{}}", "status", "ok", "found",
                                          Py_True, "data", "text/plain", found, "metadata")
                          : Py_BuildValue("{s:s,s:O,s:{},s:{}}", "status", "ok", "found", Py_False,
                                          "data", "metadata");
    Py_XDECREF(found);
    return reply;
}

char *kn_session_inspect(kn_session *s, const char *code, int cursor_pos, int detail_level)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *reply = inspect_reply(s, code ? code : "", cursor_pos, detail_level);
    char *text = kn_session_json_reply(
        reply, "{\"status\":\"ok\",\"found\":false,\"data\":{},\"metadata\":{}}");
    Py_XDECREF(reply);
    PyGILState_Release(gil);
    return text;
}
