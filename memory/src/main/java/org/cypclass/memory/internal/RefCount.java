package org.cypclass.memory.internal;

import java.lang.invoke.VarHandle;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.IllegalRefCountException;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.cypclass.memory.CyObjectHeader.ATOMIC_REFCOUNT;
import static org.cypclass.memory.CyObjectHeader.DEAD;
import static org.cypclass.memory.CyObjectHeader.LOCAL;
import static org.cypclass.memory.CyObjectHeader.SHARED;
import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * All reference-count arithmetic on the {@link CyObjectHeader}: {@code Cy_INCREF},
 * {@code Cy_DECREF} and the switch from thread-local to shared counting.
 *
 * <h2>Two modes, chosen by the state word</h2>
 * <ul>
 *   <li><b>Plain</b> while the state word is exactly {@link CyObjectHeader#LOCAL}: only the
 *       owner thread ({@code ob_owner}) may touch the object, so the count is read and written
 *       with plain loads and stores, no atomic instruction. Another thread gets a
 *       {@link WrongThreadException}.</li>
 *   <li><b>Atomic</b> once {@link CyObjectHeader#ATOMIC_REFCOUNT} is set: any thread may
 *       retain and release; the count changes by compare-and-set only, so it can never be
 *       moved below zero or revived from zero, even by racing misuse.</li>
 * </ul>
 *
 * <h2>The one-way switch ({@link #share})</h2>
 * Only the owner may share, while it is still the only thread that can see the object. It
 * sets the state to {@code SHARED | ATOMIC_REFCOUNT} with a release store; the object then
 * reaches other threads through some happens-before edge (a volatile write, a queue, a thread
 * start), which carries the new state with it. So every thread that legitimately holds the
 * object reads the atomic state with a plain load, and plain and atomic updates are never
 * mixed on one count. Nothing turns the bit off.
 *
 * <h2>Memory ordering of the atomic mode (the Boost / Cython+ pattern)</h2>
 * <ul>
 *   <li>increment: {@code weakCompareAndSetPlain} (relaxed). Making a new reference from one
 *       you hold publishes nothing.</li>
 *   <li>decrement: {@code weakCompareAndSetRelease}. Every write this thread made to the object
 *       happens before its reference is given up.</li>
 *   <li>the decrement that reaches zero is followed by {@link VarHandle#acquireFence()}: it
 *       pairs with the release of every earlier decrement, so the destructor sees all writes
 *       of all former holders.</li>
 * </ul>
 *
 * <p><b>Unsafe.</b> Arguments are raw addresses of objects allocated by {@link #allocate}.
 * A dead object is reported as such while its block is not reused (in debug mode, for a long
 * while); after reuse a stale address is indistinguishable from the new object, so the safe
 * API above this package never lets a user hold an address without holding a count.
 *
 * <p>Thread-safety: as described for each mode above.
 */
public final class RefCount {

    /** The nogil count. Plain in thread-local mode, CAS-only in atomic mode (see class doc). */
    private static final VarHandle COUNT = headerField("nogil_ob_refcnt");
    /** The state word. Plain reads; written by the owner (release store when sharing). */
    private static final VarHandle STATE = headerField("ob_state");
    /** The owner thread id. Written once at initialization, before any other thread can see it. */
    private static final VarHandle OWNER = headerField("ob_owner");
    private static final VarHandle GC_COUNT = headerField("ob_refcnt");
    /** ob_type, written as a 64-bit integer: the layout's ADDRESS handle would need a MemorySegment. */
    private static final VarHandle TYPE = java.lang.foreign.ValueLayout.JAVA_LONG.varHandle();

    private RefCount() {
    }

    /**
     * Allocates an object: a zeroed block of {@code bytes} whose header is initialized as a
     * thread-local object of the calling thread with one reference.
     *
     * @param typeId the type from {@link BlockTypes#register}; its destructor runs on death
     * @param bytes the whole instance size, header included, at least {@link CyObjectHeader#SIZE}
     * @return the object's address, owning one reference
     */
    public static long allocate(int typeId, long bytes) {
        if (bytes < CyObjectHeader.SIZE) {
            throw new IllegalArgumentException("an object needs at least " + CyObjectHeader.SIZE
                + " bytes for its header, not " + bytes);
        }
        long object = Allocator.allocateZeroed(typeId, bytes);
        TYPE.set(ALL, object + CyObjectHeader.OB_TYPE, BlockTypes.typeObject(typeId));
        OWNER.set(ALL, object, Thread.currentThread().threadId());
        COUNT.set(ALL, object, 1);
        STATE.set(ALL, object, LOCAL);
        return object;
    }

    /**
     * {@code Cy_INCREF}: adds one reference.
     *
     * @param object a live object
     * @throws IllegalRefCountException if the object is dead or its count would overflow
     * @throws WrongThreadException if the object is thread-local to another thread
     */
    public static void retain(long object) {
        int state = (int) STATE.get(ALL, object);
        if (state == LOCAL && isOwner(object)) {
            int count = (int) COUNT.get(ALL, object);
            if (count > 0 && count < Integer.MAX_VALUE) {
                COUNT.set(ALL, object, count + 1);
                return;
            }
        } else if (isAtomic(state)) {
            int count = (int) COUNT.get(ALL, object);
            while (count > 0 && count < Integer.MAX_VALUE) {
                if (COUNT.weakCompareAndSetPlain(ALL, object, count, count + 1)) {
                    return;
                }
                count = (int) COUNT.getOpaque(ALL, object);
            }
        }
        throw refuse(object, "retain");
    }

    /**
     * {@code Cy_DECREF}: gives up one reference; the last one destroys the object on this
     * thread (its destructor runs, then its block is freed).
     *
     * @param object a live object
     * @return whether this call destroyed the object
     * @throws IllegalRefCountException if the object is already dead (count zero)
     * @throws WrongThreadException if the object is thread-local to another thread
     */
    public static boolean release(long object) {
        int state = (int) STATE.get(ALL, object);
        if (state == LOCAL && isOwner(object)) {
            int count = (int) COUNT.get(ALL, object);
            if (count > 1) {
                COUNT.set(ALL, object, count - 1);
                return false;
            }
            if (count == 1) {
                COUNT.set(ALL, object, 0);
                return die(object);
            }
        } else if (isAtomic(state)) {
            int count = (int) COUNT.get(ALL, object);
            while (count > 0) {
                if (COUNT.weakCompareAndSetRelease(ALL, object, count, count - 1)) {
                    if (count > 1) {
                        return false;
                    }
                    VarHandle.acquireFence();
                    return die(object);
                }
                count = (int) COUNT.getOpaque(ALL, object);
            }
        }
        throw refuse(object, "release");
    }

    /**
     * Switches a thread-local object to atomic counting so that any thread may retain and
     * release it. One-way; a no-op on an object already shared.
     *
     * @param object a live object owned by the calling thread, not yet handed to another thread
     * @throws WrongThreadException if another thread owns the object
     * @throws IllegalRefCountException if the object is dead
     */
    public static void share(long object) {
        int state = (int) STATE.get(ALL, object);
        if (isAtomic(state)) {
            return;
        }
        if (state != LOCAL || !isOwner(object) || (int) COUNT.get(ALL, object) <= 0) {
            throw refuse(object, "share");
        }
        STATE.setRelease(ALL, object, SHARED | ATOMIC_REFCOUNT);
    }

    /**
     * Returns its nogil reference count (a volatile read, for tests and diagnostics).
     *
     * @param object a live object
     * @return its nogil reference count (a volatile read, for tests and diagnostics)
     */
    public static int count(long object) {
        return (int) COUNT.getVolatile(ALL, object);
    }

    /**
     * Returns its state word (a volatile read).
     *
     * @param object a live object
     * @return its state word (a volatile read)
     */
    public static int state(long object) {
        return (int) STATE.getVolatile(ALL, object);
    }

    /**
     * Returns the count of garbage-collected references, {@code ob_refcnt}.
     *
     * @param object a live object
     * @return the count of garbage-collected references, {@code ob_refcnt}
     */
    public static long gcCount(long object) {
        return (long) GC_COUNT.getVolatile(ALL, object);
    }

    /**
     * Names an object the way Cython+ prints it, for messages.
     *
     * @param object an object's address
     * @return for example {@code <Adder object at 0x7f3a12c0>}
     */
    public static String describe(long object) {
        return String.format("<%s object at 0x%x>", BlockTypes.name(Allocator.typeOf(object)), object);
    }

    private static boolean isOwner(long object) {
        return (long) OWNER.get(ALL, object) == Thread.currentThread().threadId();
    }

    private static boolean isAtomic(int state) {
        int capability = CyObjectHeader.capability(state);
        return (state & ATOMIC_REFCOUNT) != 0 && capability != DEAD && capability < 8;
    }

    private static boolean die(long object) {
        STATE.set(ALL, object, DEAD);
        Destruction.run(object);
        return true;
    }

    /** Builds the exception for a refused operation, out of line to keep the fast paths small. */
    private static RuntimeException refuse(long object, String operation) {
        int state = (int) STATE.getVolatile(ALL, object);
        int count = (int) COUNT.getVolatile(ALL, object);
        String name = describe(object);
        int capability = CyObjectHeader.capability(state);
        if (capability == DEAD || !Allocator.isAllocated(object) || (capability != LOCAL && !isAtomic(state))) {
            return new IllegalRefCountException("cannot " + operation + " " + name
                + ": the object is dead (its last reference was released); a reference was used after release");
        }
        if (state == LOCAL && !isOwner(object)) {
            Thread current = Thread.currentThread();
            return new WrongThreadException(name + " is thread-local to the thread with id "
                + (long) OWNER.get(ALL, object) + "; thread \"" + current.getName() + "\" (id "
                + current.threadId() + ") may not " + operation + " it. Share it first, or use it on its owner thread");
        }
        if (count <= 0) {
            return new IllegalRefCountException("cannot " + operation + " " + name
                + ": its count is " + count + ", it was released more times than retained");
        }
        if (count == Integer.MAX_VALUE) {
            return new IllegalRefCountException("cannot " + operation + " " + name
                + ": its count would overflow " + Integer.MAX_VALUE);
        }
        return new IllegalRefCountException("cannot " + operation + " " + name + " in state "
            + CyObjectHeader.describeState(state));
    }

    private static VarHandle headerField(String name) {
        return CyObjectHeader.LAYOUT.varHandle(groupElement(name));
    }
}
