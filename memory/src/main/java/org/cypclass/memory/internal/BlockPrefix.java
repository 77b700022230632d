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
 *    63        56 55        48 47            32 31                             0
 *   +------------+------------+----------------+--------------------------------+
 *   | state (8)  | class (8)  | type id (16)   | generation (32)                |
 *   |            |            |                | or, for a filler, its length   |
 *   +------------+------------+----------------+--------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@code state}: {@link #ALLOCATED}, {@link #FREE} or {@link #RETIRED}; anything else
 *       is not a block of this allocator (or memory overwritten by a stray write).</li>
 *   <li>{@code class}: index into {@link SizeClasses}, {@link #BIG_CLASS} for a block
 *       obtained directly from malloc, {@link #FILLER_CLASS} for the unused tail of a
 *       region (so that a heap walk can step over it).</li>
 *   <li>{@code type id}: the accounting type of the block ({@link BlockTypes}).</li>
 *   <li>{@code generation}: how many times this block has been handed out. It survives
 *       free (the state bits flip, nothing else) and every allocation adds one, so the whole
 *       word of a live block is a <em>stamp</em> no other allocation of that block ever
 *       shows: a non-owning reference that remembered the stamp can tell, with one load,
 *       whether its block still holds the same object (Vale's generational references). A
 *       block whose generation would wrap is {@link #RETIRED} instead of reused, and a live
 *       block's renewal at the last one (a change of capability, {@link Allocator#renewStamp})
 *       is refused, so stamps never repeat. For a {@link #FILLER_CLASS} prefix this field is the byte length of the
 *       unused run that follows.</li>
 * </ul>
 *
 * <p>Only the thread that holds a block (allocating, freeing, or walking a quiescent heap)
 * writes its prefix, so every write here is plain. A stamp check may read the prefix of a
 * block another thread frees: the word is read whole (aligned 64-bit access), and the block
 * stays in mapped memory (chunks are never returned to the C library; the {@link Trimmer} may
 * drop a free region's pages, which then read as zero, a prefix no stamp equals).
 */
final class BlockPrefix {

    /** Bytes in front of each block. Blocks are 8-byte aligned, the C ABI alignment of every field type. */
    static final int SIZE = 8;

    static final int BIG_CLASS = 0xFF;
    static final int FILLER_CLASS = 0xFE;

    static final int ALLOCATED = 0xA1;
    static final int FREE = 0xF4;
    /** A block whose generation is exhausted: never handed out again. */
    static final int RETIRED = 0xDE;

    /** The largest type id a prefix can hold. */
    static final int MAX_TYPE_ID = 0xFFFF;
    /** The last generation a block may reach before it is retired. */
    static final long LAST_GENERATION = 0xFFFF_FFFFL;

    /** XOR turning an allocated prefix into the same block's free prefix. */
    static final long ALLOCATED_TO_FREE = (long) (ALLOCATED ^ FREE) << 56;
    /** XOR turning an allocated prefix into the same block's retired prefix. */
    static final long ALLOCATED_TO_RETIRED = (long) (ALLOCATED ^ RETIRED) << 56;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    private BlockPrefix() {
    }

    static long pack(int typeId, int sizeClass, int state, long generation) {
        return ((long) state << 56) | ((long) sizeClass << 48) | ((long) (typeId & MAX_TYPE_ID) << 32)
            | (generation & LAST_GENERATION);
    }

    /** A filler prefix covering {@code length} bytes. */
    static long filler(long length) {
        return pack(0, FILLER_CLASS, FREE, length);
    }

    /** The prefix of a block handed out again: allocated, its type, one generation on. */
    static long reallocated(long previous, int typeId, int sizeClass) {
        return pack(typeId, sizeClass, ALLOCATED, generation(previous) + 1);
    }

    static long read(long block) {
        return (long) LONG.get(ALL, block - SIZE);
    }

    static void write(long block, long prefix) {
        LONG.set(ALL, block - SIZE, prefix);
    }

    /** {@link #read} of a block the allocator handed out itself, its bounds check folded ({@link NativeAccess#ownAddress}). */
    static long readOwn(long block) {
        return (long) LONG.get(ALL, NativeAccess.ownAddress(block - SIZE));
    }

    /** {@link #write} to a block the allocator handed out itself, its bounds check folded. */
    static void writeOwn(long block, long prefix) {
        LONG.set(ALL, NativeAccess.ownAddress(block - SIZE), prefix);
    }

    /** Whether two prefixes differ only in the generation (the low 32 bits). */
    static boolean sameKind(long prefix, long other) {
        return ((prefix ^ other) >>> 32) == 0;
    }

    static int typeId(long prefix) {
        return (int) (prefix >>> 32) & MAX_TYPE_ID;
    }

    static int sizeClass(long prefix) {
        return (int) (prefix >>> 48) & 0xFF;
    }

    static int state(long prefix) {
        return (int) (prefix >>> 56) & 0xFF;
    }

    static long generation(long prefix) {
        return prefix & LAST_GENERATION;
    }

    /** The length of the run a filler prefix covers. */
    static long fillerLength(long prefix) {
        return prefix & LAST_GENERATION;
    }
}
