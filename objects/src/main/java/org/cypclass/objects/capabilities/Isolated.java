package org.cypclass.objects.capabilities;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.MustCallAlias;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.GraphWalk;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * An isolated object graph: Cython+'s {@code iso} reference, made by {@link #consume}. The
 * graph (an object and everything it reaches that is thread-local to the same thread) is
 * referenced from nowhere but from inside itself and from this holder, so it may move to
 * another thread, or become locked or frozen, without any other thread or reference seeing it
 * change.
 *
 * <h2>Moving a graph to another thread</h2>
 * <pre>{@code
 * Isolated<Node> parcel = Isolated.consume(list);      // list is closed now
 * queue.put(parcel);                                  // any happens-before edge
 * // on the receiving thread:
 * try (Node mine = queue.take().adopt()) {            // every object of the graph is its now
 *     mine.payload(42);
 * }
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>An isolated holder is spent by exactly one of {@link #adopt()}, {@link #lock()},
 *       {@link #freeze()} or {@link #close()}; any later call throws
 *       {@link IllegalStateException} (except {@code close()}, which then does nothing). Of
 *       two threads racing to spend it, one wins.</li>
 *   <li>The thread that consumed it can no longer touch the graph: the consumed reference is
 *       closed, and every borrowed reference it had into the graph fails on use (the graph's
 *       stamps are renewed).</li>
 *   <li>The holder owns the graph's only outside count. A holder that is never spent leaks the
 *       graph; {@link #close()} releases it from any thread.</li>
 * </ul>
 *
 * <p>Thread-safety: safe to use from any thread, so safe to hand to another thread and spend there;
 * spending is atomic. The receiving thread must get the holder through a happens-before edge (a
 * concurrent queue, a thread start, a volatile field), which carries every write the sender made to
 * the graph.
 *
 * @param <T> the cypclass of the graph's root
 */
@InheritableMustCall("close")
public final class Isolated<T extends CyObject> implements AutoCloseable {

    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();
    private static final VarHandle ROOT;

    static {
        try {
            ROOT = MethodHandles.lookup().findVarHandle(Isolated.class, "root", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The graph's root while not spent, else 0; spent with one compare-and-set. */
    @SuppressWarnings("unused")     // through ROOT
    private volatile long root;
    /** The thread its objects are thread-local to: the one that consumed it. */
    private final long graphOwner;
    /** The root's address and type, for {@link #toString()} once spent (nothing is formatted before). */
    private final long identity;
    private final int typeId;

    private Isolated(long root, long graphOwner) {
        this.root = root;
        this.graphOwner = graphOwner;
        this.identity = root;
        this.typeId = Allocator.typeOf(root);
    }

    /**
     * Cython+'s {@code consume}: checks at run time that the graph reachable from
     * {@code reference} is referenced only from inside itself and from {@code reference}, then
     * closes {@code reference} and returns the graph as an isolated holder.
     *
     * <p>The check is trial deletion over the graph (as Cython+'s {@code CyObject_iso}): it
     * subtracts the references the graph's objects hold to one another and looks for a count
     * left above what {@code reference} accounts for. It stops at objects that are locked,
     * frozen or active: they are shareable by themselves and are not part of the graph. Its
     * cost is linear in the graph, its stack constant, and it allocates nothing on the Java
     * heap when it succeeds.
     *
     * @param reference an owned reference (from {@code create} or {@code newReference()}) to a
     *        thread-local instance of the calling thread
     * @param <T> the cypclass of the root
     * @return the isolated graph; {@code reference} is closed
     * @throws NotIsolatedException if an object of the graph is referenced from outside it
     *         (its message names the object and how many outside references it has); nothing
     *         changed, {@code reference} is still open
     * @throws IllegalArgumentException if {@code reference} is borrowed, garbage-collected or
     *         a view (it owns no count that could become the holder's)
     * @throws IllegalStateException if {@code reference} is closed, or its instance is not
     *         thread-local (already locked, frozen or inside a locked graph), or an object of
     *         the graph has changed capability 2^32 - 2 times (its stamps, which borrowed
     *         references compare, would repeat); nothing changed
     * @throws WrongThreadException if its instance is thread-local to another thread
     * @throws NullPointerException if {@code reference} is null
     */
    public static <T extends CyObject> Isolated<T> consume(@Owning T reference) {
        long root = OBJECTS.ownedInstance(reference);
        GraphWalk.Verdict verdict = GraphWalk.check(root, true);
        if (!verdict.isolated()) {
            throw notIsolated(root, verdict);
        }
        OBJECTS.disown(reference);
        return new Isolated<>(root, Thread.currentThread().threadId());
    }

    private static NotIsolatedException notIsolated(long root, GraphWalk.Verdict verdict) {
        String outsider = RefCount.describe(verdict.outsider());
        String where = verdict.outsider() == root ? "the root " + outsider : outsider + " (in the graph of " + RefCount.describe(root) + ")";
        if (verdict.outsideReferences() < 0) {
            return new NotIsolatedException("cannot consume " + RefCount.describe(root) + ": its graph holds " + outsider
                + ", which is thread-local to another thread", outsider, -1);
        }
        int n = verdict.outsideReferences();
        return new NotIsolatedException("cannot consume " + RefCount.describe(root) + ": " + where + " has " + n
            + " reference" + (n == 1 ? "" : "s") + " from outside the graph (another owned, borrowed-into-a-field,"
            + " garbage-collected or C reference" + (verdict.outsider() == root ? " besides the one consumed" : "")
            + "); close them, or clear the fields that hold it, then consume again", outsider, n);
    }

    /**
     * Makes the calling thread the owner of every object of the graph and returns an owned
     * reference to the root. Spends this holder.
     *
     * @return an owned, thread-local reference to the root, to close when done
     * @throws IllegalStateException if this holder is spent
     */
    @SuppressWarnings("unchecked")
    public @MustCallAlias T adopt(@MustCallAlias Isolated<T> this) {
        long object = take("adopt");
        adoptHere(object);
        return (T) OBJECTS.wrapOwned(object);
    }

    /**
     * Makes the graph locked (Cython+'s {@code cdef lock Adder b = consume a}): the root
     * becomes reachable by any thread, its fields and the objects of its graph only inside a
     * guard. Counts become atomic. Spends this holder.
     *
     * @return the first reference to the locked object
     * @throws IllegalStateException if this holder is spent
     */
    public @MustCallAlias Locked<T> lock(@MustCallAlias Isolated<T> this) {
        long object = take("lock");
        GraphWalk.switchGraph(object, graphOwner, CyObjectHeader.LOCKED | CyObjectHeader.ATOMIC_REFCOUNT,
            CyObjectHeader.LOCKED_MEMBER | CyObjectHeader.ATOMIC_REFCOUNT, CyObjectHeader.OWNER_SHARED);
        return new Locked<>(object);
    }

    /**
     * Freezes the graph: every object of it becomes read-only, for every thread, forever, and
     * any thread may read it without a lock. Counts become atomic; the last release, on any
     * thread, frees the graph. Spends this holder.
     *
     * @return the first reference to the frozen root
     * @throws IllegalStateException if this holder is spent
     */
    public @MustCallAlias Frozen<T> freeze(@MustCallAlias Isolated<T> this) {
        long object = take("freeze");
        int frozen = CyObjectHeader.FROZEN | CyObjectHeader.ATOMIC_REFCOUNT;
        GraphWalk.switchGraph(object, graphOwner, frozen, frozen, CyObjectHeader.OWNER_SHARED);
        @SuppressWarnings("unchecked")
        T view = (T) OBJECTS.wrapOwned(object);
        return new Frozen<>(view);
    }

    /**
     * Makes the graph active (Cython+'s {@code activate()}): an actor of {@code system} whose
     * messages run one at a time on the system's workers, each with exclusive access to the
     * graph. Counts become atomic. Spends this holder.
     *
     * @param system the system whose workers will run its messages
     * @return the first reference to the actor
     * @throws IllegalStateException if this holder is spent or the system is closed
     * @throws NullPointerException if {@code system} is null (this holder is not spent)
     */
    public @MustCallAlias Active<T> activate(@MustCallAlias Isolated<T> this, ActorSystem system) {
        Objects.requireNonNull(system, "system");
        if (system.isClosed()) {
            throw new IllegalStateException("cannot activate " + this + " on " + system + ": it is closed");
        }
        long object = take("activate");
        GraphWalk.switchGraph(object, graphOwner, CyObjectHeader.ACTIVE | CyObjectHeader.ATOMIC_REFCOUNT,
            CyObjectHeader.LOCKED_MEMBER | CyObjectHeader.ATOMIC_REFCOUNT, CyObjectHeader.OWNER_SHARED);
        return SharedSecrets.actors().activate(system, object);
    }

    /**
     * Cython+'s move of an isolated graph into a locked one's field: switches every object of
     * the graph into the locked graph of {@code guard}'s root. Spends this holder. For
     * {@link Locked.Guard#adopt}.
     */
    long joinLocked() {
        long object = take("store");
        GraphWalk.switchGraph(object, graphOwner, CyObjectHeader.LOCKED_MEMBER | CyObjectHeader.ATOMIC_REFCOUNT,
            CyObjectHeader.LOCKED_MEMBER | CyObjectHeader.ATOMIC_REFCOUNT, CyObjectHeader.OWNER_SHARED);
        return object;
    }

    /**
     * Tells whether this holder still holds its graph.
     *
     * @return false once spent or closed
     */
    public boolean isPending() {
        return (long) ROOT.getVolatile(this) != 0;
    }

    /**
     * Releases the graph, from any thread (the calling thread adopts it to release it). Does
     * nothing if this holder is spent.
     */
    @Override
    public void close() {
        long object = (long) ROOT.getAndSet(this, 0L);
        if (object != 0) {
            adoptHere(object);
            RefCount.release(object);
        }
    }

    /** Makes every object of the graph thread-local to the calling thread. */
    private void adoptHere(long object) {
        LocalHeap.current();    // registered before its id appears in any header (see Orphans)
        GraphWalk.switchGraph(object, graphOwner, CyObjectHeader.LOCAL, CyObjectHeader.LOCAL,
            Thread.currentThread().threadId());
    }

    private long take(String what) {
        long object = (long) ROOT.getAndSet(this, 0L);
        if (object == 0) {
            throw new IllegalStateException("cannot " + what + " " + this + ": it was already adopted, locked, frozen,"
                + " activated or closed (an isolated holder is spent once); to hand the graph on again, consume the"
                + " reference that adopted it: Isolated.consume(reference)");
        }
        return object;
    }

    /**
     * Describes the holder.
     *
     * @return for example {@code Isolated<com.example.Node object at 0x7f3a12c0>}
     */
    @Override
    public String toString() {
        return "Isolated" + RefCount.describe(BlockTypes.name(typeId), identity)
            + (isPending() ? "" : " (spent)");
    }
}
