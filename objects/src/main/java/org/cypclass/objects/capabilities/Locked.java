package org.cypclass.objects.capabilities;

import java.time.Duration;
import java.util.Arrays;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.LockWord;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ThreadNames;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.internal.GuardToken;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.Words;

/**
 * A reference to a locked object: Cython+'s {@code lock} capability, the 2011 proposal's
 * {@code with obj:}. Made only from an isolated graph ({@code Isolated.consume(a).lock()}, the
 * talk's {@code cdef lock Adder b = consume a}), so no thread-local reference to it survives.
 * Its fields, and every object of its graph, are reached only inside a guard:
 *
 * <pre>{@code
 * try (Locked.Guard<Counter> g = counter.write()) {   // exclusive, like Cython+'s wlocked
 *     g.get().value(g.get().value() + 1);
 * }
 * try (Locked.Guard<Counter> g = counter.read()) {    // shared with other readers (rlocked)
 *     System.out.println(g.get().value());
 * }
 * }</pre>
 *
 * <h2>Guards</h2>
 * <ul>
 *   <li>{@link #write()} waits for exclusive access, {@link #read()} for shared access; a
 *       waiting writer keeps new readers out (no writer starvation), and waiting threads park.
 *       {@link #tryWrite(Duration)} and {@link #tryRead(Duration)} give up after a while.</li>
 *   <li>{@link Guard#get()} is a view of the object, valid until the guard closes. A field read
 *       or written through the view after that, a write through a read guard, or a field of
 *       an object of the graph reached outside its guard throws {@link CapabilityException}.</li>
 *   <li>Guards nest on one {@code Locked}: a write or read guard inside a write guard, a read
 *       guard inside a read guard. A write guard inside a read guard would wait for itself
 *       and is refused. Guards nest through one {@code Locked} only: a thread that holds a
 *       read guard and takes another through a second {@code Locked} of the same object
 *       waits behind any writer that waits meanwhile, and so for itself.</li>
 *   <li>Under a write guard, fields may take objects of the same locked graph, frozen and
 *       locked objects, and thread-local graphs moved in with {@link Guard#adopt}; a
 *       thread-local object would be reached by other threads and is refused.</li>
 * </ul>
 *
 * <h2>The lock</h2>
 * The lock is a reader-writer lock in the object's header (the state word): no monitor, no
 * Java object and no memory per locked object. Counts of a locked graph are atomic.
 *
 * <p>Thread-safety: the locked object may be used from any number of threads, each through
 * its own {@code Locked} reference: the lock guards the instance, while this Java object
 * keeps the guard state of one thread at a time, as every reference object of the library
 * does. Hand another thread its own with {@link #newReference()}; a {@code Locked} used by two
 * threads at once is refused with {@link WrongThreadException} where detected.
 *
 * @param <T> the cypclass of the locked object
 */
@InheritableMustCall("close")
public final class Locked<T extends CyObject> implements AutoCloseable {

    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();

    /** The locked object while this reference is open, else 0. */
    private long address;
    private final long identity;
    /** What guards hand out; its access word opens it for the holder of the guard. */
    private final T view;
    private final Token token = new Token();
    /** The outermost guard, reused by every acquisition: a guard costs no allocation. */
    private final Guard<T> outer = new Guard<>(this, false);
    /** Guards open on this reference (nesting), 0 when none. */
    private int depth;
    /** Whether the open guards write. */
    private boolean writing;
    /** The thread holding the open guards. */
    private long thread;
    /** Isolated graphs adopted under the current write guard, released when it closes. */
    private long[] adopted;
    private int adoptedCount;

    @SuppressWarnings("unchecked")
    Locked(long address) {
        this.address = address;
        this.identity = address;
        this.view = (T) OBJECTS.guardView(address, token);
    }

