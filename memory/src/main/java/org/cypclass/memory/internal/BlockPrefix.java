package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * Descriptor of the 8-byte prefix the allocator keeps in front of every block.
 *
 * <pre>
 *   address - 8                address - 4      address - 2      address
 *   +--------------------------+----------------+----------------+-----------------
 *   | type id (int32)          | size class     | state (uint16) | block bytes ...
 *   | or filler length         | (uint16)       |                |
 *   +--------------------------+----------------+----------------+-----------------
 * </pre>
 *
 * <ul>
 *   <li>{@code type id}: the accounting type of a live block ({@link BlockTypes}); for a
 *       {@link #FILLER_CLASS} prefix, the length in bytes of the unused run that follows.</li>
 *   <li>{@code size class}: index into {@link SizeClasses}, {@link #BIG_CLASS} for a block
 *       obtained directly from malloc, {@link #FILLER_CLASS} for the unused tail of a
 *       region (so that a heap walk can step over it).</li>
 *   <li>{@code state}: {@link #ALLOCATED} or {@link #FREE}; anything else is not a block
 *       of this allocator (or memory overwritten by a stray write).</li>
 * </ul>
 *
 * <p>Only the thread that holds a block (allocating, freeing, or walking a quiescent heap)
 * reads or writes its prefix, so every access here is plain.
 */
final class BlockPrefix {

    /** Bytes in front of each block. Blocks are 8-byte aligned, the C ABI alignment of every field type. */
    static final int SIZE = 8;

    static final int BIG_CLASS = 0xFFFF;
    static final int FILLER_CLASS = 0xFFFE;

    static final int ALLOCATED = 0xA11C;
    static final int FREE = 0xF4EE;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private BlockPrefix() {
    }

    static int typeId(long block) {
        return (int) INT.get(ALL, block - 8);
    }

    static int sizeClass(long block) {
        return (int) INT.get(ALL, block - 4) & 0xFFFF;
    }

    static int state(long block) {
        return (int) INT.get(ALL, block - 4) >>> 16;
    }

    static void write(long block, int typeIdOrLength, int sizeClass, int state) {
        INT.set(ALL, block - 8, typeIdOrLength);
        INT.set(ALL, block - 4, (state << 16) | sizeClass);
    }

    static void markFree(long block) {
        INT.set(ALL, block - 4, (FREE << 16) | sizeClass(block));
    }
}
