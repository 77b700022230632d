package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * Descriptor of the 8-byte prefix the allocator keeps in front of every block, read and
 * written as one 64-bit word so that a hot path touches it with a single access.
 *
 * <pre>
 *   the int64 at (block - 8):
 *    63            48 47            32 31                             0
 *   +----------------+----------------+--------------------------------+
 *   | state (16)     | size class (16)| type id (32)                   |
 *   |                |                | or, for a filler, its length   |
 *   +----------------+----------------+--------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code type id}: the accounting type of the block ({@link BlockTypes}); for a
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

    /** XOR turning an allocated prefix into the same block's free prefix. */
    static final long ALLOCATED_TO_FREE = (long) (ALLOCATED ^ FREE) << 48;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private BlockPrefix() {
    }

    static long pack(int typeIdOrLength, int sizeClass, int state) {
        return ((long) state << 48) | ((long) sizeClass << 32) | (typeIdOrLength & 0xFFFF_FFFFL);
    }

    static long read(long block) {
        return (long) LONG.get(ALL, block - SIZE);
    }

    static void write(long block, long prefix) {
        LONG.set(ALL, block - SIZE, prefix);
    }

    static int typeId(long prefix) {
        return (int) prefix;
    }

    static int sizeClass(long prefix) {
        return (int) (prefix >>> 32) & 0xFFFF;
    }

    static int state(long prefix) {
        return (int) (prefix >>> 48);
    }
}
