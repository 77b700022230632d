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
 * <p>Thread-safety: {@link #newRegion} and {@link #walk} synchronize on the chunk list;
 * carving inside a region is done by its owner thread alone. Chunks are never returned to
 * the C library: freed blocks are reused instead.
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

    private static final List<Chunk> CHUNKS = new ArrayList<>();

    private ChunkSpace() {
    }

    /**
     * Hands out a fresh region, covered by a single filler prefix.
     *
     * @return the address of the region's first byte; the region is {@link #REGION_SIZE} long
     */
    static long newRegion() {
        long region;
        synchronized (CHUNKS) {
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

    /** Covers {@code length} bytes from {@code position} with a filler prefix, if they can hold one. */
    static void markFiller(long position, long length) {
        if (length >= BlockPrefix.SIZE) {
            BlockPrefix.write(position + BlockPrefix.SIZE, BlockPrefix.filler(length));
        }
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
                    if (sizeClass == BlockPrefix.FILLER_CLASS) {
                        position += BlockPrefix.fillerLength(prefix);
                    } else if (sizeClass < SizeClasses.COUNT) {
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
