package org.cypclass.objects;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.memory.IllegalRefCountException;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.memory.internal.Orphans;
import org.cypclass.memory.internal.RefCount;

/**
 * A reference to a cypclass instance. The instance lives off-heap; this Java object is one
 * way to reach it. There are three kinds of reference.
 *
 * <h2>Owned (deterministic) references</h2>
 * What {@code create(...)} and {@link #newReference()} return. Each owns one count of the
 * instance; {@link #close()} gives it back, and the last one destroys the instance at once, on
 * the closing thread. Use try-with-resources. After {@code close()} every use of this reference
 * throws {@link IllegalStateException} naming the type; closing again does nothing, as
 * {@link java.io.Closeable} specifies. An owned reference that is never closed is a leak;
 * {@link ReferenceLeaks} reports it when the garbage collector finds it (for a sample of
 * references by default, for all of them with leak tracking switched on).
 *
 * <h2>Borrowed references</h2>
 * What a reference-field getter returns ({@code node.next()}), as CPython's
 * {@code PyList_GetItem} returns a borrowed reference: it owns no count, so reading a field
 * costs no count and leaks nothing, and {@code head.next().next().payload()} or
 * {@code for (Node n = head; n != null; n = n.next())} is correct Java with nothing to close.
 * <ul>
 *   <li>It is valid for as long as its target lives: until the last owned count of the target
 *       goes, which may be when the field it was read from is overwritten or its holder dies.
 *       </li>
 *   <li>Used after that, it throws {@link IllegalStateException}; it never reads or writes
 *       memory that now belongs to another object. Each allocation has a stamp (its block's
 *       generation, as in Vale's generational references) that the borrowed reference
 *       remembers and checks, with one load, on every use.</li>
 *   <li>To keep the target alive beyond that, take an owned reference with
 *       {@link #newReference()} (one count, explicit, and closed as usual). Storing a borrowed
 *       reference into a field is fine: the field takes its own count.</li>
 *   <li>{@link #close()} does nothing on a borrowed reference; {@link #isOpen()} tells whether
 *       its target is still alive. The same Java object may be handed out for every borrow of
 *       one target, so compare references with {@link #equals}, not {@code ==}.</li>
 * </ul>
 *
 * <h2>Garbage-collected references</h2>
 * What {@link #gcReference()} returns, the way {@code Arena.ofAuto()} stands next to
 * {@code Arena.ofConfined()}: released after the garbage collector finds it unreachable. As in
 * Cython+, all garbage-collected references to an instance are counted in the header's
 * {@code ob_refcnt} and together hold one nogil count. They may be closed early.
 *
 * <h2>Equality</h2>
 * Two references are equal when they refer to the same instance, whatever their kinds and
 * whether open or closed; {@code hashCode} follows. {@link #toString()} prints the instance the
 * way Cython+ does, {@code <com.example.Adder object at 0x7f3a12c0>}; {@link #dump()} adds the
 * fields. The one exception is the built-in string, {@link CyStr}, equal by content and printed
 * as its text while open.
 *
 * <h2>Orphans</h2>
 * An instance whose owner thread has ended (a virtual thread, a pool thread) is an orphan.
 * Using it from another thread through an owned or garbage-collected reference adopts it:
 * that thread becomes its owner, with every instance reachable from it that the ended thread
 * owned; of two threads racing to adopt it, one wins and the other gets
 * {@link WrongThreadException}. Closing a reference to an orphan from any thread releases it
 * without adopting it (the last one destroys it there); the garbage collector releases its
 * garbage-collected references. Borrowed references taken by the ended thread fail.
 * {@link org.cypclass.memory.LeakReport#orphans()} lists the orphans nobody adopted.
 *
 * <p>Thread-safety: confined to the owning thread while the instance is thread-local (the default
 * capability): the thread that created it, or that adopted it once that thread ended; any use from
 * another thread throws {@link WrongThreadException} naming the instance and both threads. A
 * reference object itself is not thread-safe.
 */
@InheritableMustCall("close")
public abstract class CyObject implements AutoCloseable {

    /** Kinds of reference, in {@link #kind}. */
    static final byte DETERMINISTIC = 0;
    static final byte GARBAGE_COLLECTED = 1;
    /** A handle made for a dealloc hook: reads the dying instance, owns no count. */
    static final byte DYING = 2;
    /** A reference read from a field: owns no count, checks its target's stamp on every use. */
    static final byte BORROWED = 3;
    /**
     * The view of a locked object a guard hands out: usable while its {@code Locked} holder
     * (in {@link #tracker}) has a guard open on this thread; owns no count (the holder does).
     */
    static final byte GUARD_VIEW = 4;
    /**
     * A borrowed reference read through a guard, to an object of the locked graph: usable while
     * that guard (its token, in {@link #tracker}) is open on this thread, target alive.
     */
    static final byte GUARDED = 5;

