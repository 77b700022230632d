package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.CyObjectHeader;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * Destroys objects whose last reference went: runs the type's {@link Destructor}, then frees
 * the block, on the releasing thread.
 *
 * <p>A destructor releases the references its object holds, which may kill further objects.
 * Destroying those recursively would overflow the stack on a long chain (a linked list of a
 * million nodes), so a thread already destroying only queues them: the queue is intrusive,
 * linked through the dead objects' {@code ob_refcnt} word, which no one reads once the nogil
 * count is zero. The outermost call drains the queue in a loop, using constant stack and no
 * Java allocation.
 *
 * <p>If a destructor throws, the object is still freed, the remaining queue is still drained,
 * and the first failure is rethrown at the end (later ones are added as suppressed), so a
 * failing destructor never leaks the rest of the graph.
 *
 * <p>Thread-safety: safe to use from any thread; each thread queues on its own
 * {@link LocalHeap}.
 */
final class Destruction {

    private static final VarHandle LINK = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private Destruction() {
    }

    /** Destroys {@code object}, whose state the caller has just set to {@code DEAD}. */
    static void run(long object) {
        LocalHeap heap = LocalHeap.current();
        if (BlockTypes.destructor(Allocator.typeOf(object)) == Destructor.NONE) {
            // No user code runs and nothing else is released: no queue, nothing to report,
            // and freeing now is right even inside another object's destructor.
            heap.free(object);
            return;
        }
        if (heap.destroying) {
            LINK.set(ALL, object + CyObjectHeader.OB_REFCNT, heap.pendingDestruction);
            heap.pendingDestruction = object;
            return;
        }
        heap.destroying = true;
        Throwable failure = null;
        try {
            long next = object;
            while (next != 0) {
                failure = destroyOne(heap, next, failure);
                next = heap.pendingDestruction;
                if (next != 0) {
                    heap.pendingDestruction = (long) LINK.get(ALL, next + CyObjectHeader.OB_REFCNT);
                }
            }
        } finally {
            heap.destroying = false;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        } else if (failure instanceof Error error) {
            throw error;
        } else if (failure != null) {
            throw new IllegalStateException("a destructor failed", failure);
        }
    }

    private static Throwable destroyOne(LocalHeap heap, long object, Throwable failure) {
        try {
            Destructor destructor = BlockTypes.destructor(Allocator.typeOf(object));
            if (destructor != Destructor.NONE) {
                destructor.destroy(object);
            }
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            } else {
                failure.addSuppressed(t);
            }
        }
        heap.free(object);
        return failure;
    }
}
