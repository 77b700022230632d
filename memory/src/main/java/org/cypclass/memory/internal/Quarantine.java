package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.cypclass.memory.CyObjectHeader;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * Debug mode only ({@code -Dcypclass.memory.debug=true}): freed blocks are filled with
 * {@link #POISON} and held back for {@link #CAPACITY} further frees before they can be
 * reused. A stale address then reads poison instead of a new object (a header whose state
 * word is poison is reported as dead), and a stale write is caught when the block leaves
 * quarantine with its poison disturbed.
 *
 * <p>Thread-safety: confined to the owning thread, as the {@link LocalHeap} that holds it.
 */
final class Quarantine {

    static final long POISON = 0xDEADBEEF_DEADBEEFL;
    static final int CAPACITY = 1024;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private final long[] blocks = new long[CAPACITY];
    private int next;
    private int size;

    static void poison(long block, int bytes) {
        for (int offset = 0; offset < bytes; offset += Long.BYTES) {
            LONG.set(ALL, block + offset, POISON);
        }
    }

    /**
     * Takes in a freed, poisoned block.
     *
     * @return the block that leaves quarantine to be reused, checked intact, or 0
     */
    long admit(long block) {
        long leaving = 0;
        if (size == CAPACITY) {
            leaving = blocks[next];
        } else {
            size++;
        }
        blocks[next] = block;
        next = (next + 1) % CAPACITY;
        if (leaving != 0) {
            // A corrupted block has already left the ring: it is dropped, never reused.
            checkIntact(leaving);
        }
        return leaving;
    }

    /** Empties the quarantine into {@code sink}, checking every block. */
    void drain(java.util.function.LongConsumer sink) {
        for (int i = 0; i < size; i++) {
            long block = blocks[(next - size + i + CAPACITY) % CAPACITY];
            checkIntact(block);
            sink.accept(block);
        }
        size = 0;
    }

    /**
     * Names the header word at {@code offset} of an object's block: C changes the count of a
     * freed object without Java seeing it ({@code cyobject.h}'s macros trust their pointer),
     * so the one trace such a bug leaves is here.
     */
    private static String headerWord(int typeId, long offset) {
        if (BlockTypes.typeObject(typeId) == 0 || offset >= CyObjectHeader.SIZE) {
            return "";
        }
        if (offset == CyObjectHeader.NOGIL_OB_REFCNT) {
            return ", the header's nogil_ob_refcnt and ob_state (a Cy_INCREF or Cy_DECREF from C"
                + " on the object after its last reference was released? C must hold a count, taken"
                + " with Cy_INCREF, for as long as it keeps the pointer)";
        }
        return offset == CyObjectHeader.OB_REFCNT ? ", the header's ob_refcnt"
            : offset == CyObjectHeader.OB_TYPE ? ", the header's ob_type" : ", the header's ob_owner";
    }

    private static void checkIntact(long block) {
        long prefix = BlockPrefix.read(block);
        int bytes = SizeClasses.size(BlockPrefix.sizeClass(prefix));
        for (int offset = 0; offset < bytes; offset += Long.BYTES) {
            long value = (long) LONG.get(ALL, block + offset);
            if (value != POISON) {
                int typeId = BlockPrefix.typeId(prefix);
                throw new IllegalStateException(String.format(
                    "write after free: a freed block of type %s at 0x%x was modified at offset %d%s "
                        + "(found 0x%x); some code kept its address after releasing it",
                    BlockTypes.name(typeId), block, offset, headerWord(typeId, offset), value));
            }
        }
    }
}
