package org.cypclass.tests.memory;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.RefCount;

/**
 * A hand-made object type for the memory tests: a header and one reference field, whose
 * destructor counts its runs and releases the referenced object, as a generated cypclass
 * destructor will.
 */
final class TestObjects {

    static final long SIZE = CyObjectHeader.SIZE + 8;
    static final AtomicInteger DESTROYED = new AtomicInteger();
    static final int NODE = BlockTypes.register("org.cypclass.tests.Node", TestObjects::destroy);

    private TestObjects() {
    }

    static long newNode(long next) {
        long node = RefCount.allocate(NODE, SIZE);
        setNext(node, next);
        return node;
    }

    static void setNext(long node, long next) {
        NativeAccess.segment(node, SIZE).set(ValueLayout.JAVA_LONG, CyObjectHeader.SIZE, next);
    }

    static long next(long node) {
        return NativeAccess.segment(node, SIZE).get(ValueLayout.JAVA_LONG, CyObjectHeader.SIZE);
    }

    private static void destroy(long node) {
        DESTROYED.incrementAndGet();
        long next = next(node);
        if (next != 0) {
            RefCount.release(next);
        }
    }
}
