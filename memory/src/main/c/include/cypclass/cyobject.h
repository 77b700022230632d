/*
 * cyobject.h - the C view of a Cypclass for Java object header.
 *
 * Every cypclass instance allocated by the Java library starts with this struct, followed by
 * its fields in C ABI order. It mirrors org.cypclass.memory.CyObjectHeader field for field;
 * the test suite compiles a program against this file and checks that every offset and the
 * size equal the Java layout, and that every constant below equals its Java twin.
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
 *
 * Cy_GETREF reads the count (for diagnostics and tests: another thread may change it the moment
 * after). On a thread-local object only the owner thread may read it, as for the updates.
 *
 * Handing a pointer back to Java: C passes the pointer with one count it holds to
 * CyType.adopt (Java: Adder.TYPE.adopt(pointer)), which checks that it is a live object of the
 * library's allocator, of that type, usable by the calling thread, and returns an owned Java
 * reference that now owns that count (no count changes; C must not Cy_DECREF it afterwards).
 * A foreign, dead or mistyped pointer is refused with an exception and no count changed. The
 * count is what makes this safe: a pointer C holds no count for may name a block freed, or
 * freed and reused by another object of the same type, meanwhile; such a big object (over
 * 8 KiB) may even go back to the C library between the check and the reads behind it.
 *
 * Locking a locked object from C (capability CY_LOCKED: Java's Isolated.consume(x).lock()):
 *   Cy_WLOCK / Cy_UNWLOCK take and give back the write lock, Cy_RLOCK / Cy_UNRLOCK a read
 *   lock, Cy_TRYWLOCK / Cy_TRYRLOCK try once. They are the very lock Java's Locked guards take
 *   (org.cypclass.memory.internal.LockWord): a C writer excludes Java readers and writers and
 *   the other way round, and a waiting writer keeps new readers out, whichever side they are on.
 *   The protocol, on ob_state with C11 sequentially consistent atomics as Java's volatile ones:
 *     - write lock: compare-and-set from "no writer, no reader" to "+ CY_LOCK_WRITER" (barging
 *       past a waiting writer is allowed, as in Java);
 *     - read lock: compare-and-set of "+ CY_LOCK_READER" from a state with no writer, no waiting
 *       writer and fewer than the maximum of readers;
 *     - release: an atomic subtraction of CY_LOCK_WRITER (of CY_LOCK_READER); if the state before
 *       it had CY_LOCK_PARKED or CY_LOCK_WRITER_WAITING (for a reader: and it was the last one),
 *       the releaser calls ob_type->tp_lock_wake, which wakes the parked threads in Java's
 *       parking lot exactly as a Java release does;
 *     - waiting: after a short bounded spin, ob_type->tp_lock_wait parks the calling thread in
 *       Java's parking lot (a native thread is attached to the JVM for that) until it holds the
 *       lock; it is woken by whoever releases, in C or in Java. No thread spins without bound.
 *   Cy_WLOCK and Cy_RLOCK return 0 once the lock is held; -1 if the object is not a locked root
 *   (nothing taken; an object inside a locked graph is reached under its root's lock); -2 if
 *   waiting failed in Java (reported in the org.cypclass.memory log; nothing taken).
 *   The locks are not reentrant: a thread that holds a lock (in C or through a Java guard) and
 *   asks for the write lock of the same object (or for a read lock while a writer waits) waits
 *   for itself. The caller holds a reference to the object for as long as it holds or waits for
 *   its lock. Fields read or written under the lock are ordinary loads and stores: the lock's
 *   atomics order them.
 *   Wait (Cy_WLOCK, Cy_RLOCK) only on platform threads: a Java virtual thread that waits inside
 *   them parks with this C frame on its stack, which pins its carrier, and once every carrier is
 *   pinned the holder of the lock cannot run again to release it. A virtual thread uses
 *   Cy_TRYWLOCK / Cy_TRYRLOCK and retries from Java. None of the calls that may wait or wake
 *   (the locks, their releases, Cy_DECREF) may run inside a downcall linked with
 *   Linker.Option.critical, which forbids upcalls.
 *
 * Calling methods from C (the class's methods marked @CExport, and its @Init constructors):
 *   the generated X.h declares struct X_methods, a table of function pointers that starts with a
 *   CyMethods head; C finds it as o->ob_type->tp_methods (the table of o's runtime class), or
 *   Java hands it over (X.TYPE.cMethods()), which a constructor needs. Every function returns an
 *   int32_t status, CY_OK (0) or one of the CY_E* codes below, and passes its result through a
 *   last pointer parameter (NULL drops it, except for a constructor); after a failure,
 *   Cy_LastError(table) returns the calling thread's message, valid until its next failure (a
 *   success leaves it, as errno). No Java exception ever crosses into C: the method's are caught
 *   in Java and come back as CY_EEXCEPTION with their text.
 *     - The receiver follows Java's rules: a thread-local object only on its owner thread (a
 *       native thread, never an object's owner, gets CY_EWRONG_THREAD, as another Java thread
 *       does); a locked object only while the lock is held (CY_ENOT_LOCKED if nobody holds it;
 *       a write under a read lock is CY_ECAPABILITY; the lock word records no thread, so the
 *       caller must be the holder, as for the fields); a frozen object from any thread, for
 *       methods that only read. An active object or one inside a locked graph: CY_ECAPABILITY.
 *     - The caller holds a count of the receiver and of every cypclass argument for the call,
 *       as for Cy_DECREF (a dead pointer is recognised only while its block is the
 *       allocator's: CY_EDEAD). An argument of the wrong class is CY_EARGUMENT.
 *     - A cypclass result comes with a count of its own, and a constructor's new object with
 *       its only count: C gives each back with Cy_DECREF (or hands it to Java with adopt).
 *     - Each call attaches a native thread to the JVM, which keeps it attached until it exits.
 *       The same rules as for the locks apply: no call inside a Linker.Option.critical downcall.
 *
 * This header is C11 (<stdatomic.h>, _Atomic fields): C++ code calls it from a C file.
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
    /* Waits in Java's parking lot until the calling thread holds the lock (write != 0: the
     * write lock, else a read lock); returns 0 then, -1 if nothing was taken. Never NULL. Only
     * Cy_WLOCK and Cy_RLOCK should call it, after their own tries failed. */
    int32_t (*tp_lock_wait)(struct CyObject *, int32_t write);
    /* Wakes the threads parked on the lock that the caller's release lets in (by_writer != 0:
     * a writer released). Never NULL. Only Cy_UNWLOCK and Cy_UNRLOCK should call it. */
    void (*tp_lock_wake)(struct CyObject *, int32_t by_writer);
    /* The type's methods exported to C (the generated struct X_methods of X.h, which starts with
     * a CyMethods), or NULL if the class exports none; set once, when the Java class is loaded. */
    const void *tp_methods;
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
#define CY_ACTIVE 6          /* an actor: its fields only by its own messages, never from C (C may hold it) */
#define CY_CAPABILITY_MASK 0xF
/* The reader-writer lock of a locked object, bits 8..31 of ob_state (the Java side's LockWord):
 * a writer, a waiting writer (new readers wait), parked threads, then the reader count. */
