package org.cypclass.objects.actors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.MustCallUnknown;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * A reference to an active object: Cython+'s {@code active} capability, "all references share a
 * message queue". Made from an isolated graph ({@code Isolated.consume(a).activate(system)}).
 * Its methods are not called directly: messages are sent, and the actor runs them one at a time
 * on the workers of its {@link ActorSystem}, each with exclusive access to the object and its
 * graph.
 *
 * <pre>{@code
 * adder.tell(a -> a.add(3));                       // fire and forget
 * ActorFuture<Integer> r = adder.ask(a -> a.add(4));
 * }</pre>
 *
 * <ul>
 *   <li>The object a message receives is valid during that message only; references read
 *       from its fields too. Used after, they throw {@code CapabilityException}.</li>
 *   <li>A message should capture only what may cross threads: primitives, immutable Java
 *       values, frozen, locked or active references. A thread-local reference captured by a
 *       message fails when the message uses it on a worker ({@link WrongThreadException},
 *       reported like any failure); it never corrupts anything.</li>
 *   <li>The object is released when its last reference is closed and its mailbox is empty,
 *       on whichever thread comes last.</li>
 * </ul>
 *
 * <p>Thread-safety: safe to use from any thread: {@link #tell} and {@link #ask} may be called from
 * any number of threads through one {@code Active}; {@link #close()} once, after this thread's last
 * use (each thread that keeps the actor beyond the others takes its own with
 * {@link #newReference()}).
 *
 * @param <T> the cypclass of the active object
 */
@InheritableMustCall("close")
public final class Active<T extends CyObject> implements AutoCloseable {

    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();
    /** The cell of every live active object, so that a reference found in a field finds its mailbox. */
    private static final ConcurrentHashMap<Long, ActorCell> CELLS = new ConcurrentHashMap<>();
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Active.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ActorCell cell;
    @SuppressWarnings("unused")     // through CLOSED
    private volatile boolean closed;

    private Active(ActorCell cell) {
        this.cell = cell;
    }

    /** Makes the first reference to a new actor; for {@link Activation}. */
    static <T extends CyObject> Active<T> activate(ActorSystem system, long address) {
        ActorCell cell = new ActorCell(system, address);
        CELLS.put(address, cell);
        return new Active<>(cell);
    }

    /**
     * Takes another reference to an active object found through an ordinary reference (a
     * borrowed one read from a field, or a {@link #handle()}).
     *
     * @param reference a reference to an active object
     * @param <T> its cypclass
     * @return a new reference owning one count
     * @throws IllegalArgumentException if the object is not active (it is made only with
     *         {@code Isolated.consume(reference).activate(system)})
     * @throws IllegalStateException if the reference is closed or its target died
     */
    public static <T extends CyObject> Active<T> from(T reference) {
        long object = OBJECTS.use(reference);
        ActorCell cell = CELLS.get(object);
        if (cell == null || CyObjectHeader.capability(RefCount.state(object)) != CyObjectHeader.ACTIVE) {
            throw new IllegalArgumentException(reference + " is not active: an active object is made from an isolated"
                + " graph, with Isolated.consume(reference).activate(system)");
        }
        RefCount.retainShared(object);
        return new Active<>(cell);
    }

    /**
     * Sends a message and returns at once; the actor runs it later, after the messages this
     * thread sent before.
     *
     * @param message receives the active object, valid during the message only
     * @throws IllegalStateException if this reference is closed, or the system is closed
     */
    public void tell(Consumer<? super T> message) {
        Objects.requireNonNull(message, "message");
        open();
        cell.send(message);
    }

    /**
     * Sends a request and returns its future result.
     *
     * @param request computes the result from the active object, valid during the request only
     * @param <R> the result type
     * @return completed with the request's result, or exceptionally with what it threw
     * @throws IllegalStateException if this reference is closed, or the system is closed
     */
    public <R extends @MustCallUnknown Object> ActorFuture<R> ask(Function<? super T, ? extends R> request) {
        Objects.requireNonNull(request, "request");
        open();
        ActorFuture<R> future = new ActorFuture<>(cell);
        cell.send(new ActorCell.Ask<>(request, future));
        return future;
    }

    /**
     * Takes another reference to the same actor.
     *
     * @return a new reference owning one count
     * @throws IllegalStateException if this reference is closed
     */
    public Active<T> newReference() {
        open();
        RefCount.retainShared(cell.address);
        return new Active<>(cell);
    }

    /**
     * Returns a reference to the active object that may be stored into a field or passed,
     * never read through; {@link #from} turns it back into an {@code Active}. It owns no count.
     *
     * @return the handle
     * @throws IllegalStateException if this reference is closed
     */
    @SuppressWarnings("unchecked")
    @NotOwning
    public T handle() {
        open();
        return (T) OBJECTS.lockedHandle(cell.address);
    }

    /**
     * Returns the system whose workers run this actor; fixed at activation, also readable once
     * this reference is closed.
     *
     * @return its system
     */
    public ActorSystem system() {
        return cell.system;
    }

    /**
     * Gives this reference's count back; the object dies when no reference is left and its
     * mailbox is empty. Does nothing if already closed.
     */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            release(cell);
        }
    }

    /**
     * {@return whether this reference is open: false once closed}
     */
    public boolean isOpen() {
        return !(boolean) CLOSED.getVolatile(this);
    }

    @Override
    public String toString() {
        return cell + (isOpen() ? "" : " (closed reference)");
    }

    private void open() {
        if ((boolean) CLOSED.getVolatile(this)) {
            throw new IllegalStateException("cannot use " + this + ": it is closed; take another with newReference()"
                + " before closing this one");
        }
    }

    /**
     * Gives back one count of {@code cell}'s object; when it was the last, the object has died
     * and its address may hold another object soon, so the cell is forgotten.
     */
    static void release(ActorCell cell) {
        if (RefCount.releaseShared(cell.address)) {
            CELLS.remove(cell.address, cell);
        }
    }
}