    /**
     * Takes another reference to a locked object found through an ordinary reference: a
     * borrowed one read from a field, or a {@link #handle()}.
     *
     * @param reference a reference to a locked object
     * @param <T> its cypclass
     * @return a new reference, owning one count, to close when done
     * @throws IllegalArgumentException if the object is not locked (a locked object is made
     *         only with {@code Isolated.consume(reference).lock()})
     * @throws IllegalStateException if the reference is closed or its target died
     */
    public static <T extends CyObject> Locked<T> from(T reference) {
        long object = OBJECTS.use(reference);
        if (CyObjectHeader.capability(RefCount.state(object)) != CyObjectHeader.LOCKED) {
            throw new IllegalArgumentException(reference + " is not locked: a locked object is made from an isolated"
                + " graph, with Isolated.consume(reference).lock()");
        }
        RefCount.retainShared(object);
        return new Locked<>(object);
    }

    /**
     * Waits for exclusive access and opens a write guard (Cython+'s {@code with wlocked}).
     * Uninterruptible, like {@code Lock.lock()}: an interrupt while waiting is kept for later.
     *
     * @return the guard, to close (try-with-resources)
     * @throws IllegalStateException if this reference is closed, or a read guard of this
     *         reference is open (upgrading would wait for itself)
     * @throws WrongThreadException if another thread has a guard open on this reference
     */
    public Guard<T> write() {
        try {
            return guard(true, false, null);
        } catch (InterruptedException cannot) {
            throw new AssertionError("an untimed wait keeps the interrupt for later", cannot);
        }
    }

    /**
     * Waits for shared access and opens a read guard (Cython+'s {@code with rlocked}): fields
     * may be read, not written.
     *
     * @return the guard, to close (try-with-resources)
     * @throws IllegalStateException if this reference is closed
     * @throws WrongThreadException if another thread has a guard open on this reference
     */
    public Guard<T> read() {
        try {
            return guard(false, false, null);
        } catch (InterruptedException cannot) {
            throw new AssertionError("an untimed wait keeps the interrupt for later", cannot);
        }
    }

    /**
     * Opens a write guard if exclusive access comes within {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return the guard, or null if the timeout passed first
     * @throws InterruptedException if interrupted while waiting (no guard is open)
     * @throws IllegalStateException as {@link #write()}
     */
    public Guard<T> tryWrite(Duration timeout) throws InterruptedException {
        return guard(true, true, timeout);
    }

    /**
     * Opens a read guard if shared access comes within {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return the guard, or null if the timeout passed first
     * @throws InterruptedException if interrupted while waiting (no guard is open)
     * @throws IllegalStateException as {@link #read()}
     */
    public Guard<T> tryRead(Duration timeout) throws InterruptedException {
        return guard(false, true, timeout);
    }

    /**
     * The one way into a guard, for the four public entries: a guard nested in an open one of
     * this reference, else the lock at the first try, else after a wait, up to the deadline of
     * {@code timeout} if {@code timed}, else as long as it takes. Each entry passes constant
     * {@code write} and {@code timed}, which fold away once this method is inlined into it, so
     * the fast path of {@link #write()} stays one compare-and-set.
     *
     * @return the guard, or null if a timed wait reached its deadline
     * @throws InterruptedException if interrupted during a timed wait
     */
    private Guard<T> guard(boolean write, boolean timed, Duration timeout) throws InterruptedException {
        long me = Thread.currentThread().threadId();
        if (depth > 0) {
            return nested(me, write);
        }
        long object = open();
        long deadline = timed ? deadline(timeout) : Long.MAX_VALUE;
        if (!(write ? LockWord.tryWrite(object) : LockWord.tryRead(object)) && !await(object, write, timed, deadline)) {
            return null;
        }
        return enter(me, write);
    }

    /**
     * Takes another reference to the same locked object, to hand to another thread.
     *
     * @return a new reference owning one count
     * @throws IllegalStateException if this reference is closed
     */
    public Locked<T> newReference() {
        long object = open();
        RefCount.retainShared(object);
        return new Locked<>(object);
    }