#define CY_LOCK_WRITER (1 << 8)
#define CY_LOCK_WRITER_WAITING (1 << 9)
#define CY_LOCK_PARKED (1 << 10)
#define CY_LOCK_READER (1 << 11)
#define CY_LOCK_READERS ((int32_t) (~0u << 11))   /* mask of the reader count */
/* ob_owner of an object whose count is atomic. */
#define CY_OWNER_SHARED (-1LL)
/* Set once the count must be updated atomically; never cleared. */
#define CY_ATOMIC_REFCOUNT (1 << 4)

_Static_assert(sizeof(CyObject) == 32, "the CyObject header is 32 bytes");
_Static_assert(_Alignof(CyObject) == 8, "the CyObject header is 8-byte aligned");
_Static_assert(sizeof(CyTypeObject) == 48, "CyTypeObject is 48 bytes");

/* The head of every table of exported methods (struct X_methods of a generated X.h). */
typedef struct CyMethods {
    const CyTypeObject *type;          /* the type whose methods these are */
    int32_t count;                     /* how many function pointers follow the head */
    int32_t reserved;                  /* 0 */
    /* The message of the calling thread's last failed call of an exported function, "" if none
     * failed; valid until that thread's next failure. */
    const char *(*last_error)(void);
} CyMethods;

