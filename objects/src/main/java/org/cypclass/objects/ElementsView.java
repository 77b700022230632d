package org.cypclass.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.RefCount;

/**
 * The elements of a cypclass's flexible array member as one {@link MemorySegment}, for code
 * that works on segments: vectorised loops, {@code MemorySegment.copy}, native calls.
 * Opened by the generated {@code nameView()} accessor:
 *
 * <pre>{@code
 * try (ElementsView view = samples.valuesView()) {
 *     MemorySegment values = view.segment();   // valuesLength() doubles, 8-byte aligned
 *     for (long i = 0; i < values.byteSize(); i += 8) {
 *         sum += values.get(ValueLayout.JAVA_DOUBLE, i);
 *     }
 * }
 * }</pre>
 *
 * <p>The segment cannot outlive the instance, and cannot be used after the view:
 * <ul>
 *   <li>An open view holds one count of the instance, as an owned reference does: closing the
 *       last reference while the view is open does not free the elements; closing the view
 *       then does.</li>
 *   <li>The segment belongs to a confined {@link Arena} that {@link #close()} closes: any use
 *       of it afterwards throws {@link IllegalStateException} instead of reading memory that
 *       may hold another object by then.</li>
 *   <li>The segment spans exactly the elements ({@code length * elementSize} bytes, native
 *       byte order, aligned to the element size), not the header or the other fields.</li>
 *   <li>Reads and writes through the segment skip the per-access checks of the accessors (that
 *       is its point); its own bounds and confinement checks remain.</li>
 *   <li>A frozen instance's view is read-only ({@link MemorySegment#asReadOnly()}): the JDK
 *       refuses every write through it. A locked or active instance has no view (it would
 *       outlive the guard or message): copy its elements inside the guard instead.</li>
 * </ul>
 * A view that is never closed keeps its instance alive for ever (a leak, as an unclosed owned
 * reference is); use try-with-resources. Opening a view costs an arena and a segment on the
 * Java heap: open one per batch of work, not per element.
 *
 * <p>Thread-safety: confined to the owning thread, the one that opened the view: the segment
 * and {@link #close()} throw {@link WrongThreadException} on any other thread.
 */
@InheritableMustCall("close")
public final class ElementsView implements AutoCloseable {

    private final Class<?> type;
    private final String field;
    /** The instance, of which this view holds one count until closed. */
    private final long instance;
    private final Arena arena;
    private final MemorySegment segment;

    private ElementsView(Class<?> type, String field, long instance, Arena arena, MemorySegment segment) {
        this.type = type;
        this.field = field;
        this.instance = instance;
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Opens a view of {@code bytes} bytes at {@code elements}, inside a live instance the caller
     * may use; read-only ({@link MemorySegment#asReadOnly()}) for a frozen one.
     */
    static ElementsView open(Class<?> type, String field, long instance, long elements, long bytes, boolean readOnly) {
        Arena arena = Arena.ofConfined();
        try {
            MemorySegment writable = NativeAccess.segment(elements, bytes, arena);
            MemorySegment segment = readOnly ? writable.asReadOnly() : writable;
            RefCount.retain(instance);
            return new ElementsView(type, field, instance, arena, segment);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * {@return a segment over the elements, valid until this view is closed}
     *
     * @throws IllegalStateException if this view is closed
     * @throws WrongThreadException if called from another thread than the one that opened it
     */
    public MemorySegment segment() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("this view of " + Access.describe(type, instance) + "." + field
                + "[] is closed; open another one with " + field + "View()");
        }
        // Refused here rather than at the segment's first use, with a message naming the view.
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("this view of " + Access.describe(type, instance) + "." + field
                + "[] is confined to the thread that opened it; " + Access.describeCurrentThread() + " may not use it");
        }
        return segment;
    }

    /**
     * Closes the segment, then gives back this view's count of the instance (which destroys
     * the instance if every reference to it is already closed). Closing again does nothing.
     *
     * @throws WrongThreadException if called from another thread than the one that opened
     *         it; the view then stays open
     */
    @Override
    public void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        // Closed first: a wrong thread is refused here, before the count moves.
        arena.close();
        RefCount.release(instance);
    }

    /**
     * Describes the view.
     *
     * @return for example {@code view of <com.example.Samples object at 0x7f3a12c0>.values[] (80 bytes)}
     */
    @Override
    public String toString() {
        return "view of " + Access.describe(type, instance) + "." + field + "[] (" + segment.byteSize() + " bytes"
            + (arena.scope().isAlive() ? ")" : ", closed)");
    }
}
