package org.cypclass.memory.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Where blocks come from: chunks obtained from malloc, handed out to thread caches in
 * regions that each cache carves into blocks without further synchronization.
 *
 * <p>Every byte of a handed-out region is always covered by block prefixes: carved blocks
 * have theirs, and the uncarved tail carries a {@link BlockPrefix#FILLER_CLASS} prefix giving
 * its length. That is what lets {@link #walk} step through a quiescent heap.
 *
 * <p>A heap retired with part of its region uncarved {@linkplain #shelve shelves} that tail;
 * the next {@link #newRegion} hands it out again before cutting a fresh region, so retired
 * heaps do not leave address space behind.
 *
 * <p>Chunks are never returned to the C library: freed blocks are reused instead.
 *
 * <p>Thread-safety: safe to use from any thread; {@link #newRegion}, {@link #shelve} and
 * {@link #walk} synchronize on the chunk list, and carving inside a region is done by its
 * owner thread alone.
 */
final class ChunkSpace {

    static final int REGION_SIZE = 64 * 1024;
    static final int CHUNK_SIZE = 64 * REGION_SIZE;

    /** A chunk and how many of its bytes are handed out; guarded by {@code CHUNKS}. */
    private static final class Chunk {
        final long base;
        long used;

        Chunk(long base) {
            this.base = base;
        }
    }

    /** Tails shorter than this are not worth a shelf entry: they could not hold the largest block. */
    private static final int MIN_SHELVED = SizeClasses.stride(SizeClasses.COUNT - 1);

    private static final List<Chunk> CHUNKS = new ArrayList<>();
    /** Shelved tails, each covered by one filler prefix giving its length; guarded by {@code CHUNKS}. */
    private static long[] shelf = new long[16];
    private static int shelved;
    /** Regions cut from chunks since the JVM started; guarded by {@code CHUNKS}. */
    private static long regionsCut;

    private ChunkSpace() {
    }

    /**
     * Hands out a region to carve, covered by a single filler prefix: a shelved tail, else a
     * fresh region.
     *
     * @return the address of the region's first byte; {@link #lengthAt} gives its length, at
     *     least enough for the largest size class
     */
    static long newRegion() {
        long region;
        synchronized (CHUNKS) {
            if (shelved > 0) {
                return shelf[--shelved];
            }
            regionsCut++;
            Chunk chunk = CHUNKS.isEmpty() ? null : CHUNKS.get(CHUNKS.size() - 1);
            if (chunk == null || chunk.used == CHUNK_SIZE) {
                chunk = new Chunk(NativeAccess.malloc(CHUNK_SIZE));
                CHUNKS.add(chunk);
            }
            region = chunk.base + chunk.used;
            markFiller(region, REGION_SIZE);
            chunk.used += REGION_SIZE;
        }
        return region;
    }

    /** {@return the length of the region {@link #newRegion} returned at {@code region}, read from its filler prefix} */
    static long lengthAt(long region) {
        return BlockPrefix.fillerLength(BlockPrefix.read(region + BlockPrefix.SIZE));
    }

    /**
     * Keeps the uncarved tail {@code [position, end)} of a retired heap's region for a later
     * {@link #newRegion}. The tail already carries its filler prefix.
     */
    static void shelve(long position, long end) {
        if (end - position < MIN_SHELVED) {
            return;
        }
        synchronized (CHUNKS) {
            if (shelved == shelf.length) {
                shelf = java.util.Arrays.copyOf(shelf, shelved * 2);
            }
            shelf[shelved++] = position;
        }
    }

    /** {@return how many regions were cut from chunks since the JVM started (shelved tails handed out again not included)} */
    static long regionsCut() {
        synchronized (CHUNKS) {
            return regionsCut;
        }
    }

    /** Covers {@code length} bytes from {@code position} with a filler prefix, if they can hold one. */
    static void markFiller(long position, long length) {
        if (length >= BlockPrefix.SIZE) {
            BlockPrefix.write(position + BlockPrefix.SIZE, BlockPrefix.filler(length));
        }
    }

    /**
     * Tells whether {@code address} is the start of a carved block (allocated or free) of a
     * chunk, reading nothing outside the chunks: a foreign address is answered from the chunk
     * bounds alone. Inside a chunk, the prefixes of the address's region are walked from the
     * region's start (regions start at multiples of {@link #REGION_SIZE} from their chunk's
     * base, and blocks never cross them), so an address inside a block or a filler is told from
     * a block's start. The blocks carved before a given block keep their size class for ever,
     * so a walk racing with carving elsewhere in the region finds that block as surely as a
     * quiescent one, provided the caller saw the block carved.
     *
     * @param address any address
     * @return whether a block starts there
     */
    static boolean isCarvedBlock(long address) {
        synchronized (CHUNKS) {
            for (Chunk chunk : CHUNKS) {
                long offset = address - chunk.base;
                if (offset >= BlockPrefix.SIZE && offset < chunk.used) {
                    long position = chunk.base + offset / REGION_SIZE * REGION_SIZE;
                    return foundInRegion(address, position, position + REGION_SIZE);
                }
            }
        }
        return false;
    }

    private static boolean foundInRegion(long address, long position, long end) {
        while (end - position >= BlockPrefix.SIZE) {
            long block = position + BlockPrefix.SIZE;
            if (block > address) {
                return false;
            }
            long prefix = BlockPrefix.read(block);
            int sizeClass = BlockPrefix.sizeClass(prefix);
            if (sizeClass == BlockPrefix.FILLER_CLASS && BlockPrefix.fillerLength(prefix) >= BlockPrefix.SIZE) {
                if (block == address) {
                    return false;
                }
                position += BlockPrefix.fillerLength(prefix);
            } else if (sizeClass < SizeClasses.COUNT && BlockPrefix.state(prefix) != 0) {
                if (block == address) {
                    return true;
                }
                position += SizeClasses.stride(sizeClass);
            } else {
                return false;
            }
        }
        return false;
    }

    /** Receives each block found by {@link #walk}. */
    interface BlockVisitor {
        void visit(long block, int typeId, long size, boolean allocated);
    }

    /**
     * Visits every carved block of every chunk. Exact only while no thread allocates or
     * frees; used for leak reports at quiescent points.
     */
    static void walk(BlockVisitor visitor) {
        synchronized (CHUNKS) {
            for (Chunk chunk : CHUNKS) {
                long end = chunk.base + chunk.used;
                long position = chunk.base;
                while (end - position >= BlockPrefix.SIZE) {
                    long block = position + BlockPrefix.SIZE;
                    long prefix = BlockPrefix.read(block);
                    int sizeClass = BlockPrefix.sizeClass(prefix);
                    if (sizeClass == BlockPrefix.FILLER_CLASS && BlockPrefix.fillerLength(prefix) >= BlockPrefix.SIZE) {
                        position += BlockPrefix.fillerLength(prefix);
                    } else if (sizeClass < SizeClasses.COUNT && BlockPrefix.state(prefix) != 0) {
                        visitor.visit(block, BlockPrefix.typeId(prefix), SizeClasses.size(sizeClass),
                            BlockPrefix.state(prefix) == BlockPrefix.ALLOCATED);
                        position += SizeClasses.stride(sizeClass);
                    } else {
                        throw new IllegalStateException(String.format(
                            "heap walk found a corrupt block prefix at 0x%x (class %d)", block, sizeClass));
                    }
                }
            }
        }
    }
}