    /**
     * Returns a reference to the locked object that can be stored into a field (of a
     * thread-local, frozen-to-be or locked object) or passed around, but not read through:
     * its fields are reached only inside a guard. It owns no count and is valid while the
     * object lives; {@link #from} turns it back into a {@code Locked}.
     *
     * @return the handle
     * @throws IllegalStateException if this reference is closed
     */
    @SuppressWarnings("unchecked")
    @NotOwning
    public T handle() {
        return (T) OBJECTS.lockedHandle(open());
    }

    /**
     * Tells whether this reference is open.
     *
     * @return false once closed
     */
    public boolean isOpen() {
        return address != 0;
    }

    /**
     * Gives this reference's count back; the last one destroys the object and its graph, on
     * this thread, whichever it is. Does nothing if already closed.
     *
     * @throws IllegalStateException if a guard of this reference is still open
     */
    @Override
    public void close() {
        long object = address;
        if (object == 0) {
            return;
        }
        if (depth > 0) {
            throw new IllegalStateException("cannot close " + this + " while a guard of it is open; close the guard first");
        }
        address = 0;
        RefCount.releaseShared(object);
    }

    /**
     * Describes the reference.
     *
     * @return for example {@code Locked<com.example.Counter object at 0x7f3a12c0>}
     */
    @Override
    public String toString() {
        return "Locked" + RefCount.describe(view.getClass().getName(), identity)
            + (address == 0 ? " (closed)" : "");
    }

    private long open() {
        long object = address;
        if (object == 0) {
            throw new IllegalStateException("cannot use " + this + ": it is closed; take another with newReference() before"
                + " closing this one");
        }
        return object;
    }

    private Guard<T> enter(long me, boolean write) {
        thread = me;
        writing = write;
        depth = 1;
        OBJECTS.setWord(view, write ? me : me | Words.READ_ONLY);
        outer.closed = false;
        return outer;
    }

    private Guard<T> nested(long me, boolean write) {
        if (thread != me) {
            throw inUseElsewhere();
        }
        if (write && !writing) {
            throw new CapabilityException("cannot open a write guard of " + this + " inside one of its read guards: it would"
                + " wait for itself. Close the read guard first, or take the write guard from the start");
        }
        depth++;
        return new Guard<>(this, true);
    }

    private void exit() {
        long object = address;
        int pending = adoptedCount;
        boolean wrote = writing;
        depth = 0;
        OBJECTS.setWord(view, 0);
        try {
            if (wrote) {
                LockWord.releaseWrite(object);
            } else {
                LockWord.releaseRead(object);
            }
        } finally {
            if (pending > 0) {
                releaseAdopted(pending);
            }
        }
    }

    private void releaseAdopted(int pending) {
        long[] graphs = adopted;
        adoptedCount = 0;
        for (int i = 0; i < pending; i++) {
            RefCount.releaseShared(graphs[i]);   // what no field kept dies here
        }
    }

    private WrongThreadException inUseElsewhere() {
        return new WrongThreadException(this + " has a guard open on " + ThreadNames.ofId(thread) + "; "
            + ThreadNames.current() + " may not use it at the same time. Give each thread"
            + " its own reference with newReference()");
    }