    /** The instance's address while this reference is open, else 0. */
    long address;
    /** The instance's address, kept after close for equality and printing; 0 until bound. */
    long identity;
    /** Which kind of reference this is. */
    byte kind;
    /**
     * For a deterministic reference under leak watch, its {@link LeakWatch}; for a
     * garbage-collected one, its {@link Cleaner.Cleanable}; else null.
     */
    Object tracker;
    /**
     * Who may use this reference on the fast path, one word that {@link Access} compares with
     * the calling thread's id: that id for an open owned (or garbage-collected, or dying)
     * reference, its complement {@code ~id} for a borrowed one (whose stamp must be checked
     * too), 0 once closed (no thread has id 0). It lives here rather than only in the header's
     * {@code ob_owner} because it cannot change while the reference is usable (a change of
     * capability closes owned references and renews the stamp borrowed ones check), and a Java
     * field is a value the JIT can keep in a register across off-heap stores. Anything else
     * (shared, dead, another thread) takes the slow path, which reads the header.
     */
    long owner;
    /** For a borrowed reference: where its target's stamp is kept ({@link Allocator#stampAddress}). */
    long stampAt;
    /** For a borrowed reference: the stamp of its target's allocation when it was borrowed. */
    long stamp;
    /**
     * For a borrowed reference: the borrow cache of the thread that made it. For an owned one:
     * the cache of the last thread that borrowed through it, or null (a hint, checked on use).
     */
    BorrowCache borrows;
    /**
     * For a borrowed reference held by its thread's {@link BorrowCache}: the last reference
     * borrowed through one of its fields, checked (target and stamp) before it is handed out
     * again. A walk then follows Java references from one borrowed reference to the next, the
     * way a Java linked list is walked, while the checks run beside it. Only cached references
     * keep one, and eviction clears it, so a walk can never chain up an unbounded mirror of an
     * off-heap structure on the Java heap.
     */
    CyObject lastBorrowed;

    /** Creates an unbound reference; the generated factories bind it. */
    protected CyObject() {
    }

    final void bind(long instance, byte kind) {
        bind(instance, kind, Thread.currentThread().threadId());
    }

    final void bind(long instance, byte kind, long usableBy) {
        this.address = instance;
        this.identity = instance;
        this.kind = kind;
        this.owner = usableBy;
        if (kind == DETERMINISTIC) {
            // Kept tiny so that it inlines: the reference must not escape to a call.
            tracker = ReferenceLeaks.sample(getClass(), instance);
        }
    }

    final void bindBorrowed(long instance, long word, long targetStampAt, long targetStamp, BorrowCache cache) {
        this.address = instance;
        this.identity = instance;
        this.kind = BORROWED;
        this.owner = word;
        this.stampAt = targetStampAt;
        this.stamp = targetStamp;
        this.borrows = cache;
    }

    /**
     * Points a borrowed reference that no cache holds at another target of the same runtime
     * class: only the words that name the target change ({@code kind} and {@code borrows}
     * stay), so that a cursor's per-element re-pointing is five plain field writes.
     */
    final void rebindBorrowed(long instance, long word, long targetStampAt, long targetStamp) {
        this.address = instance;
        this.identity = instance;
        this.owner = word;
        this.stampAt = targetStampAt;
        this.stamp = targetStamp;
    }

    /** Whether a borrowed reference's target still holds the allocation it was borrowed from. */
    final boolean targetAlive() {
        return Allocator.stamp(stampAt) == stamp;
    }

    /**
     * Gives this reference's count back. The last reference to go destroys the instance:
     * its {@link Dealloc} hook runs, its reference fields are released and its memory is
     * freed, on this thread. Does nothing if already closed, and nothing on a borrowed
     * reference, which owns no count.
     *
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    @Override
    public final void close() {
        long instance = address;
        if (instance == 0 || kind == BORROWED) {
            return;
        }
        // Every call made from here passes values, never this reference, so that escape
        // analysis can keep removing the reference object on hot paths even when some calls
        // (a sampled, watched reference) take the slower branches.
        Object watchOrCleanable = tracker;
        if (kind == GARBAGE_COLLECTED) {
            Access.checkUsable(instance, getClass());
            address = 0;
            owner = 0;
            cleanNow(watchOrCleanable);
            return;
        }
        try {
            RefCount.release(instance);
        } catch (WrongThreadException refused) {
            throw refused;                  // nothing changed: this reference stays open
        } catch (RuntimeException | Error destructorFailure) {
            address = 0;                    // the count was given back before a destructor failed
            owner = 0;
            throw destructorFailure;
        }
        address = 0;
        owner = 0;
        if (watchOrCleanable != null) {
            markClosed(watchOrCleanable);
        }
    }

    private static void cleanNow(Object cleanable) {
        ((Cleaner.Cleanable) cleanable).clean();
    }

    private static void markClosed(Object watch) {
        ((LeakWatch) watch).closed();
    }

    /**
     * Tells whether this reference may still be used.
     *
     * @return false once an owned or garbage-collected reference is closed, or once the target
     *         of a borrowed reference has died
     */
    public final boolean isOpen() {
        return address != 0 && (kind != BORROWED || targetAlive());
    }

