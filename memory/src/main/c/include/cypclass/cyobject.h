/*
 * cyobject.h - the C view of a Cypclass for Java object header.
 *
 * Every cypclass instance allocated by the Java library starts with this struct, followed by
 * its fields in C ABI order. It mirrors org.cypclass.memory.CyObjectHeader field for field;
 * the test suite compiles a program against this file and checks that every offset and the
 * size equal the Java layout.
 *
 * C code that receives an object pointer from Java may read its fields, and may own references:
 * Cy_INCREF takes one, Cy_DECREF (Cy_XDECREF for a pointer that may be NULL) gives one back.
 * A Cy_DECREF that gives back the last reference destroys the object exactly as Java would:
 * it calls ob_type->tp_dealloc, an upcall into the Java library that marks the object dead,
 * runs its @Dealloc hook, releases its reference fields and frees its block, all on the
 * calling thread, before Cy_DECREF returns.
 *
 * Which threads may move a count:
 *   - a shared object (ob_state has CY_ATOMIC_REFCOUNT, ob_owner == CY_OWNER_SHARED): any
 *     thread, including a native thread the JVM never created (the upcall attaches it);
 *   - a thread-local object (ob_owner is a Java thread id): only its owner thread, that is C
 *     code called from Java on that thread. Java updates such a count with plain loads and
 *     stores, so a Cy_INCREF or Cy_DECREF from another thread races with it: undefined
 *     behaviour, which the library cannot detect, except in one case it repairs. If a foreign
 *     thread's Cy_DECREF drops the last count, tp_dealloc does not touch the object on that
 *     thread: it hands the destruction to the owner thread, which runs it at its next object
 *     creation or CyObject.releaseCollected() (a warning is logged).
 *
 * Releasing a reference one time too many is undefined behaviour, as in CPython: the object
 * may already be freed, so Cy_DECREF does not look at it again.
 */
#ifndef CYPCLASS_CYOBJECT_H
#define CYPCLASS_CYOBJECT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct CyObject;

/* Native type object, one per registered type (org.cypclass.memory.internal.BlockTypes). */
typedef struct CyTypeObject {
    const char *tp_name;   /* NUL-terminated type name */
    int32_t tp_id;         /* the type's id in the Java registry */
    int32_t tp_flags;      /* reserved, 0 */
    /* Destroys an object whose count Cy_DECREF took to zero; see the rules above. Never NULL.
     * Only Cy_DECREF should call it, once, right after dropping the last reference. */
    void (*tp_dealloc)(struct CyObject *);
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
#define CY_LOCKED 3          /* root of a locked graph: fields only under its lock */
#define CY_LOCKED_MEMBER 4   /* inside a locked graph: only under its root's lock */
#define CY_FROZEN 5          /* read-only; any thread reads it without a lock */
#define CY_CAPABILITY_MASK 0xF
/* The reader-writer lock of a locked object, bits 8..31 of ob_state (the Java side's LockWord):
 * a writer, a waiting writer (new readers wait), parked threads, then the reader count. */
#define CY_LOCK_WRITER (1 << 8)
#define CY_LOCK_WRITER_WAITING (1 << 9)
#define CY_LOCK_PARKED (1 << 10)
#define CY_LOCK_READER (1 << 11)
/* ob_owner of an object whose count is atomic. */
#define CY_OWNER_SHARED (-1LL)
/* Set once the count must be updated atomically; never cleared. */
#define CY_ATOMIC_REFCOUNT (1 << 4)

_Static_assert(sizeof(CyObject) == 32, "the CyObject header is 32 bytes");
_Static_assert(_Alignof(CyObject) == 8, "the CyObject header is 8-byte aligned");
_Static_assert(sizeof(CyTypeObject) == 24, "CyTypeObject is 24 bytes");

/* Takes a reference: relaxed, as in the Java library (making a reference from one you hold
 * publishes nothing). */
static inline void Cy_INCREF(CyObject *o) {
    atomic_fetch_add_explicit(&o->nogil_ob_refcnt, 1, memory_order_relaxed);
}

/* Gives a reference back. The decrement is a release, so every write this thread made to the
 * object happens before its reference is given up; the one that drops the last reference then
 * issues an acquire fence, pairing with the release of every earlier decrement, so the
 * destructor sees all writes of all former holders (the Boost / Cython+ pattern, the same as
 * the Java library's). */
static inline void Cy_DECREF(CyObject *o) {
    if (atomic_fetch_sub_explicit(&o->nogil_ob_refcnt, 1, memory_order_release) == 1) {
        atomic_thread_fence(memory_order_acquire);
        o->ob_type->tp_dealloc(o);
    }
}

/* Cy_DECREF for a pointer that may be NULL (then it does nothing). */
static inline void Cy_XDECREF(CyObject *o) {
    if (o != NULL) {
        Cy_DECREF(o);
    }
}

#ifdef __cplusplus
}
#endif

#endif /* CYPCLASS_CYOBJECT_H */
