/*
 * cyobject.h - the C view of a Cypclass for Java object header.
 *
 * Every cypclass instance allocated by the Java library starts with this struct, followed by
 * its fields in C ABI order. It mirrors org.cypclass.memory.CyObjectHeader field for field;
 * the test suite compiles a program against this file and checks that every offset and the
 * size equal the Java layout.
 *
 * C code that receives an object pointer from Java may read its fields, and may take and give
 * back references with Cy_INCREF / Cy_DECREF on objects whose state has CY_ATOMIC_REFCOUNT set
 * (shared objects), or on thread-local objects when called on the owner thread. The last
 * reference must be released by Java, which runs the destructor: Cy_DECREF never frees.
 */
#ifndef CYPCLASS_CYOBJECT_H
#define CYPCLASS_CYOBJECT_H

#include <stdatomic.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Native type object, one per registered type (org.cypclass.memory.internal.BlockTypes). */
typedef struct CyTypeObject {
    const char *tp_name;   /* NUL-terminated type name */
    int32_t tp_id;         /* the type's id in the Java registry */
    int32_t tp_flags;      /* reserved, 0 */
} CyTypeObject;

/* The object header: PyObject head, then the nogil count and the capability words. */
typedef struct CyObject {
    int64_t ob_refcnt;                  /* references from the garbage-collected world */
    CyTypeObject *ob_type;              /* the object's type */
    _Atomic int32_t nogil_ob_refcnt;    /* deterministic references */
    _Atomic int32_t ob_state;           /* capability | CY_ATOMIC_REFCOUNT | lock bits */
    _Atomic int64_t ob_owner;           /* counting mode: owner thread id (Thread.threadId()) while
                                           thread-local, CY_OWNER_SHARED once atomic, 0 when dead */
} CyObject;

/* Capability codes, bits 0..3 of ob_state. */
#define CY_DEAD   0
#define CY_LOCAL  1
#define CY_SHARED 2
#define CY_CAPABILITY_MASK 0xF
/* ob_owner of an object whose count is atomic. */
#define CY_OWNER_SHARED (-1LL)
/* Set once the count must be updated atomically; never cleared. */
#define CY_ATOMIC_REFCOUNT (1 << 4)

_Static_assert(sizeof(CyObject) == 32, "the CyObject header is 32 bytes");
_Static_assert(_Alignof(CyObject) == 8, "the CyObject header is 8-byte aligned");

/* Takes a reference: relaxed, as in the Java library. */
static inline void Cy_INCREF(CyObject *o) {
    atomic_fetch_add_explicit(&o->nogil_ob_refcnt, 1, memory_order_relaxed);
}

/* Gives a reference back (release) and returns the count left. Never frees: if this was the
 * last reference, the object leaks until Java is told; C must only release what it retained. */
static inline int32_t Cy_DECREF(CyObject *o) {
    return atomic_fetch_sub_explicit(&o->nogil_ob_refcnt, 1, memory_order_release) - 1;
}

#ifdef __cplusplus
}
#endif

#endif /* CYPCLASS_CYOBJECT_H */
