package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.IllegalRefCountException;

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
 *   <li><b>Plain</b> while the object is thread-local: {@code ob_owner} holds the owner
 *       thread's id. Only the owner may touch the object, so the hot path is one comparison of
 *       {@code ob_owner} with the caller's id, then plain loads and stores of the count, no
 *       atomic instruction. Another thread gets a {@link WrongThreadException}, unless the
 *       owner has terminated: then the object is an orphan, and the refused call (out of line)
 *       adopts it or releases it on the dead owner's behalf ({@link Orphans}).</li>
 *   <li><b>Atomic</b> once {@code ob_owner} is {@link CyObjectHeader#OWNER_SHARED} (and the
 *       state has {@link CyObjectHeader#ATOMIC_REFCOUNT}): any thread may retain and release
 *       with one atomic fetch-and-add.</li>
 *   <li>{@code ob_owner} is 0 once the object is dead; no thread has id 0 or -1, so one load
 *       and at most two comparisons pick the mode.</li>
 * </ul>
 *
 * <h2>The one-way switch ({@link #share})</h2>
 * Only the owner may share, while it is still the only thread that can see the object. It
 * sets the state to {@code SHARED | ATOMIC_REFCOUNT}, then {@code ob_owner} to
 * {@code OWNER_SHARED} with a release store; the object then
 * reaches other threads through some happens-before edge (a volatile write, a queue, a thread
 * start), which carries the new state with it. So every thread that legitimately holds the
 * object reads the atomic state with a plain load, and plain and atomic updates are never
 * mixed on one count. Nothing turns the bit off.
 *
 * <h2>Memory ordering of the atomic mode (the Boost / Cython+ pattern)</h2>
 * The pattern asks for a relaxed increment and a release decrement. Java has neither as a
 * single instruction: the JDK implements {@code getAndAddAcquire}/{@code getAndAddRelease}
 * as a load followed by a compare-and-set loop ({@code Unsafe.getAndAddIntAcquire}), while the
 * volatile {@code getAndAdd} is an intrinsic that compiles to one {@code lock xadd} on x86 and
 * one {@code ldaddal} on AArch64 with LSE. So both directions use the volatile
 * {@code getAndAdd}: stronger than the pattern needs, and cheaper than the weaker modes.
 * <ul>
 *   <li>increment: {@code getAndAdd}. A result of zero or less means the object was dead: the
 *       increment is undone and the call throws, so a misused count is back where it was when
 *       the exception is seen.</li>
 *   <li>decrement: {@code getAndAdd} (at least release: every write this thread made to the
 *       object happens before its reference is given up). A result of zero or less means the
 *       object was already dead: the decrement is undone and the call throws. The count of a
 *       dead object can thus read -1 for an instant, only to a racing misuse, which treats it
 *       as dead too; no call returns with a count below zero.</li>
 *   <li>the decrement that reaches zero is followed by {@link VarHandle#acquireFence()}: it
 *       pairs with the release of every earlier decrement, so the destructor sees all writes
 *       of all former holders (free on x86 after a locked instruction, and it keeps the
 *       pattern's reasoning explicit for weaker modes).</li>
 * </ul>
 *
 * <p><b>Unsafe.</b> Arguments are raw addresses of objects allocated by {@link #allocate}.
 * A dead object is reported as such while its block is not reused (in debug mode, for a long
 * while); after reuse a stale address is indistinguishable from the new object, so the safe
 * API above this package never lets a user hold an address without holding a count.
 *
 * <p>Thread-safety: safe to use from any thread, under the rule of each mode above: the count
 * of a thread-local object is its owner's alone, that of a shared object is atomic.
 */
public final class RefCount {

    // Every handle takes (ALL, object + field offset). Plain accesses go through the unaligned
    // layouts, which skip the alignment test (the header is 8-byte aligned by construction);
    // atomic access modes need the aligned layouts, which verify alignment as they must.

    /** The nogil count, atomic modes: volatile fetch-and-add in atomic mode (see class doc). */
    private static final VarHandle COUNT = ValueLayout.JAVA_INT.varHandle();
    /** The nogil count, plain loads and stores: thread-local mode only, by the owner. */
    private static final VarHandle COUNT_PLAIN = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    /** The state word, for the release store of {@link #share} and volatile diagnostics. */
    private static final VarHandle STATE = ValueLayout.JAVA_INT.varHandle();
    /** The state word, plain: read on the hot paths, written by the owner before sharing. */
    private static final VarHandle STATE_PLAIN = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    /**
     * The counting mode word: the owner thread's id while thread-local, OWNER_SHARED once the
     * count is atomic, 0 when dead. Every hot path starts with one plain load of it. Written
     * at initialization (before any other thread can see the object), then only by the owner:
     * with a release store when sharing (the object reaches other threads after that through
     * a happens-before edge), plainly when the object dies; and, once the owner thread has
     * terminated, by another thread with a volatile compare-and-set that adopts the orphan
     * ({@link Orphans}, which states the ordering).
     */
    private static final VarHandle OWNER = ValueLayout.JAVA_LONG.varHandle();
    /** The counting mode word, plain loads and stores. */
    private static final VarHandle OWNER_PLAIN = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    /** ob_refcnt, the count of garbage-collected references: atomic modes for shared objects. */
    private static final VarHandle GC_COUNT = ValueLayout.JAVA_LONG.varHandle();
    /** ob_refcnt, plain: thread-local objects, on the owner thread only. */
    private static final VarHandle GC_COUNT_PLAIN = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    /** ob_type, written as a 64-bit integer: an ADDRESS handle would need a MemorySegment. */
    private static final VarHandle TYPE = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private static final long COUNT_AT = CyObjectHeader.NOGIL_OB_REFCNT;
    private static final long STATE_AT = CyObjectHeader.OB_STATE;
    private static final long OWNER_AT = CyObjectHeader.OB_OWNER;
    private static final long GC_AT = CyObjectHeader.OB_REFCNT;

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
            throw tooSmall(bytes);
        }
        LocalHeap heap = LocalHeap.current();
        heap.releaseDeferred();
        long object = heap.allocate(typeId, bytes);
        long at = NativeAccess.ownAddress(object);
        // Every header word is written, so only the fields after it need zeroing.
        GC_COUNT_PLAIN.set(ALL, at + GC_AT, 0L);
        TYPE.set(ALL, at + CyObjectHeader.OB_TYPE, BlockTypes.typeObject(typeId));
        COUNT_PLAIN.set(ALL, at + COUNT_AT, 1);
        STATE_PLAIN.set(ALL, at + STATE_AT, LOCAL);
        OWNER_PLAIN.set(ALL, at + OWNER_AT, Thread.currentThread().threadId());
        if (bytes <= SizeClasses.MEDIUM_LIMIT) {
            NativeAccess.zero(at + CyObjectHeader.SIZE, bytes - CyObjectHeader.SIZE);
        }   // else a big block, zero at birth (Allocator.allocateBig): its untouched pages stay unresident
        return object;
    }

    /** Out of line: the message's concatenation would otherwise be compiled into every caller. */
    private static IllegalArgumentException tooSmall(long bytes) {
        return new IllegalArgumentException("an object needs at least " + CyObjectHeader.SIZE
            + " bytes for its header, not " + bytes);
    }

    /**
     * {@code Cy_INCREF}: adds one reference.
     *
     * @param object a live object
     * @throws IllegalRefCountException if the object is dead or its count would overflow
     * @throws WrongThreadException if the object is thread-local to another thread
     */
    public static void retain(long object) {
        long owner = (long) OWNER_PLAIN.get(ALL, object + OWNER_AT);
        if (owner == Thread.currentThread().threadId()) {
            int count = (int) COUNT_PLAIN.get(ALL, object + COUNT_AT);
            if (count != Integer.MAX_VALUE) {
                COUNT_PLAIN.set(ALL, object + COUNT_AT, count + 1);
                return;
            }
        } else if (owner == CyObjectHeader.OWNER_SHARED) {
            retainShared(object);
            return;
        }
        retainSlow(object);
    }

    /** Out of line: adopts an orphan (see {@link Orphans}) and retains it, else refuses. */
    private static void retainSlow(long object) {
        if (!isOwner(object) && Orphans.adopt(object)) {
            retain(object);
            return;
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
        long owner = (long) OWNER_PLAIN.get(ALL, object + OWNER_AT);
        if (owner == Thread.currentThread().threadId()) {
            int count = (int) COUNT_PLAIN.get(ALL, object + COUNT_AT);
            if (count > 1) {
                COUNT_PLAIN.set(ALL, object + COUNT_AT, count - 1);
                return false;
            }
            COUNT_PLAIN.set(ALL, object + COUNT_AT, 0);
            return die(object);
        } else if (owner == CyObjectHeader.OWNER_SHARED) {
            return releaseShared(object);
        }
        return releaseSlow(object);
    }

    /** Out of line: releases an orphan on its dead owner's behalf (see {@link Orphans}), else refuses. */
    private static boolean releaseSlow(long object) {
        Boolean destroyed = Orphans.releaseOnBehalf(object, false);
        if (destroyed == null) {
            throw refuse(object, "release");
        }
        return destroyed;
    }

    /**
     * {@code Cy_INCREF} for a caller that knows the object is shared (its counting mode can
     * never go back): one atomic fetch-and-add, no mode check. References typed as shared
     * use this; everything else uses {@link #retain}.
     *
     * @param object a live object in atomic counting mode
     * @throws IllegalRefCountException if the object is dead or its count would overflow
     */
    public static void retainShared(long object) {
        int before = (int) COUNT.getAndAdd(ALL, object + COUNT_AT, 1);
        if (before <= 0 || before == Integer.MAX_VALUE) {
            COUNT.getAndAdd(ALL, object + COUNT_AT, -1);
            throw refuse(object, "retain");
        }
    }

    /**
     * {@code Cy_DECREF} for a caller that knows the object is shared; see
     * {@link #retainShared}.
     *
     * @param object a live object in atomic counting mode
     * @return whether this call destroyed the object
     * @throws IllegalRefCountException if the object is already dead
     */
    public static boolean releaseShared(long object) {
        int before = (int) COUNT.getAndAdd(ALL, object + COUNT_AT, -1);
        if (before > 1) {
            return false;
        }
        if (before == 1) {
            VarHandle.acquireFence();
            return die(object);
        }
        COUNT.getAndAdd(ALL, object + COUNT_AT, 1);
        throw refuse(object, "release");
    }

    /**
     * Adds one garbage-collected reference ({@code ob_refcnt}). As in Cython+, all of them
     * together hold one nogil reference: the first takes it.
     *
     * @param object a live object, thread-local to the caller or shared
     * @throws WrongThreadException if the object is thread-local to another thread
     * @throws IllegalRefCountException if the object is dead
     */
    public static void retainGc(long object) {
        long owner = (long) OWNER_PLAIN.get(ALL, object + OWNER_AT);
        if (owner == Thread.currentThread().threadId()) {
            long before = (long) GC_COUNT_PLAIN.get(ALL, object + GC_AT);
            if (before == 0) {
                retain(object);
            }
            GC_COUNT_PLAIN.set(ALL, object + GC_AT, before + 1);
        } else if (owner == CyObjectHeader.OWNER_SHARED) {
            // The caller holds a reference (deterministic or GC) to the object, so the nogil
            // count cannot reach zero while this runs.
            if ((long) GC_COUNT.getAndAdd(ALL, object + GC_AT, 1L) == 0) {
                retainShared(object);
            }
        } else {
            retainGcSlow(object);
        }
    }

    /** Out of line: adopts an orphan (see {@link Orphans}) and retains it, else refuses. */
    private static void retainGcSlow(long object) {
        if (!isOwner(object) && Orphans.adopt(object)) {
            retainGc(object);
            return;
        }
        throw refuse(object, "retain");
    }

    /**
     * Gives up one garbage-collected reference; the last one gives up the nogil reference
     * they held together. Must run on the owner thread of a thread-local object: a cleaner
     * thread hands such releases to {@link LocalHeap#deferRelease}.
     *
     * @param object a live object
     * @return whether this call destroyed the object
     */
    public static boolean releaseGc(long object) {
        long owner = (long) OWNER_PLAIN.get(ALL, object + OWNER_AT);
        if (owner == Thread.currentThread().threadId()) {
            long before = (long) GC_COUNT_PLAIN.get(ALL, object + GC_AT);
            if (before > 0) {
                GC_COUNT_PLAIN.set(ALL, object + GC_AT, before - 1);
                return before == 1 && release(object);
            }
        } else if (owner == CyObjectHeader.OWNER_SHARED) {
            long before = (long) GC_COUNT.getAndAdd(ALL, object + GC_AT, -1L);
            if (before > 0) {
                return before == 1 && releaseShared(object);
            }
            GC_COUNT.getAndAdd(ALL, object + GC_AT, 1L);
        }
        return releaseGcSlow(object);
    }

    /** Out of line: releases an orphan's garbage-collected reference on its owner's behalf, else refuses. */
    private static boolean releaseGcSlow(long object) {
        Boolean destroyed = Orphans.releaseOnBehalf(object, true);
        if (destroyed == null) {
            throw refuse(object, "release a garbage-collected reference to");
        }
        return destroyed;
    }

    /**
     * {@return whether the calling thread may use the object: it is thread-local to this thread
     * ({@code ob_owner} is the calling thread's id)}
     *
     * @param object a live object
     */
    public static boolean isOwnedByCurrentThread(long object) {
        return (long) OWNER_PLAIN.get(ALL, object + OWNER_AT) == Thread.currentThread().threadId();
    }

    /**
     * {@return the counting-mode word of an object: the owner thread id,
     * {@link CyObjectHeader#OWNER_SHARED} or 0 (dead)}
     *
     * @param object an object's address
     */
    public static long owner(long object) {
        return (long) OWNER_PLAIN.get(ALL, object + OWNER_AT);
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
        long owner = (long) OWNER_PLAIN.get(ALL, object + OWNER_AT);
        if (owner == CyObjectHeader.OWNER_SHARED) {
            return;
        }
        if (owner != Thread.currentThread().threadId()) {
            throw refuse(object, "share");
        }
        // Borrowed references taken while the object was thread-local assumed its owner; a new
        // stamp makes them fail instead of touching a shared object without its capability.
        Allocator.renewStamp(object);
        STATE_PLAIN.set(ALL, object + STATE_AT, SHARED | ATOMIC_REFCOUNT);
        OWNER.setRelease(ALL, object + OWNER_AT, CyObjectHeader.OWNER_SHARED);
    }

    /**
     * Makes a new object frozen from birth (an immutable built-in type such as a string):
     * state {@code FROZEN | ATOMIC_REFCOUNT}, {@code ob_owner} {@code OWNER_SHARED}. As for
     * {@link #share}, only the allocating thread may do it, before any other thread can see
     * the object; it holds no references, so there is no graph to switch, and no borrowed
     * reference to it exists yet, so its stamp stays.
     *
     * @param object an object just made by {@link #allocate} on this thread
     */
    public static void freezeNew(long object) {
        STATE_PLAIN.set(ALL, object + STATE_AT, CyObjectHeader.FROZEN | ATOMIC_REFCOUNT);
        OWNER.setRelease(ALL, object + OWNER_AT, CyObjectHeader.OWNER_SHARED);
    }

    /**
     * Tells whether a live block holds an object (made by {@link #allocate}) rather than raw
     * memory: its {@code ob_type} word is its type's type object, which {@link #allocate}
     * writes and raw memory holds only if it copied that very pointer there. For reports.
     *
     * @param block a live block
     * @param typeId its type
     * @param size its usable size
     * @return whether it has an object header
     */
    public static boolean isObject(long block, int typeId, long size) {
        return size >= CyObjectHeader.SIZE && BlockTypes.isRegistered(typeId)
            && (long) TYPE.get(ALL, block + CyObjectHeader.OB_TYPE) == BlockTypes.typeObject(typeId);
    }

    /**
     * {@return the nogil reference count of {@code object} (a volatile read, for tests and
     * diagnostics)}
     *
     * @param object a live object
     */
    public static int count(long object) {
        return (int) COUNT.getVolatile(ALL, object + COUNT_AT);
    }

    /**
     * {@return the state word of {@code object} (a volatile read)}
     *
     * @param object a live object
     */
    public static int state(long object) {
        return (int) STATE.getVolatile(ALL, object + STATE_AT);
    }

    /**
     * {@return the count of garbage-collected references to {@code object}, {@code ob_refcnt}}
     *
     * @param object a live object
     */
    public static long gcCount(long object) {
        return (long) GC_COUNT.getVolatile(ALL, object + GC_AT);
    }

    /**
     * Names an object the way Cython+ prints it, for messages.
     *
     * @param object an object's address
     * @return for example {@code <Adder object at 0x7f3a12c0>}
     */
    public static String describe(long object) {
        return describe(BlockTypes.name(Allocator.typeOf(object)), object);
    }

    /**
     * Names an object of a known type the way Cython+ prints it: the one place of that form,
     * for holders that print an object they may no longer be allowed to read.
     *
     * @param type    the type's name
     * @param address the object's address (or the identity it had)
     * @return for example {@code <Adder object at 0x7f3a12c0>}
     */
    public static String describe(String type, long address) {
        return String.format("<%s object at 0x%x>", type, address);
    }

    /**
     * Finishes a C {@code Cy_DECREF} that took the count from one to zero: the body of
     * {@code tp_dealloc} ({@link TpDealloc}). C has already decremented (release) and fenced
     * (acquire), so this only checks and destroys, the way {@link #release} does once the
     * count is zero:
     * <ul>
     *   <li>thread-local to the calling thread (C called from Java on the owner thread), or
     *       shared (any thread, a native one included): marks the object dead and destroys it
     *       here, dealloc hook and reference fields included;</li>
     *   <li>thread-local to another thread: that C call broke the rule (see {@code cyobject.h})
     *       and this thread may not touch the object, whose state and destruction belong to
     *       the owner. If the owner has ended, the object is an orphan ({@link Orphans}): this
     *       thread takes it over and destroys it. Else the destruction is handed to the owner's heap
     *       ({@link LocalHeap#deferDestruction}), which runs it at its next object allocation
     *       or {@link LocalHeap#releaseDeferred} call; the object stays live until then.</li>
     * </ul>
     *
     * @param object an object whose nogil count C has just taken to zero
     * @return true if destroyed on this thread, false if handed to its owner thread
     * @throws IllegalRefCountException if the object is dead or its count is not zero
     * @throws IllegalStateException if its owner thread has ended and another thread took the
     *         object over meanwhile
     * @throws RuntimeException what a destructor threw (the object is freed regardless)
     */
    static boolean lastReleasedByC(long object) {
        long owner = (long) OWNER_PLAIN.get(ALL, object + OWNER_AT);
        if (owner == 0) {
            throw new IllegalRefCountException("tp_dealloc was called on " + describe(object)
                + ", which is already dead: C released a reference it did not hold, or called tp_dealloc itself");
        }
        // Cold path: a volatile read, whatever the mode. On the owner thread C's decrement
        // precedes it in program order; on a shared object C's acquire fence orders it.
        int count = (int) COUNT.getVolatile(ALL, object + COUNT_AT);
        if (count != 0) {
            throw new IllegalRefCountException("tp_dealloc was called on " + describe(object) + " whose count is "
                + count + ", not 0: only Cy_DECREF may call it, right after it released the last reference");
        }
        if (owner == Thread.currentThread().threadId() || owner == CyObjectHeader.OWNER_SHARED) {
            return die(object);
        }
        LocalHeap heap = LocalHeap.ofThread(owner);
        if (heap == null || heap.ownerTerminated()) {
            // An orphan: its owner's plain writes happen before this (see Orphans), so this
            // thread may take it over and destroy it; the CAS keeps two such calls apart.
            LocalHeap.current();
            if (casOwner(object, owner, Thread.currentThread().threadId())) {
                return die(object);
            }
            throw new IllegalStateException("C released the last reference to " + describe(object)
                + " on a thread that does not own it, and its owner (" + ThreadNames.ofId(owner)
                + ") has ended, but another thread took the object over meanwhile (owner now " + owner(object) + ")");
        }
        heap.deferDestruction(object);
        return false;
    }

    /**
     * Runs, on the owner thread, a destruction that {@link #lastReleasedByC} handed over.
     *
     * @param object a thread-local object of the calling thread whose count C took to zero
     * @throws IllegalRefCountException if the object is no longer in that state
     * @throws RuntimeException what a destructor threw (the object is freed regardless)
     */
    static void destroyHandedOver(long object) {
        // The hand-over queue orders C's decrement before these reads.
        if (!isOwner(object) || (int) COUNT_PLAIN.get(ALL, object + COUNT_AT) != 0) {
            throw new IllegalRefCountException("the destruction of " + describe(object) + " handed over by C cannot run:"
                + " its count or owner changed after C released its last reference (count "
                + count(object) + ", owner " + owner(object) + ")");
        }
        die(object);
    }

    /** ob_owner, a volatile read: the orphan protocol ({@link Orphans}) reads it against other threads' CAS. */
    static long ownerVolatile(long object) {
        return (long) OWNER.getVolatile(ALL, object + OWNER_AT);
    }

    /** ob_owner from {@code expected} to {@code owner}, a volatile compare-and-set: adoption, see {@link Orphans}. */
    static boolean casOwner(long object, long expected, long owner) {
        return OWNER.compareAndSet(ALL, object + OWNER_AT, expected, owner);
    }

    /** ob_owner, a volatile store: an orphan handed back to its dead owner after a release, see {@link Orphans}. */
    static void setOwnerVolatile(long object, long owner) {
        OWNER.setVolatile(ALL, object + OWNER_AT, owner);
    }

    private static boolean isOwner(long object) {
        return (long) OWNER_PLAIN.get(ALL, object + OWNER_AT) == Thread.currentThread().threadId();
    }

    private static boolean die(long object) {
        OWNER_PLAIN.set(ALL, object + OWNER_AT, 0L);
        STATE_PLAIN.set(ALL, object + STATE_AT, DEAD);
        Destruction.run(object);
        return true;
    }

    /** Builds the exception for a refused operation, out of line to keep the fast paths small. */
    private static RuntimeException refuse(long object, String operation) {
        int state = (int) STATE.getVolatile(ALL, object + STATE_AT);
        int count = (int) COUNT.getVolatile(ALL, object + COUNT_AT);
        String name = describe(object);
        int capability = CyObjectHeader.capability(state);
        boolean atomic = (state & ATOMIC_REFCOUNT) != 0;
        if (capability == DEAD || !Allocator.isAllocated(object) || (capability != LOCAL && !atomic) || count <= 0) {
            return new IllegalRefCountException("cannot " + operation + " " + name
                + ": the object is dead (its last reference was released); a reference was used after release"
                + " or released one time too many");
        }
        if (count == Integer.MAX_VALUE && operation.equals("retain")) {
            return new IllegalRefCountException("cannot " + operation + " " + name
                + ": its count would overflow " + Integer.MAX_VALUE);
        }
        if (capability == LOCAL && !atomic && !isOwner(object)) {
            return new WrongThreadException(name + " is thread-local to "
                + ThreadNames.ofId((long) OWNER_PLAIN.get(ALL, object + OWNER_AT)) + "; " + ThreadNames.current()
                + " may not " + operation + " it. Use it on its owner thread, or hand it"
                + " over as a capability: Isolated.consume(reference) then adopt(), lock() or freeze()"
                + " (org.cypclass.objects.capabilities)");
        }
        return new IllegalRefCountException("cannot " + operation + " " + name + " in state "
            + CyObjectHeader.describeState(state));
    }
}
