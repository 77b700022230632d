package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.cypclass.memory.CyObjectHeader;

import static org.cypclass.memory.CyObjectHeader.PARKED;
import static org.cypclass.memory.CyObjectHeader.READER;
import static org.cypclass.memory.CyObjectHeader.READERS;
import static org.cypclass.memory.CyObjectHeader.WRITER;
import static org.cypclass.memory.CyObjectHeader.WRITER_WAITING;
import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The reader-writer lock of a locked object, kept in the high bits of its header's state word
 * ({@code ob_state}): no monitor, no Java object and no allocation per locked object.
 *
 * <pre>
 *   bit 8       WRITER          a writer holds the lock
 *   bit 9       WRITER_WAITING  a writer is parked: new readers wait behind it
 *   bit 10      PARKED          some thread is parked: whoever releases must wake it
 *   bits 11-31  readers         how many readers hold the lock (at most 2^21 - 1; one more waits)
 * </pre>
 *
 * <h2>Fast paths</h2>
 * Taking the write lock is one compare-and-set from "no writer, no reader" to "writer"; giving
 * it back is one atomic add of {@code -WRITER}, whose result says whether anyone is parked.
 * A reader adds {@code READER} with a compare-and-set while there is no writer and none
 * waiting, and subtracts it with an atomic add. All are volatile read-modify-writes, so
 * everything written under a guard happens before the next guard's acquisition, and the bits
 * 0..7 (capability, atomic count) are never changed by the lock.
 *
 * <h2>Waiting</h2>
 * A thread that cannot take the lock spins briefly, then parks in a parking lot keyed by the
 * object's address (64 buckets, each a {@link ReentrantLock} and a list of waiters: the
 * {@code parking_lot} design of WebKit and Rust). It sets {@code PARKED} (and, for a writer,
 * {@code WRITER_WAITING}) with a compare-and-set made while holding its bucket, after checking
 * once more that the lock is still taken. A releaser that sees {@code PARKED} takes the same
 * bucket, so no wake-up is lost. Who is woken:
 * <ul>
 *   <li>when the last reader leaves: one waiting writer, {@code WRITER_WAITING} kept while
 *       writers wait, so readers arriving meanwhile queue behind it (no writer starvation);</li>
 *   <li>when a writer leaves: every waiting reader (and {@code WRITER_WAITING} cleared, so
 *       they can enter), or one writer if no reader waits. Writers woken with readers re-park
 *       and set the bit again: readers and writers alternate.</li>
 * </ul>
 * A timed or interrupted waiter that gives up removes itself and recomputes the bits under its
 * bucket, waking whoever its leaving unblocks.
 *
 * <h2>C takes the same lock</h2>
 * {@code cyobject.h}'s {@code Cy_WLOCK}, {@code Cy_RLOCK}, {@code Cy_UNWLOCK} and
 * {@code Cy_UNRLOCK} make the fast-path transitions above with C11 sequentially consistent
 * atomics on the same word (the same bits, the same compare-and-sets, the same atomic adds), so
 * a C holder excludes Java holders and the other way round. C never parks or wakes by itself:
 * the parking lot is Java's. A C thread whose tries fail calls its type object's
 * {@code tp_lock_wait} ({@link TpLock}, here {@link #acquireForC}): it waits in the lot as a Java
 * thread would (a native thread is attached by the upcall), and returns holding the lock. A C
 * release whose atomic add finds {@code PARKED} or {@code WRITER_WAITING} calls
 * {@code tp_lock_wake} ({@link #wake}), exactly as {@link #releaseWrite} and {@link #releaseRead}
 * do. So every parked thread, Java or C, is woken by whoever releases, and no C thread spins
 * without bound.
 *
 * <p><b>Unsafe.</b> Addresses are live objects whose state word holds a lock (locked
 * capability); the caller keeps them alive for the call (it holds a count).
 *
 * <p>Thread-safety: safe to use from any thread.
 */
public final class LockWord {

    private static final VarHandle STATE = ValueLayout.JAVA_INT.varHandle();
    private static final long STATE_AT = CyObjectHeader.OB_STATE;
    private static final int SPINS = 64;
    /** The state word of a locked object nobody holds or waits for. */
    private static final int FREE = CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT;
    private static final int BUCKETS = 64;
    private static final Bucket[] LOT = new Bucket[BUCKETS];

    static {
        for (int i = 0; i < BUCKETS; i++) {
            LOT[i] = new Bucket();
        }
    }

    private LockWord() {
    }

    /**
     * Tries once to take the write lock.
     *
     * @param object a locked object
     * @return whether the calling thread now holds it
     */
    public static boolean tryWrite(long object) {
        // First a compare-and-set from the usual free state, no load before it; then the general case.
        return STATE.compareAndSet(ALL, object + STATE_AT, FREE, FREE | WRITER) || tryWriteAgain(object);
    }

    private static boolean tryWriteAgain(long object) {
        int state = (int) STATE.getVolatile(ALL, object + STATE_AT);
        return (state & (WRITER | READERS)) == 0 && STATE.compareAndSet(ALL, object + STATE_AT, state, state | WRITER);
    }

    /**
     * Tries once to take a read lock.
     *
     * @param object a locked object
     * @return whether the calling thread now holds one
     */
    public static boolean tryRead(long object) {
        // A load first: with other readers inside, a compare-and-set from the free state would
        // fail and cost an atomic instruction for nothing.
        int state = (int) STATE.getVolatile(ALL, object + STATE_AT);
        return readable(state) && STATE.compareAndSet(ALL, object + STATE_AT, state, state + READER);
    }

    /**
     * Takes the write lock, waiting (parked) as long as needed or until the deadline.
     *
     * @param object a locked object
     * @param deadline {@link System#nanoTime()} to give up at; {@link Long#MAX_VALUE}: never
     * @return whether the lock was taken (false: the deadline passed)
     * @throws InterruptedException if the thread was interrupted while waiting; nothing held
     */
    public static boolean write(long object, long deadline) throws InterruptedException {
        return tryWrite(object) || acquireSlow(object, true, deadline);
    }

    /**
     * Takes a read lock, waiting (parked) as long as needed or until the deadline.
     *
     * @param object a locked object
     * @param deadline {@link System#nanoTime()} to give up at; {@link Long#MAX_VALUE}: never
     * @return whether the lock was taken (false: the deadline passed)
     * @throws InterruptedException if the thread was interrupted while waiting; nothing held
     */
    public static boolean read(long object, long deadline) throws InterruptedException {
        return tryRead(object) || acquireSlow(object, false, deadline);
    }

    /**
     * Gives the write lock back; wakes parked threads if there are any.
     *
     * @param object a locked object whose write lock the calling thread holds
     */
    public static void releaseWrite(long object) {
        int before = (int) STATE.getAndAdd(ALL, object + STATE_AT, -WRITER);
        if ((before & (PARKED | WRITER_WAITING)) != 0) {
            wake(object, true);
        }
    }

    /**
     * Gives a read lock back; the last reader wakes a parked writer if there is one.
     *
     * @param object a locked object on which the calling thread holds a read lock
     */
    public static void releaseRead(long object) {
        int before = (int) STATE.getAndAdd(ALL, object + STATE_AT, -READER);
        if ((before & READERS) == READER && (before & (PARKED | WRITER_WAITING)) != 0) {
            wake(object, false);
        }
    }

    /**
     * Takes the lock for C ({@code tp_lock_wait}), after C's own tries failed: waits as long as
     * needed; an interrupt of the waiting thread is kept for later, as {@code Lock.lock()} does,
     * since C cannot receive an exception.
     *
     * @param object a locked object the caller keeps alive
     * @param writer whether to take the write lock, else a read lock
     */
    static void acquireForC(long object, boolean writer) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (writer ? write(object, Long.MAX_VALUE) : read(object, Long.MAX_VALUE)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;     // the flag was cleared by the wait: retry, set it again at the end
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean readable(int state) {
        return (state & (WRITER | WRITER_WAITING)) == 0 && (state & READERS) != READERS;
    }

    private static boolean acquirable(int state, boolean writer) {
        return writer ? (state & (WRITER | READERS)) == 0 : readable(state);
    }

    private static boolean acquireSlow(long object, boolean writer, long deadline) throws InterruptedException {
        for (int spin = 0; spin < SPINS; spin++) {
            Thread.onSpinWait();
            if (writer ? tryWrite(object) : tryRead(object)) {
                return true;
            }
        }
        Bucket bucket = bucket(object);
        Waiter me = new Waiter(Thread.currentThread(), object, writer);
        while (true) {
            if (writer ? tryWrite(object) : tryRead(object)) {
                return true;
            }
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                wake(object, false);    // gives up: whatever was kept for it (WRITER_WAITING) is settled again
                return false;
            }
            if (Thread.interrupted()) {
                wake(object, false);
                throw new InterruptedException("interrupted while waiting for the lock of " + RefCount.describe(object));
            }
            if (!enqueue(bucket, me)) {
                continue;       // the lock changed meanwhile: try again
            }
            if (left == Long.MAX_VALUE) {
                LockSupport.park(bucket);
            } else {
                LockSupport.parkNanos(bucket, left);
            }
            if (!me.woken) {
                leave(bucket, me);  // timed out, interrupted or spurious: out of the queue, bits recomputed
            }
            me.woken = false;
        }
    }

    /** Queues {@code me} unless the lock became acquirable; sets the bits under the bucket. */
    private static boolean enqueue(Bucket bucket, Waiter me) {
        bucket.lock.lock();
        try {
            while (true) {
                int state = (int) STATE.getVolatile(ALL, me.object + STATE_AT);
                if (acquirable(state, me.writer)) {
                    return false;
                }
                int wanted = state | PARKED | (me.writer ? WRITER_WAITING : 0);
                if (STATE.compareAndSet(ALL, me.object + STATE_AT, state, wanted)) {
                    bucket.waiters.add(me);
                    return true;
                }
            }
        } finally {
            bucket.lock.unlock();
        }
    }

    /** A waiter that stops waiting on its own: leaves the queue and fixes the bits. */
    private static void leave(Bucket bucket, Waiter me) {
        bucket.lock.lock();
        try {
            if (bucket.waiters.remove(me)) {
                settle(bucket, me.object, false);
            }
        } finally {
            bucket.lock.unlock();
        }
    }

    /**
     * Wakes whom the lock's state now lets in, after a release that saw {@code PARKED} or
     * {@code WRITER_WAITING}: {@link #releaseWrite} and {@link #releaseRead} call it, and so does
     * C's {@code tp_lock_wake} after its own release ({@link TpLock}).
     *
     * @param object a locked object
     * @param byWriter whether a writer released (waiting readers are preferred then)
     */
    static void wake(long object, boolean byWriter) {
        Bucket bucket = bucket(object);
        bucket.lock.lock();
        try {
            settle(bucket, object, byWriter);
        } finally {
            bucket.lock.unlock();
        }
    }

    /**
     * Under the bucket lock: wakes whom the lock's state lets in (see the class doc) and sets
     * PARKED and WRITER_WAITING to what the remaining queue needs.
     */
    private static void settle(Bucket bucket, long object, boolean preferReaders) {
        Waiter firstWriter = null;
        boolean readersWait = false;
        int waiting = 0;
        for (Waiter waiter : bucket.waiters) {
            if (waiter.object == object) {
                waiting++;
                if (!waiter.writer) {
                    readersWait = true;
                } else if (firstWriter == null) {
                    firstWriter = waiter;
                }
            }
        }
        List<Waiter> woken = new ArrayList<>();
        boolean writerWaiting = false;
        if (readersWait && (preferReaders || firstWriter == null)) {
            for (Waiter waiter : bucket.waiters) {
                if (waiter.object == object && !waiter.writer) {
                    woken.add(waiter);
                }
            }
            if (firstWriter != null) {
                woken.add(firstWriter);     // re-parks behind these readers and sets WRITER_WAITING again
            }
        } else if (firstWriter != null) {
            woken.add(firstWriter);
            writerWaiting = true;           // handed to it: readers arriving queue behind; its release settles again
        }
        while (true) {
            int state = (int) STATE.getVolatile(ALL, object + STATE_AT);
            int wanted = state & ~(PARKED | WRITER_WAITING);
            if (waiting > woken.size()) {
                wanted |= PARKED;
            }
            if (writerWaiting) {
                wanted |= WRITER_WAITING;
            }
            if (STATE.compareAndSet(ALL, object + STATE_AT, state, wanted)) {
                break;
            }
        }
        for (Waiter waiter : woken) {
            bucket.waiters.remove(waiter);
            waiter.woken = true;
            LockSupport.unpark(waiter.thread);
        }
    }

    private static Bucket bucket(long object) {
        return LOT[(int) ((object >>> 4) ^ (object >>> 12)) & (BUCKETS - 1)];
    }

    /** One slot of the parking lot. */
    private static final class Bucket {
        final ReentrantLock lock = new ReentrantLock();
        final List<Waiter> waiters = new ArrayList<>();
    }

    /** A parked thread. */
    private static final class Waiter {
        final Thread thread;
        final long object;
        final boolean writer;
        volatile boolean woken;

        Waiter(Thread thread, long object, boolean writer) {
            this.thread = thread;
            this.object = object;
            this.writer = writer;
        }
    }
}