    /**
     * Tells whether this is a borrowed reference: one read from a field, which owns no count
     * (see the class documentation).
     *
     * @return true for a borrowed reference, false for an owned or garbage-collected one
     */
    public final boolean isBorrowed() {
        return kind == BORROWED;
    }

    /**
     * Takes an owned reference to the same instance, owning one more count: the way to keep
     * the target of a borrowed reference alive, or to hand out a second owner. Generated
     * classes narrow the return type to their own.
     *
     * @return a new open reference, of the instance's runtime class, to close when done
     * @throws IllegalStateException if this reference is closed, or borrowed and its target died
     */
    public CyObject newReference() {
        long instance = Access.use(this);
        // An open owned reference of this thread already holds the word a new one needs; anything
        // else reads it from the header (and may refuse) before the count moves.
        long thread = Thread.currentThread().threadId();
        long word = owner == thread ? thread : Access.ownedWord(instance);
        RefCount.retain(instance);
        return Instances.wrap(instance, DETERMINISTIC, word);
    }

    /**
     * Takes a garbage-collected reference to the same instance. It is released when the
     * garbage collector finds it unreachable (the release is applied by the instance's owner
     * thread, at its next {@code create} or {@link #releaseCollected()}), or when closed.
     *
     * @return a new open reference, of the instance's runtime class
     * @throws IllegalStateException if this reference is closed
     */
    @NotOwning
    public CyObject gcReference() {
        long instance = Access.use(this);
        long word = Access.ownedWord(instance);
        RefCount.retainGc(instance);
        CyObject reference = Instances.wrap(instance, GARBAGE_COLLECTED, word);
        reference.tracker = ReferenceLeaks.CLEANER.register(reference, new GcRelease(instance));
        return reference;
    }

    /**
     * Applies, on the calling thread, the releases of garbage-collected references to its
     * thread-local instances that the garbage collector found unreachable, and destroys its
     * thread-local instances whose last reference C released on another thread (see
     * {@code cyobject.h}). Creating an instance does this too.
     *
     * @return how many garbage-collected references were released plus instances destroyed
     */
    public static int releaseCollected() {
        return LocalHeap.current().releaseDeferred();
    }

    /**
     * Returns the instance's address as a zero-length segment, to pass to C code that takes
     * a {@code CyObject *} (or the cypclass's struct pointer). Java cannot read through it
     * without a restricted {@code reinterpret}; C may use it while this reference is open.
     *
     * @return the instance's address
     * @throws IllegalStateException if this reference is closed
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    public final MemorySegment pointer() {
        return MemorySegment.ofAddress(Access.use(this));
    }

    /**
     * {@return the descriptor of this reference's cypclass, its {@code TYPE}}
     */
    public final CyType<?> cyType() {
        return TypeRegistry.ofClass(getClass());
    }

    /**
     * Prints the instance and its fields, for debugging.
     *
     * @return for example {@code <com.example.Adder object at 0x7f3a12c0> {value=5}}
     */
    public final String dump() {
        StringBuilder text = new StringBuilder(toString());
        if (!isOpen()) {
            return text.toString();
        }
        text.append(" {");
        TypeRegistry.ofClass(getClass()).dumpFields(this, text);
        if (text.charAt(text.length() - 1) == ' ') {
            text.setLength(text.length() - 2);
        }
        return text.append('}').toString();
    }

    /**
     * Prints the instance the way Cython+ prints a cypclass object.
     *
     * @return {@code <type object at 0xADDRESS>}, followed by {@code (closed reference)} when
     *         closed and {@code (borrowed)} or {@code (borrowed, target gone)} for a borrowed one
     */
    @Override
    public final String toString() {
        if (this instanceof CyStr str && isOpen()) {
            return str.text();
        }
        String state;
        if (kind == BORROWED) {
            state = targetAlive() ? " (borrowed)" : " (borrowed, target gone)";
        } else {
            state = address == 0 ? " (closed reference)" : "";
        }
        return Access.describe(getClass(), identity) + state;
    }

    /**
     * Compares instances: two references are equal when they refer to the same instance.
     *
     * @param other another object
     * @return whether {@code other} refers to the same instance
     */
    @Override
    public final boolean equals(Object other) {
        if (this instanceof CyStr str) {
            return str.contentEquals(other);
        }
        return other instanceof CyObject reference && reference.identity == identity && identity != 0;
    }

    /**
     * Hashes the instance's identity.
     *
     * @return a hash of the instance's address
     */
    @Override
    public final int hashCode() {
        if (this instanceof CyStr str) {
            return str.contentHash();
        }
        return Long.hashCode(identity);
    }

    /**
     * The cleaning action of a garbage-collected reference; holds no reference to it. Runs on
     * the cleaner thread (or on the closing thread): released there if that thread may, handed
     * to the owner thread if it runs, released on the dead owner's behalf if it has ended.
     */
    private record GcRelease(long instance) implements Runnable {
        @Override
        public void run() {
            try {
                Orphans.releaseGcAnywhere(instance);
            } catch (IllegalRefCountException | WrongThreadException e) {
                ReferenceLeaks.reportCleanerFailure(e);
            }
        }
    }
}
