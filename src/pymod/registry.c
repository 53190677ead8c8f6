/* The log of compiled specializations: what the per-cell report lists. */
#include "pymod/registry.h"

typedef struct record {
    PyObject *dispatcher; /* a strong reference: keeps spec alive */
    kn_specialization *spec;
} record;

static record *records; /* records[i] is compilation number first + i */
static size_t nrecords, capacity;
static size_t first; /* the number of records[0] */

void kn_pymod_registry_add(PyObject *dispatcher, kn_specialization *spec)
{
    if (nrecords == capacity) {
        size_t n = capacity ? capacity * 2 : 16;
        record *grown = PyMem_Realloc(records, n * sizeof *records);
        /* Out of memory: the compiled code works; only the report misses it. */
        if (!grown)
            return;
        records = grown;
        capacity = n;
    }
    records[nrecords++] = (record){Py_NewRef(dispatcher), spec};
}

size_t kn_pymod_compile_mark(void)
{
    /* Detached first: releasing a dispatcher runs arbitrary code, which may compile and log. */
    record *old = records;
    size_t n = nrecords;
    records = NULL;
    nrecords = capacity = 0;
    first += n;
    for (size_t i = 0; i < n; i++)
        Py_DECREF(old[i].dispatcher);
    PyMem_Free(old);
    return first;
}

void kn_pymod_compiled_since(size_t mark, kn_pymod_compiled_fn visit, void *ctx)
{
    for (size_t i = mark > first ? mark - first : 0; i < nrecords; i++)
        visit(ctx, records[i].dispatcher, records[i].spec);
}
