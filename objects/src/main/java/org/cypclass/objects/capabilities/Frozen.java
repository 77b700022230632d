package org.cypclass.objects.capabilities;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * A reference to a frozen object: the immutable capability that Cython+ lists and never
 * built. Made by {@link Isolated#freeze()}: the whole isolated graph becomes read-only, forever,
 * for every thread, so any thread reads it without a lock and without a data race.
 *
 * <pre>{@code
 * Frozen<Config> config = Isolated.consume(draft).freeze();
 * pool.submit(() -> config.get().port());                 // any thread reads
 * config.get().port(80);                                  // throws CapabilityException
 * }</pre>
 *
 * <ul>
 *   <li>{@link #get()} is a view of the root: its field reads cost what a thread-local read
 *       costs; any write throws {@link CapabilityException} naming the object. References read
 *       from its fields are borrowed, read-only and usable by any thread.</li>
 *   <li>Frozen objects may be stored into fields of thread-local and locked objects, which
 *       then hold a count of them.</li>
 *   <li>Counts are atomic. The last release, on whichever thread, frees the whole graph exactly
 *       once.</li>
 * </ul>
 *
 * <p>Thread-safety: safe to use from any thread: any number of threads may read through one
 * {@code Frozen} at once. Its {@link #close()} must happen after every other thread's last use
 * of it, as for any counted buffer: give each thread that outlives the others its own with
 * {@link #newReference()}.
 *
 * @param <T> the cypclass of the frozen root
 */
@InheritableMustCall("close")
public final class Frozen<T extends CyObject> implements AutoCloseable {

    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();

    private final T view;

    Frozen(T view) {
        this.view = view;
    }

    /**
     * Takes another reference to a frozen object found through an ordinary one (a borrowed
     * reference read from a field, or a view).
     *
     * @param reference a reference to a frozen object
     * @param <T> its cypclass
     * @return a new reference owning one count
     * @throws IllegalArgumentException if the object is not frozen (a frozen object is made
     *         only with {@code Isolated.consume(reference).freeze()})
     * @throws IllegalStateException if the reference is closed or its target died
     */
    @SuppressWarnings("unchecked")
    public static <T extends CyObject> Frozen<T> from(T reference) {
        long object = OBJECTS.use(reference);
        if (CyObjectHeader.capability(RefCount.state(object)) != CyObjectHeader.FROZEN) {
            throw new IllegalArgumentException(reference + " is not frozen: a frozen object is made from an isolated"
                + " graph, with Isolated.consume(reference).freeze()");
        }
        return new Frozen<>((T) reference.newReference());
    }

    /**
     * Returns the read-only view of the frozen root, valid while this reference is open.
     * Once this reference is closed the view is closed too: it is still returned, and every
     * use of it throws {@link IllegalStateException}.
     *
     * @return the view: reads its fields, any thread; writes throw
     */
    @NotOwning
    public T get() {
        return view;
    }

    /**
     * Takes another reference to the same frozen object.
     *
     * @return a new reference owning one count
     * @throws IllegalStateException if this reference is closed
     */
    @SuppressWarnings("unchecked")
    public Frozen<T> newReference() {
        return new Frozen<>((T) view.newReference());
    }

    /**
     * {@return whether this reference is open: false once closed}
     */
    public boolean isOpen() {
        return view.isOpen();
    }

    /**
     * Gives this reference's count back, from any thread; the last one frees the graph.
     * Does nothing if already closed.
     */
    @Override
    public void close() {
        view.close();
    }

    /**
     * Describes the reference.
     *
     * @return for example {@code Frozen<com.example.Config object at 0x7f3a12c0>}
     */
    @Override
    public String toString() {
        return "Frozen" + view;
    }
}
