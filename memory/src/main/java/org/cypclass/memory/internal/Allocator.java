package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The library's off-heap allocator.
 *
 * <p>Requests up to {@value SizeClasses#MEDIUM_LIMIT} bytes are rounded up to a size class
 * (16-byte steps up to 1 KiB, 128-byte steps above) and served from the calling thread's
 * {@link ThreadCache} without a lock or an atomic instruction; larger ones are big blocks
 * taken straight from malloc. A freed block goes to the freeing thread's cache, whichever
 * thread allocated it, and is the next block of its class that thread gets back. Every block
 * is counted by type ({@link Accounting}) and, when leak tracking is on, its allocation site
 * is kept ({@link LeakTracker}).
 *
 * <p><b>Unsafe.</b> Blocks are raw addresses, aligned to 8 bytes and not zeroed (see
 * {@link #allocateZeroed}). {@link #free} detects a double free while the block is not yet
 * reused, but cannot tell a stale address from a live block once reused: callers above this
 * package own their blocks through counted references.
 *
 * <p>Thread-safety: safe to use from any thread; a block may be freed by another thread than
 * the one that allocated it, provided the hand-over happened through a happens-before edge.
 */
public final class Allocator {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** Big blocks carry their size in a word before the prefix. */
    private static final int BIG_HEADER = 16;
    private static final Set<Long> BIG_BLOCKS = ConcurrentHashMap.newKeySet();

    private Allocator() {
    }

    /**
     * Allocates a block of at least {@code bytes} bytes, counted under {@code typeId}.
     *
     * @param typeId a type from {@link BlockTypes#register}
     * @param bytes the size, at least 1
     * @return the block's address, 8-byte aligned, contents unspecified
     * @throws IllegalArgumentException if {@code bytes} is not positive or the type is unknown
     */
    public static long allocate(int typeId, long bytes) {
        if (bytes <= 0 || bytes > SizeClasses.MEDIUM_LIMIT) {
            return allocateBig(typeId, bytes);
        }
        int sizeClass = SizeClasses.of(bytes);
        ThreadCache cache = ThreadCache.current();
        cache.counters.add(typeId, SizeClasses.size(sizeClass));
        long block = cache.pop(sizeClass);
        BlockPrefix.write(block, typeId, sizeClass, BlockPrefix.ALLOCATED);
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.allocated(block);
        }
        return block;
    }

    /**
     * Allocates a block as {@link #allocate} does, with every byte set to zero.
     *
     * @param typeId a type from {@link BlockTypes#register}
     * @param bytes the size, at least 1
     * @return the block's address
     */
    public static long allocateZeroed(int typeId, long bytes) {
        long block = allocate(typeId, bytes);
        for (long offset = 0; offset < bytes; offset += Long.BYTES) {
            LONG.set(ALL, block + offset, 0L);
        }
        return block;
    }

    /**
     * Frees a block. Its memory is reused by the next allocation of the same size class on
     * this thread (in debug mode, after a quarantine).
     *
     * @param block an address returned by {@link #allocate} and not freed since
     * @throws IllegalStateException if the block is already free. A big block (over
     *         {@value SizeClasses#MEDIUM_LIMIT} bytes) goes back to the C library at once, so
     *         only blocks of the size classes are checked this way after their free.
     */
    public static void free(long block) {
        int sizeClass = BlockPrefix.sizeClass(block);
        if (BlockPrefix.state(block) != BlockPrefix.ALLOCATED) {
            throw notAllocated(block);
        }
        if (sizeClass == BlockPrefix.BIG_CLASS) {
            freeBig(block);
            return;
        }
        ThreadCache cache = ThreadCache.current();
        cache.counters.subtract(BlockPrefix.typeId(block), SizeClasses.size(sizeClass));
        BlockPrefix.markFree(block);
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.freed(block);
        }
        if (cache.quarantine != null) {
            Quarantine.poison(block, SizeClasses.size(sizeClass));
            block = cache.quarantine.admit(block);
            if (block == 0) {
                return;
            }
        }
        cache.push(BlockPrefix.sizeClass(block), block);
    }

    /**
     * Returns the number of bytes the block can hold, at least what was asked for.
     *
     * @param block a live block
     * @return the number of bytes the block can hold, at least what was asked for
     */
    public static long usableSize(long block) {
        int sizeClass = BlockPrefix.sizeClass(block);
        return sizeClass == BlockPrefix.BIG_CLASS ? (long) LONG.get(ALL, block - BIG_HEADER) : SizeClasses.size(sizeClass);
    }

    /**
     * Returns the type id it was allocated with.
     *
     * @param block a live block
     * @return the type id it was allocated with
     */
    public static int typeOf(long block) {
        return BlockPrefix.typeId(block);
    }

    /**
     * Returns whether it is allocated now (false once freed, until reused).
     *
     * @param block an address that was returned by {@link #allocate}
     * @return whether it is allocated now (false once freed, until reused)
     */
    public static boolean isAllocated(long block) {
        return BlockPrefix.state(block) == BlockPrefix.ALLOCATED;
    }

    /** Receives each live block of a heap walk. */
    @FunctionalInterface
    public interface LiveBlockVisitor {
        /**
         * See the parameters.
         *
         * @param block the block's address
         * @param typeId its type
         * @param size its usable size in bytes
         */
        void visit(long block, int typeId, long size);
    }

    /**
     * Visits every live block. The result is exact only while no other thread allocates or
     * frees (for example at the end of a test); otherwise it is a best-effort view.
     *
     * @param visitor receives each live block
     */
    public static void forEachLiveBlock(LiveBlockVisitor visitor) {
        ChunkSpace.walk((block, typeId, size, allocated) -> {
            if (allocated) {
                visitor.visit(block, typeId, size);
            }
        });
        for (long block : BIG_BLOCKS) {
            visitor.visit(block, BlockPrefix.typeId(block), usableSize(block));
        }
    }

    /**
     * See the parameters.
     *
     * @return per type id, {@code [2t]} live blocks and {@code [2t + 1]} live bytes over all threads
     */
    public static long[] liveTotals() {
        return Accounting.totals();
    }

    private static long allocateBig(int typeId, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes: the size must be positive");
        }
        Accounting.Counters counters = ThreadCache.current().counters;
        counters.add(typeId, bytes);
        long base;
        try {
            base = NativeAccess.malloc(bytes + BIG_HEADER);
        } catch (OutOfMemoryError e) {
            counters.subtract(typeId, bytes);
            throw e;
        }
        long block = base + BIG_HEADER;
        LONG.set(ALL, base, bytes);
        BlockPrefix.write(block, typeId, BlockPrefix.BIG_CLASS, BlockPrefix.ALLOCATED);
        BIG_BLOCKS.add(block);
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.allocated(block);
        }
        return block;
    }

    private static void freeBig(long block) {
        long bytes = usableSize(block);
        ThreadCache.current().counters.subtract(BlockPrefix.typeId(block), bytes);
        BlockPrefix.markFree(block);
        BIG_BLOCKS.remove(block);
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.freed(block);
        }
        NativeAccess.free(block - BIG_HEADER);
    }

    private static IllegalStateException notAllocated(long block) {
        String what = BlockPrefix.state(block) == BlockPrefix.FREE
            ? "it is already free (double free)"
            : "it is not a block of this allocator, or its prefix was overwritten";
        return new IllegalStateException(String.format("cannot free the %s block at 0x%x: %s",
            BlockTypes.name(BlockPrefix.typeId(block)), block, what));
    }
}