_Static_assert(sizeof(CyMethods) == 24, "CyMethods is 24 bytes");

/* Statuses of the exported functions (org.cypclass.objects.generated.CExports has their twins). */
#define CY_OK 0
#define CY_EWRONG_THREAD (-1)  /* the receiver or an argument is thread-local to another thread */
#define CY_ENOT_LOCKED (-2)    /* the receiver is locked and nobody holds its lock */
#define CY_ECAPABILITY (-3)    /* another capability rule: active, inside a locked graph, a write to a
                                  frozen object or under a read lock */
#define CY_EDEAD (-4)          /* a NULL or dead receiver or argument */
#define CY_EARGUMENT (-5)      /* an argument of the wrong class, or a constructor's NULL result pointer */
#define CY_EEXCEPTION (-6)     /* the Java method threw; the message is its text */

/* The calling thread's last failure message, through any table of exported methods. */
#define Cy_LastError(methods) (((const CyMethods *) (methods))->last_error())

/* The table of exported methods of o's runtime class (a struct X_methods), or NULL if it has none. */
static inline const void *Cy_METHODS(const CyObject *o) {
    return o->ob_type->tp_methods;
}

/*
 * Debug checks of the count macros. Compile the C code with -DCY_DEBUG and install the check from
 * Java (org.cypclass.memory.CDebug.install with the library's SymbolLookup; run the JVM with
 * -Dcypclass.memory.debug=true so that freed blocks stay in quarantine, not reused, and stay
 * recognisable). Before each Cy_INCREF and Cy_DECREF, Cy_debug_check asks the Java allocator,
 * without reading the memory behind the pointer, whether it is a live object of the library: a
 * foreign pointer (not a block of the allocator), a freed block or a dead object makes the macro
 * print a message naming the block and the operation to stderr and abort(), instead of
 * corrupting memory. Cy_debug_check stays NULL (no check) until Java installs it; a library built
 * without CY_DEBUG has no hook and no cost.
 */
#define CY_DEBUG_INCREF 1
#define CY_DEBUG_DECREF 2
typedef int32_t (*Cy_DebugCheck)(const void *object, int32_t operation, char *message, int32_t capacity);
#ifdef CY_DEBUG
#include <stdio.h>
#include <stdlib.h>
/* One per shared library (a weak definition shared by its translation units); set by CDebug.install. */
__attribute__((weak)) Cy_DebugCheck Cy_debug_check = NULL;

static inline void Cy_DEBUG_CHECK(const void *o, int32_t operation) {
    if (Cy_debug_check != NULL) {
        char message[512];
        if (Cy_debug_check(o, operation, message, (int32_t) sizeof message) != 0) {
            fprintf(stderr, "cypclass: %s\n", message);
            fflush(stderr);
            abort();
        }
    }
}
#else
#define Cy_DEBUG_CHECK(o, operation) ((void) 0)
#endif

/* Takes a reference: relaxed, as in the Java library (making a reference from one you hold
 * publishes nothing). */
static inline void Cy_INCREF(CyObject *o) {
    Cy_DEBUG_CHECK(o, CY_DEBUG_INCREF);
    atomic_fetch_add_explicit(&o->nogil_ob_refcnt, 1, memory_order_relaxed);
}

/* Gives a reference back. The decrement is a release, so every write this thread made to the
 * object happens before its reference is given up; the one that drops the last reference then
 * issues an acquire fence, pairing with the release of every earlier decrement, so the
 * destructor sees all writes of all former holders (the Boost / Cython+ pattern, the same as
 * the Java library's). */
