/* A shared library that works on live objects allocated by Java, through cyobject.h only. */
#include <string.h>
#include <cypclass/cyobject.h>

int32_t cy_test_nogil_refcnt(CyObject *o) {
    return atomic_load_explicit(&o->nogil_ob_refcnt, memory_order_acquire);
}

int32_t cy_test_state(CyObject *o) {
    return atomic_load_explicit(&o->ob_state, memory_order_acquire);
}

int64_t cy_test_owner(CyObject *o) {
    return atomic_load_explicit(&o->ob_owner, memory_order_relaxed);
}

/* Copies the type name into buffer (at most size bytes, NUL-terminated); returns tp_id. */
int32_t cy_test_type_name(CyObject *o, char *buffer, size_t size) {
    strncpy(buffer, o->ob_type->tp_name, size - 1);
    buffer[size - 1] = '\0';
    return o->ob_type->tp_id;
}

void cy_test_incref(CyObject *o) {
    Cy_INCREF(o);
}

void cy_test_decref(CyObject *o) {
    Cy_DECREF(o);
}

/* Reads the first int32 field after the header, as C code reading an object's data would. */
int32_t cy_test_first_int_field(CyObject *o) {
    return *(int32_t *) (o + 1);
}
