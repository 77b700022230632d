package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The library's off-heap allocator, as static calls on the calling thread's
 * {@link LocalHeap}.
 *
 * <p>Requests up to {@value SizeClasses#MEDIUM_LIMIT} bytes are rounded up to a size class
 * (16-byte steps up to 1 KiB, 128-byte steps above) and served from the calling thread's
 * heap without a lock or an atomic instruction; larger ones are big blocks taken straight
 * from malloc. A freed block goes to the freeing thread's heap, whichever thread allocated
 * it, and is the next block of its class that thread gets back. Every block is counted by
 * type ({@link Accounting}) and, when leak tracking is on, its allocation site is kept
 * ({@link LeakTracker}).
 *
 * <p><b>Unsafe.</b> Blocks are raw addresses, aligned to 8 bytes and not zeroed (see
 * {@link #allocateZeroed}). A double free is detected while the block is not yet reused,
 * except for big blocks, which go back to the C library at once. A stale address cannot be
 * told from a live block once reused: callers above this package own their blocks through
 * counted references.
 *
 * <p>Thread-safety: safe to use from any thread; a block may be freed by another thread than
 * the one that allocated it, provided the hand-over happened through a happens-before edge.
 */
public final class Allocator {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    /**
     * Big blocks start {@value} bytes into their malloc'd memory, keeping its 16-byte
     * alignment: {@code [0]} the usable size, {@code [8]} the address of the block's stamp
     * stub, {@code [16]} unused, {@code [24]} the prefix.
     */
    private static final int BIG_HEADER = 32;
    private static final int BIG_SIZE_AT = BIG_HEADER;
    private static final int BIG_STUB_AT = BIG_HEADER - 8;
    /**
     * A big block goes back to the C library when freed, which may unmap it, so its own prefix
     * cannot be read through a stale address. Its stamp lives instead in a small block of this
     * type (chunk memory is never unmapped), allocated and freed with it.
     */
    private static final int STUB_TYPE = BlockTypes.register("big block stamp");
    /**
     * The live big blocks, for heap walks: a doubly linked list threaded through their stubs
     * ({@code stub[0]} the previous block, {@code stub[8]} the next; a stub's own words are
     * otherwise unused), so that a big allocation costs no Java object. Guarded by
     * {@link #BIG_LOCK}, taken once per big allocation and free, which call malloc anyway.
     */
    private static long bigHead;
    private static final Object BIG_LOCK = new Object();

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
        return LocalHeap.current().allocate(typeId, bytes);
    }

    /**
     * Allocates a block as {@link #allocate} does, with every byte set to zero.
     *
     * @param typeId a type from {@link BlockTypes#register}
     * @param bytes the size, at least 1
     * @return the block's address
     */
    public static long allocateZeroed(int typeId, long bytes) {
        return LocalHeap.current().allocateZeroed(typeId, bytes);
    }

    /**
     * Frees a block on the calling thread's heap.
     *
     * @param block an address returned by {@link #allocate} and not freed since
     * @throws IllegalStateException if the block is already free
     */
    public static void free(long block) {
        LocalHeap.current().free(block);
    }

    /**
     * Returns the number of bytes the block can hold, at least what was asked for.
     *
     * @param block a live block
     * @return its usable size
     */
    public static long usableSize(long block) {
        int sizeClass = BlockPrefix.sizeClass(BlockPrefix.read(block));
        return sizeClass == BlockPrefix.BIG_CLASS ? (long) LONG.get(ALL, block - BIG_SIZE_AT) : SizeClasses.size(sizeClass);
    }

    /**
     * Returns where the stamp of a live block's current allocation is kept: the block itself,
     * or, for a big block, its stub. The address stays readable after the block is freed.
     *
     * @param block a live block
     * @return the address to pass to {@link #stamp}
     */
    public static long stampAddress(long block) {
        long prefix = BlockPrefix.read(block);
        return BlockPrefix.sizeClass(prefix) == BlockPrefix.BIG_CLASS ? (long) LONG.get(ALL, block - BIG_STUB_AT) : block;
    }

    /**
     * Reads a stamp: a 64-bit word that equals the value read while the block was live for as
     * long as the same allocation lives, and never again once it is freed (whatever the block
     * is reused for). One plain load; safe on a freed block. The address being the allocator's
     * own, the load skips the bounds check ({@link NativeAccess#ownAddress}): every use of a
     * borrowed reference makes it.
     *
     * @param stampAddress a value returned by {@link #stampAddress}, now or earlier
     * @return the current stamp
     */
    public static long stamp(long stampAddress) {
        return BlockPrefix.readOwn(stampAddress);
    }

    /**
     * Tells whether a value read with {@link #stamp} at a block's own address is the prefix of a
     * big block, whose stamp is kept at {@link #stampAddress} instead.
     *
     * @param prefix the word read at the block's own address
     * @return whether the block is big
     */
    public static boolean isBigStamp(long prefix) {
        return BlockPrefix.sizeClass(prefix) == BlockPrefix.BIG_CLASS;
    }

    /**
     * Tells whether two words read with {@link #stamp} at blocks' own addresses differ only in
     * their generation: same state, size class and type id. When {@code known} is a small
     * block's (or a big block's stub's, whose type no cypclass has), a true answer also says
     * that {@code prefix}'s block is small, of {@code known}'s type, so that {@code prefix}
     * is its stamp. One comparison where {@link #isBigStamp} and {@link #typeOf} take two.
     *
     * @param prefix the word read at a block's own address
     * @param known a word read the same way at a small block or a big block's stub
     * @return whether all but the generation are equal
     */
    public static boolean sameKind(long prefix, long known) {
        return BlockPrefix.sameKind(prefix, known);
    }

    /**
     * Gives a live block a new stamp, as if it had been freed and allocated again, without
     * moving it: every stamp taken before no longer matches. For changes of capability, after
     * which non-owning references of the old capability must fail. A block's generation is
     * 32 bits, and a live block cannot be retired as a freed one is: once it is exhausted the
     * stamp cannot change without repeating one, so the change of capability is refused
     * (callers that change several objects check {@link #canRenewStamp} first).
     *
     * @param block a live block held by the calling thread
     * @throws IllegalStateException if the block's generation is exhausted; nothing changed
     */
    public static void renewStamp(long block) {
        long at = stampAddress(block);
        long prefix = BlockPrefix.read(at);
        if (BlockPrefix.generation(prefix) == BlockPrefix.LAST_GENERATION) {
            throw stampsExhausted(block);
        }
        BlockPrefix.write(at, BlockPrefix.reallocated(prefix, BlockPrefix.typeId(prefix), BlockPrefix.sizeClass(prefix)));
    }

    /**
     * {@return whether {@link #renewStamp} may run {@code times} more times on {@code block}}
     *
     * @param block a live block
     * @param times how many renewals the caller is about to make
     */
    public static boolean canRenewStamp(long block, int times) {
        return BlockPrefix.generation(BlockPrefix.read(stampAddress(block))) <= BlockPrefix.LAST_GENERATION - times;
    }

    /**
     * {@return the refusal of a change of capability of a block whose stamps are exhausted}
     *
     * @param block the live block
     */
    public static IllegalStateException stampsExhausted(long block) {
        return new IllegalStateException(RefCount.describe(block) + " has changed capability or owner "
            + BlockPrefix.LAST_GENERATION + " times: its stamp cannot change again without repeating one that a stale"
            + " borrowed reference may remember, so this change is refused; copy it into a new object");
    }

    /**
     * {@return the type id {@code block} was allocated with}
     *
     * @param block a live block
     */
    public static int typeOf(long block) {
        return BlockPrefix.typeId(BlockPrefix.read(block));
    }

    /**
     * Tells whether a block is allocated now.
     *
     * @param block an address that was returned by {@link #allocate}
     * @return false once freed, until reused
     */
    public static boolean isAllocated(long block) {
        return BlockPrefix.state(BlockPrefix.read(block)) == BlockPrefix.ALLOCATED;
    }

    /**
     * Tells whether an address, from anywhere (C code, for instance), is a block of this
     * allocator: the start of a block carved from its chunks (allocated or free), or of a live
     * big block. A foreign address is refused without reading the memory it points to: chunk
     * bounds and the list of live big blocks decide (a walk of the address's 64 KiB region, or
     * of the big block list: for checks at a boundary with C, not for hot paths). A freed big
     * block has gone back to the C library and is not one.
     *
     * @param address any address
     * @return whether {@link #isAllocated}, {@link #typeOf} and {@link #usableSize} may read it
     */
    public static boolean isBlock(long address) {
        if (address == 0 || (address & 7) != 0) {
            return false;
        }
        if (ChunkSpace.isCarvedBlock(address)) {
            return true;
        }
        synchronized (BIG_LOCK) {
            for (long block = bigHead; block != 0; block = (long) LONG.get(ALL, stubOf(block) + 8)) {
                if (block == address) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Receives each live block of a heap walk. */
    @FunctionalInterface
    public interface LiveBlockVisitor {
        /**
         * Receives one live block.
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
            if (allocated && typeId != STUB_TYPE) {
                visitor.visit(block, typeId, size);
            }
        });
        long[] big;
        synchronized (BIG_LOCK) {
            int count = 0;
            for (long block = bigHead; block != 0; block = (long) LONG.get(ALL, stubOf(block) + 8)) {
                count++;
            }
            big = new long[count];
            int i = 0;
            for (long block = bigHead; block != 0; block = (long) LONG.get(ALL, stubOf(block) + 8)) {
                big[i++] = block;
            }
        }
        // Visited outside the lock: a visitor may allocate.
        for (long block : big) {
            visitor.visit(block, typeOf(block), usableSize(block));
        }
    }

    /**
     * {@return live blocks and bytes per type id, summed over all threads: {@code [2t]} live blocks
     * and {@code [2t + 1]} live bytes of type {@code t}}
     */
    public static long[] liveTotals() {
        return Accounting.totals();
    }

    /**
     * Returns how many 64 KiB regions the per-thread heaps have taken from the chunks since
     * the JVM started; every thread that gets a heap of its own takes at least one.
     *
     * @return the number of regions cut from chunks
     */
    public static long regionsTaken() {
        return ChunkSpace.regionsCut();
    }

    static long allocateBig(LocalHeap heap, int typeId, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes: the size must be positive");
        }
        heap.counters.add(typeId, bytes);
        long stub = allocateStub(heap);
        long base;
        try {
            // Zero at birth: mmap'd pages cost nothing until written, so creating a huge object
            // (zeroed fields) or a huge zeroed index does not touch it all at once.
            base = NativeAccess.calloc(bytes + BIG_HEADER);
        } catch (OutOfMemoryError e) {
            heap.counters.subtract(typeId, bytes);
            freeStub(heap, stub);
            throw e;
        }
        long block = base + BIG_HEADER;
        LONG.set(ALL, block - BIG_SIZE_AT, bytes);
        LONG.set(ALL, block - BIG_STUB_AT, stub);
        BlockPrefix.write(block, BlockPrefix.pack(typeId, BlockPrefix.BIG_CLASS, BlockPrefix.ALLOCATED, 1));
        synchronized (BIG_LOCK) {
            LONG.set(ALL, stub, 0L);
            LONG.set(ALL, stub + 8, bigHead);
            if (bigHead != 0) {
                LONG.set(ALL, stubOf(bigHead), block);
            }
            bigHead = block;
        }
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.allocated(block);
        }
        return block;
    }

    static void freeBig(LocalHeap heap, long block) {
        long prefix = BlockPrefix.read(block);
        heap.counters.subtract(BlockPrefix.typeId(prefix), usableSize(block));
        long stub = (long) LONG.get(ALL, block - BIG_STUB_AT);
        BlockPrefix.write(block, prefix ^ BlockPrefix.ALLOCATED_TO_FREE);
        synchronized (BIG_LOCK) {
            long previous = (long) LONG.get(ALL, stub);
            long next = (long) LONG.get(ALL, stub + 8);
            if (previous != 0) {
                LONG.set(ALL, stubOf(previous) + 8, next);
            } else {
                bigHead = next;
            }
            if (next != 0) {
                LONG.set(ALL, stubOf(next), previous);
            }
        }
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.freed(block);
        }
        NativeAccess.free(block - BIG_HEADER);
        freeStub(heap, stub);
    }

    private static long stubOf(long bigBlock) {
        return (long) LONG.get(ALL, bigBlock - BIG_STUB_AT);
    }

    /** A stub is bookkeeping of its big block, not a live block of its own: it is not counted. */
    private static long allocateStub(LocalHeap heap) {
        long stub = heap.allocate(STUB_TYPE, 16);
        heap.counters.subtract(STUB_TYPE, 16);
        return stub;
    }

    private static void freeStub(LocalHeap heap, long stub) {
        heap.counters.add(STUB_TYPE, 16);
        heap.free(stub);
    }

    static IllegalStateException notAllocated(long block) {
        long prefix = BlockPrefix.read(block);
        String what = BlockPrefix.state(prefix) == BlockPrefix.FREE
            ? "it is already free (double free); free each block exactly once"
            : "it is not a block of this allocator, or its prefix was overwritten; free only addresses this allocator returned";
        return new IllegalStateException(String.format("cannot free the %s block at 0x%x: %s",
            BlockTypes.name(BlockPrefix.typeId(prefix)), block, what));
    }
}