static inline void Cy_DECREF(CyObject *o) {
    Cy_DEBUG_CHECK(o, CY_DEBUG_DECREF);
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

/* Reads the count (an acquire load); a thread-local object's only on its owner thread. */
static inline int32_t Cy_GETREF(CyObject *o) {
    return atomic_load_explicit(&o->nogil_ob_refcnt, memory_order_acquire);
}

/* Cy_WLOCK and Cy_RLOCK's results other than 0. */
#define CY_LOCK_NOT_LOCKED (-1)
#define CY_LOCK_WAIT_FAILED (-2)
/* How many times a failed lock call retries before it parks (as Java's LockWord spins). */
#define CY_LOCK_SPINS 64

#if defined(__x86_64__) || defined(__i386__)
#define CY__RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define CY__RELAX() __asm__ __volatile__("yield")
#else
#define CY__RELAX() ((void) 0)
#endif

/* The state of a locked object nobody holds or waits for. */
#define CY__LOCK_FREE (CY_LOCKED | CY_ATOMIC_REFCOUNT)

/* Tries once to take the write lock; returns 1 if the calling thread now holds it, else 0. */
static inline int Cy_TRYWLOCK(CyObject *o) {
    int32_t state = CY__LOCK_FREE;
    if (atomic_compare_exchange_strong(&o->ob_state, &state, CY__LOCK_FREE | CY_LOCK_WRITER)) {
        return 1;
    }
    /* state now holds the current word. */
    return (state & CY_CAPABILITY_MASK) == CY_LOCKED && (state & (CY_LOCK_WRITER | CY_LOCK_READERS)) == 0
        && atomic_compare_exchange_strong(&o->ob_state, &state, state | CY_LOCK_WRITER);
}

/* Tries to take a read lock without waiting; returns 1 if the calling thread now holds one,
 * else 0. A compare-and-set lost to another reader is retried while the lock stays readable
 * (each failure means another thread's change went through). */
static inline int Cy_TRYRLOCK(CyObject *o) {
    int32_t state = atomic_load(&o->ob_state);
    while ((state & CY_CAPABILITY_MASK) == CY_LOCKED && (state & (CY_LOCK_WRITER | CY_LOCK_WRITER_WAITING)) == 0
            && (state & CY_LOCK_READERS) != CY_LOCK_READERS) {
        if (atomic_compare_exchange_strong(&o->ob_state, &state, (int32_t) ((uint32_t) state + CY_LOCK_READER))) {
            return 1;
        }
    }
    return 0;
}

/* The wait of Cy_WLOCK and Cy_RLOCK after a failed first try: a bounded spin, then Java parks. */
static inline int Cy__lock_slow(CyObject *o, int write) {
    if ((atomic_load(&o->ob_state) & CY_CAPABILITY_MASK) != CY_LOCKED) {
        return CY_LOCK_NOT_LOCKED;
    }
    for (int spin = 0; spin < CY_LOCK_SPINS; spin++) {
        CY__RELAX();
        if (write ? Cy_TRYWLOCK(o) : Cy_TRYRLOCK(o)) {
            return 0;
        }
    }
    return o->ob_type->tp_lock_wait(o, write) == 0 ? 0 : CY_LOCK_WAIT_FAILED;
}

/* Takes the write lock of a locked object, waiting as long as needed; see the rules above. */
static inline int Cy_WLOCK(CyObject *o) {
    return Cy_TRYWLOCK(o) ? 0 : Cy__lock_slow(o, 1);
}

/* Takes a read lock of a locked object, waiting as long as needed; see the rules above. */
static inline int Cy_RLOCK(CyObject *o) {
    return Cy_TRYRLOCK(o) ? 0 : Cy__lock_slow(o, 0);
}

/* Gives back the write lock the calling thread holds; wakes parked threads if there are any. */
static inline void Cy_UNWLOCK(CyObject *o) {
    int32_t before = atomic_fetch_sub(&o->ob_state, CY_LOCK_WRITER);
    if ((before & (CY_LOCK_PARKED | CY_LOCK_WRITER_WAITING)) != 0) {
        o->ob_type->tp_lock_wake(o, 1);
    }
}

/* Gives back a read lock the calling thread holds; the last reader wakes a parked writer. */
static inline void Cy_UNRLOCK(CyObject *o) {
    int32_t before = atomic_fetch_sub(&o->ob_state, CY_LOCK_READER);
    if ((before & CY_LOCK_READERS) == CY_LOCK_READER && (before & (CY_LOCK_PARKED | CY_LOCK_WRITER_WAITING)) != 0) {
        o->ob_type->tp_lock_wake(o, 0);
    }
}

#ifdef __cplusplus
}
#endif

#endif /* CYPCLASS_CYOBJECT_H */
