package org.cypclass.objects;

import java.util.Objects;

import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.objects.capabilities.CapabilityException;

import static org.cypclass.objects.internal.Words.FROZEN_BORROWED;
import static org.cypclass.objects.internal.Words.VALUE_ONLY;

/**
 * A weak reference to a cypclass instance, as CPython's {@code weakref.ref}: it owns no count,
 * so it keeps nothing alive and closes no cycle, and {@link #get()} answers a borrowed reference
 * while the target lives and {@code null} after. It is the way to hold a parent pointer (a
 * back reference) without the reference cycle that
 * {@link org.cypclass.memory.LeakReport#cycles()} would report: children own nothing upward,
 * and a child's weak reference to its parent reads {@code null} once the parent is gone.
 *
 * <h2>What it holds</h2>
 * The target's address, where its allocation's stamp is kept and that stamp (as a borrowed
 * reference does, see {@link CyObject}), and the capability word the target had when the weak
 * reference was taken. It is a plain Java object: it takes no count, allocates nothing
 * off-heap and needs no close; drop it whenever you like. It may sit in any Java field or
 * collection. It cannot be stored in a cypclass field (cypclass fields hold counted references
 * only); keep a weak reference beside the instance on the Java side, as a map from child to
 * parent does.
 *
 * <h2>When it ends</h2>
 * A stamp never returns to an earlier value: it changes when the block is freed (whatever the
 * block holds next, of this type or another) and when the target changes capability or owner
 * (freeze, share, lock, consume, the adoption of an orphan), which is what makes borrowed
 * references of the old capability fail too. From then on {@link #get()} returns {@code null}
 * on every thread, for good. To point weakly at a frozen or locked object, take the weak
 * reference after the change.
 *
 * <h2>Thread rules</h2>
 * They are the target's, as for a borrowed reference read from a field:
 * <ul>
 *   <li>a thread-local target: only its owner thread may {@code get()} it while it lives;
 *       another thread gets {@link WrongThreadException} (or {@code null} once it died);</li>
 *   <li>a frozen target: any thread. Another thread may release a frozen object's last count at
 *       any moment, and this reference owns none: a thread uses the result only while the
 *       program keeps the target alive for it (an owned reference or a {@code Frozen} handle
 *       open until after that use, through a happens-before edge), as with any borrowed
 *       reference to a frozen object;</li>
 *   <li>a locked or active target: any thread gets a reference that may be passed and stored but
 *       whose fields are reached through the object's capability, as a field read gives.</li>
 * </ul>
 *
 * <h2>Equality</h2>
 * Two weak references are equal when they were taken from the same allocation (same address
 * and stamp), so that a weak reference may key a map; {@code hashCode} follows.
 *
 * <p>Thread-safety: immutable; {@link #get()} may be called from any thread under the rules
 * above.
 *
 * @param <T> the target's cypclass
 */
public final class WeakRef<T extends CyObject> {

    private final Class<? extends CyObject> type;
    private final long address;
    /** Where the target's stamp is kept: the block, or a big block's stub; never unmapped. */
    private final long stampAt;
    private final long stamp;
    /**
     * The borrowed-reference word of the target when taken ({@code ~owner}, {@code FROZEN_BORROWED}
     * or {@code VALUE_ONLY}, see {@code Words}): exact for as long as the stamp matches, since
     * every change of capability or owner renews the stamp.
     */
    private final long word;

    private WeakRef(Class<? extends CyObject> type, long address, long stampAt, long stamp, long word) {
        this.type = type;
        this.address = address;
        this.stampAt = stampAt;
        this.stamp = stamp;
        this.word = word;
    }

    /**
     * Takes a weak reference to the instance {@code reference} refers to. The reference may be
     * owned, garbage-collected or borrowed; it keeps its count and stays open.
     *
     * @param reference an open reference the calling thread may use
     * @param <T> the target's cypclass
     * @return a new weak reference, owning nothing
     * @throws NullPointerException if {@code reference} is null
     * @throws IllegalStateException if the reference is closed or its borrowed target died
     * @throws WrongThreadException if the instance is thread-local to another thread
     * @throws CapabilityException if the instance is inside a locked graph (take the weak
     *         reference to the {@code Locked} root), or is dying in its dealloc hook
     */
    public static <T extends CyObject> WeakRef<T> of(T reference) {
        Objects.requireNonNull(reference, "reference");
        if (reference.kind == CyObject.DYING) {
            throw new CapabilityException("cannot take a weak reference to " + reference
                + ": it is being destroyed (a dealloc hook's handle)");
        }
        long target = Access.use(reference);
        long word = Access.borrowedWord(target);
        if (word == 0 || reference.kind == CyObject.GUARDED) {
            throw new CapabilityException("cannot take a weak reference to " + reference + ": it is inside a locked"
                + " graph, reachable only through a guard; take it to the Locked root (locked.handle()) instead");
        }
        long stampAt = Allocator.stampAddress(target);
        return new WeakRef<>(reference.getClass(), target, stampAt, Allocator.stamp(stampAt), word);
    }

    /**
     * Returns a borrowed reference to the target while it lives: it owns no count, needs no
     * close, and, like every borrowed reference, checks its target's stamp on each use, so that
     * it fails rather than reach another object once the target dies. Take
     * {@link CyObject#newReference()} from it to keep the target alive. Allocates nothing when
     * the calling thread has borrowed the target recently (its borrow cache holds it).
     *
     * @return a borrowed reference to the target, or {@code null} once the target has died or
     *         changed capability or owner (see the class documentation)
     * @throws WrongThreadException if the target lives and is thread-local to another thread
     */
    @SuppressWarnings("unchecked")
    @NotOwning
    public T get() {
        // One load, safe on any thread: the stamp's home is never unmapped.
        if (Allocator.stamp(stampAt) != stamp) {
            return null;
        }
        long me = Thread.currentThread().threadId();
        if (word != ~me && word != FROZEN_BORROWED && word != VALUE_ONLY) {
            throw wrongThread();
        }
        return (T) BorrowCache.borrowLive(address);
    }

    /**
     * Tells whether the target still holds the allocation this weak reference was taken from,
     * without the thread rules of {@link #get()}. A true answer may be out of date at once on
     * another thread than the target's owner.
     *
     * @return false once {@link #get()} returns {@code null} for good
     */
    public boolean isAlive() {
        return Allocator.stamp(stampAt) == stamp;
    }

    private WrongThreadException wrongThread() {
        return new WrongThreadException(Access.describe(type, address) + " is thread-local to "
            + Access.describeThread(~word) + "; " + Access.describeCurrentThread() + " may not get it through a weak"
            + " reference (only its owner thread may, while it lives)");
    }

    /**
     * Compares weak references by allocation.
     *
     * @param other another object
     * @return whether {@code other} is a weak reference taken from the same allocation
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof WeakRef<?> weak && weak.address == address && weak.stampAt == stampAt
            && weak.stamp == stamp;
    }

    /** {@return a hash of the allocation's address and stamp} */
    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Long.hashCode(stamp);
    }

    /**
     * {@return {@code weak <type object at 0xADDRESS>}, followed by {@code (dead)} once the
     * target is gone}
     */
    @Override
    public String toString() {
        return "weak " + Access.describe(type, address) + (isAlive() ? "" : " (dead)");
    }
}
