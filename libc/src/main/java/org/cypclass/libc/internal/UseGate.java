package org.cypclass.libc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The close protocol of a native file: counts the calls running on it and lets exactly one
 * {@link #close()} through, after the last of them has returned. A file owns one gate as a
 * field (composition, so that every file type shares this code without subclassing).
 *
 * <p>Invariants:
 * <ol>
 *   <li>A C call on the file's handle ({@code FILE*} or descriptor) runs only between a
 *       successful {@link #tryEnter()} and the matching {@link #exit()}.</li>
 *   <li>Once {@link #close()} has set {@code CLOSED}, no {@link #tryEnter()} succeeds.</li>
 *   <li>{@link #close()} returns {@code true} to exactly one caller, and only after every call
 *       that entered before {@code CLOSED} was set has exited. That caller alone frees the
 *       handle, so no C call ever runs on a freed {@code FILE*} or a reused descriptor.</li>
 * </ol>
 *
 * <p>No Java monitor is held and nothing is allocated. {@link #close()} waits by spinning,
 * then yielding, then parking for periods that double up to 1 ms; a call blocked on a pipe or terminal delays
 * it until that call returns.
 *
 * <p>Thread-safety: safe to use from any thread; the invariants above are the protocol.
 */
public final class UseGate {

    /** The lowest bit of {@link #state}: set once by the first {@link #close()}. */
    private static final int CLOSED = 1;

    /** What one running call adds to {@link #state}. */
    private static final int ONE_CALL = 2;

    /** First and longest sleep of {@link #close()} while calls drain: 10 µs doubling to 1 ms. */
    private static final long MIN_PARK_NANOS = 10_000L;
    private static final long MAX_PARK_NANOS = 1_000_000L;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(UseGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The state word: {@code calls * 2 | closed}.
     * <pre>
     *   bit 31 ............................. 1   0
     *   +------------------------------------+---+
     *   |      calls currently running       | C |   C = CLOSED
     *   +------------------------------------+---+
     * </pre>
     * 0 = open and idle; even = open with that many calls / 2 running; odd and above 1 = close
     * started, calls still draining; 1 = closed.
     *
     * <p>Orderings: every update is a volatile read-modify-write. {@link #tryEnter()} needs at
     * least acquire, so the C call cannot be ordered before its entry; {@link #exit()} at least
     * release, so all effects of the call happen-before the closer's read that sees the count
     * reach zero; {@link #close()} sets {@code CLOSED}. Volatile {@code getAndAdd} is one locked
     * instruction, where the JDK builds the acquire and release variants from a compare-and-set
     * loop.
     */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Creates an open gate with no call running. */
    public UseGate() {
    }

    /**
     * Registers a call about to use the handle.
     *
     * @return {@code true} if the file is open and the caller must call {@link #exit()} when
     *         done; {@code false} if it is closed or closing, and the caller must not touch the
     *         handle
     */
    public boolean tryEnter() {
        int before = (int) STATE.getAndAdd(this, ONE_CALL);
        if ((before & CLOSED) == 0) {
            return true;
        }
        // Closed: undo. The closer waits for this transient count too, which is harmless.
        STATE.getAndAdd(this, -ONE_CALL);
        return false;
    }

    /** Ends a call registered by a successful {@link #tryEnter()}. */
    public void exit() {
        STATE.getAndAdd(this, -ONE_CALL);
    }

    /**
     * Starts closing and waits until no call runs on the handle.
     *
     * @return {@code true} for the one caller that must now free the handle; {@code false} if
     *         the file was already closed or another thread is closing it
     */
    public boolean close() {
        int before = (int) STATE.getAndBitwiseOr(this, CLOSED);
        if ((before & CLOSED) != 0) {
            return false;
        }
        long park = MIN_PARK_NANOS;
        for (int spins = 0; (int) STATE.getAcquire(this) != CLOSED; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (spins < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(park * 2, MAX_PARK_NANOS);
            }
        }
        return true;
    }

    /**
     * {@return whether {@link #close()} has started, on any thread}
     */
    public boolean isClosed() {
        return ((int) STATE.getAcquire(this) & CLOSED) != 0;
    }
}