    private static long deadline(Duration timeout) {
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException beyondLong) {
            nanos = timeout.isNegative() ? 0 : Long.MAX_VALUE;   // about 292 years: as good as forever
        }
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE - 1 : now + Math.max(0, nanos);
    }

    /**
     * Waits for the lock after a failed first try, until {@code deadline}
     * ({@link Long#MAX_VALUE}: never gives up). A timed wait ends at an interrupt; an untimed one
     * keeps the interrupt for later, like {@code Lock.lock()}.
     *
     * @return whether the lock is taken (false: the deadline passed)
     */
    private static boolean await(long object, boolean write, boolean timed, long deadline) throws InterruptedException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return write ? LockWord.write(object, deadline) : LockWord.read(object, deadline);
                } catch (InterruptedException e) {
                    if (timed) {
                        throw e;
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * An open guard of a {@link Locked} reference: access to the locked object and its graph
     * until {@link #close()}. The outermost guard of a reference is one reused object; close it
     * exactly once (try-with-resources does).
     *
     * <p>Thread-safety: confined to the thread that opened it.
     *
     * @param <T> the cypclass of the locked object
     */
    @InheritableMustCall("close")
    public static final class Guard<T extends CyObject> implements AutoCloseable {

        private final Locked<T> locked;
        private final boolean nested;
        private boolean closed;

        private Guard(Locked<T> locked, boolean nested) {
            this.locked = locked;
            this.nested = nested;
        }

        /**
         * Returns the view of the locked object: read its fields (and, under a write guard,
         * write them) until this guard closes.
         *
         * @return the view; the same object for every guard of this reference
         * @throws IllegalStateException if this guard is closed
         */
        @NotOwning
        public T get() {
            if (closed) {
                throw new CapabilityException("cannot use a closed guard of " + locked + ": a guard gives access only"
                    + " while it is open; open another with locked.write() or locked.read()");
            }
            return locked.view;
        }

        /**
         * Tells whether this guard may write.
         *
         * @return true for a write guard (or a guard nested in one)
         */
        public boolean canWrite() {
            return locked.writing && !closed;
        }

        /**
         * Moves an isolated graph into this locked graph (Cython+'s assignment of a consumed
         * reference into a locked object's field): every object of it becomes part of the
         * locked graph, reachable only under its guards. Store the returned reference into a
         * field of the graph to keep it: what no field holds when this guard closes is released
         * then.
         *
         * @param graph an isolated graph; spent by this call
         * @param <U> the cypclass of its root
         * @return a reference to its root, usable while this guard is open
         * @throws CapabilityException if this is a read guard
         * @throws IllegalStateException if this guard is closed or {@code graph} is spent
         */
        @SuppressWarnings("unchecked")
        @NotOwning
        public <U extends CyObject> U adopt(@Owning Isolated<U> graph) {
            if (closed || !locked.writing) {
                throw new CapabilityException("cannot adopt " + graph + " into " + locked + (closed ? " through a"
                    + " closed guard" : " through a read guard: take a write guard (locked.write())"));
            }
            return (U) locked.adopt(graph);
        }

        /**
         * Closes the guard: the lock is given back when the outermost guard closes. Does
         * nothing if already closed.
         *
         * @throws WrongThreadException if called by another thread than the one that opened it
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            long me = Thread.currentThread().threadId();
            if (locked.thread != me || locked.depth == 0) {
                throw locked.inUseElsewhere();
            }
            closed = true;
            if (nested) {
                locked.depth--;
            } else {
                locked.exit();
            }
        }
    }

    private CyObject adopt(Isolated<?> graph) {
        if (adopted == null || adoptedCount == adopted.length) {
            adopted = adopted == null ? new long[4] : Arrays.copyOf(adopted, 2 * adoptedCount);
        }
        long root = graph.joinLocked();
        adopted[adoptedCount++] = root;
        return OBJECTS.guardedMember(root, token);
    }

    /** What the core asks before a view or a reference into the graph is used. */
    private final class Token extends GuardToken {

        @Override
        public long root() {
            return identity;
        }

        @Override
        public void check(CyObject reference, boolean write) {
            if (address == 0) {
                throw new CapabilityException("cannot use " + reference + ": it was reached through " + Locked.this
                    + ", which is closed");
            }
            if (depth == 0) {
                throw new CapabilityException("cannot " + (write ? "write" : "read") + " a field of " + reference
                    + " outside a guard: the object is locked; open one with locked.write() or locked.read() and use the"
                    + " references it hands out while it is open");
            }
            if (thread != Thread.currentThread().threadId()) {
                throw inUseElsewhere();
            }
            if (write && !writing) {
                throw new CapabilityException("cannot write a field of " + reference + " through a read guard of "
                    + Locked.this + "; take a write guard (locked.write()) to change it");
            }
        }
    }
}
