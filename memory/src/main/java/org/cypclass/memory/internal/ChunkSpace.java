package org.cypclass.memory.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Where blocks come from: chunks obtained from {@code aligned_alloc}, handed out to thread
 * caches in regions that each cache carves into blocks without further synchronization.
 *
 * <p>Every byte of a handed-out region is always covered by block prefixes: carved blocks
 * have theirs, and the uncarved tail carries a {@link BlockPrefix#FILLER_CLASS} prefix giving
 * its length. That is what lets {@link #walk} step through a quiescent heap. Blocks and
 * fillers never cross a region's end, so a region can be stepped through on its own.
 *
 * <p>A heap carves each size class from a region of its own, so that every region holds
 * blocks of one size on one grid (what lets the {@link Trimmer} give a wholly free region back
 * and rebuild it later). A heap retired with part of a region uncarved {@linkplain #shelve
 * shelves} that tail under its size class; the next {@link #newRegion} for that class hands it
 * out again before cutting a fresh region, so retired heaps do not leave address space behind.
 *
 * <p>Chunks are never returned to the C library, so a stale address can always read a
 * prefix. Their pages may be: each chunk is aligned to {@link #REGION_SIZE}, so the region of a
 * block is its address rounded down, and the {@link Trimmer} drops the pages of regions whose
 * blocks are all free ({@link #markTrimmedIfWhole}). Two bits per region, in its chunk, guarded
 * by the chunk list:
 * <ul>
 *   <li><em>open</em>: some heap may still carve in it (it is that heap's current region, or
 *       its tail is shelved). Set when {@link #newRegion} hands a fresh region out, cleared when
 *       the heap carving it asks for the next one or its tail is too short to shelve. Only a
 *       closed region can be trimmed: its layout will not change under the trimmer.</li>
 *   <li><em>trimmed</em>: its pages were dropped and read as zeros; {@link #walk} skips it until
 *       it is revived ({@link #revived}), its prefixes written again.</li>
 * </ul>
 *
 * <p>Thread-safety: safe to use from any thread; everything here but {@link #lengthAt} and
 * {@link #markFiller} synchronizes on the chunk list, and carving inside a region is done by
 * its owner thread alone.
 */
final class ChunkSpace {

    static final int REGION_SIZE = 64 * 1024;
    static final int CHUNK_SIZE = 64 * REGION_SIZE;

    /** A chunk, how many of its bytes are handed out, and its regions' bits; guarded by {@code CHUNKS}. */
    private static final class Chunk {
        final long base;
        long used;
        /** Bit {@code r}: region {@code r} is open (see the class comment). */
        long open;
        /** Bit {@code r}: region {@code r}'s pages were dropped. */
        long trimmed;

        Chunk(long base) {
            this.base = base;
        }
    }

    private static final List<Chunk> CHUNKS = new ArrayList<>();
    /** The chunks' bases in ascending order, and the chunks in the same order, for {@link #chunkOf}; guarded by {@code CHUNKS}. */
    private static long[] sortedBases = new long[0];
    private static Chunk[] sortedChunks = new Chunk[0];
    /**
     * Shelved tails per size class ({@code shelves[c]}, {@code shelved[c]} of them), each covered
     * by one filler prefix giving its length: a tail goes back to a heap carving the same class,
     * so that every region keeps one size; guarded by {@code CHUNKS}.
     */
    private static final long[][] shelves = new long[SizeClasses.COUNT][4];
    private static final int[] shelved = new int[SizeClasses.COUNT];
    /** Regions cut from chunks since the JVM started; guarded by {@code CHUNKS}. */
    private static long regionsCut;

    private ChunkSpace() {
    }

    /**
     * Hands out a region to carve blocks of one size class from, covered by a single filler
     * prefix: a tail shelved for that class, else a fresh region; and closes the region the
     * caller carved that class from until now.
     *
     * @param sizeClass the class the caller will carve from the region, and only that class
     * @param previousEnd the end of the region (or shelved tail) the calling heap carved that
     *     class from until now, which it will not carve again; 0 if it had none
     * @return the address of the region's first byte; {@link #lengthAt} gives its length, at
     *     least one block of the class
     */
    static long newRegion(int sizeClass, long previousEnd) {
        long region;
        synchronized (CHUNKS) {
            if (previousEnd != 0) {
                close(previousEnd - 1);
            }
            if (shelved[sizeClass] > 0) {
                return shelves[sizeClass][--shelved[sizeClass]];    // still open: it was when it was shelved
            }
            regionsCut++;
            Chunk chunk = CHUNKS.isEmpty() ? null : CHUNKS.get(CHUNKS.size() - 1);
            if (chunk == null || chunk.used == CHUNK_SIZE) {
                chunk = new Chunk(NativeAccess.alignedAlloc(REGION_SIZE, CHUNK_SIZE));
                CHUNKS.add(chunk);
                index(chunk);
            }
            region = chunk.base + chunk.used;
            markFiller(region, REGION_SIZE);
            chunk.open |= 1L << (chunk.used / REGION_SIZE);
            chunk.used += REGION_SIZE;
        }
        return region;
    }

    /** Adds a new chunk to the sorted arrays; under {@code CHUNKS}, once per 4 MiB. */
    private static void index(Chunk chunk) {
        int at = -java.util.Arrays.binarySearch(sortedBases, chunk.base) - 1;
        long[] bases = new long[sortedBases.length + 1];
        Chunk[] chunks = new Chunk[bases.length];
        System.arraycopy(sortedBases, 0, bases, 0, at);
        System.arraycopy(sortedChunks, 0, chunks, 0, at);
        bases[at] = chunk.base;
        chunks[at] = chunk;
        System.arraycopy(sortedBases, at, bases, at + 1, sortedBases.length - at);
        System.arraycopy(sortedChunks, at, chunks, at + 1, sortedChunks.length - at);
        sortedBases = bases;
        sortedChunks = chunks;
    }

    /** {@return the chunk holding {@code address}, or null}; under {@code CHUNKS}. */
    private static Chunk chunkOf(long address) {
        int at = java.util.Arrays.binarySearch(sortedBases, address);
        if (at < 0) {
            at = -at - 2;
        }
        if (at < 0) {
            return null;
        }
        Chunk chunk = sortedChunks[at];
        return address - chunk.base < chunk.used ? chunk : null;
    }

    /** Closes a region its heap has carved to the end ({@code end}: the region's end). */
    static void closeUsedUp(long end) {
        synchronized (CHUNKS) {
            close(end - 1);
        }
    }

    /** Clears the open bit of the region holding {@code address}; under {@code CHUNKS}. */
    private static void close(long address) {
        Chunk chunk = chunkOf(address);
        if (chunk != null) {
            chunk.open &= ~(1L << ((address - chunk.base) / REGION_SIZE));
        }
    }

    /** {@return the length of the region {@link #newRegion} returned at {@code region}, read from its filler prefix} */
    static long lengthAt(long region) {
        return BlockPrefix.fillerLength(BlockPrefix.read(region + BlockPrefix.SIZE));
    }

    /**
     * Keeps the uncarved tail {@code [position, end)} of a retired heap's region of
     * {@code sizeClass} for a later {@link #newRegion} of that class, if it can hold one of its
     * blocks (else the region is closed). The tail already carries its filler prefix.
     */
    static void shelve(int sizeClass, long position, long end) {
        synchronized (CHUNKS) {
            if (end - position < SizeClasses.stride(sizeClass)) {
                if (end != 0) {
                    close(end - 1);
                }
                return;
            }
            if (shelved[sizeClass] == shelves[sizeClass].length) {
                shelves[sizeClass] = java.util.Arrays.copyOf(shelves[sizeClass], shelved[sizeClass] * 2);
            }
            shelves[sizeClass][shelved[sizeClass]++] = position;
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
     * Marks a closed region trimmed if its blocks are exactly the {@code freeCount} blocks of
     * class {@code sizeClass} the caller holds. The caller has checked that its blocks fill the
     * grid of that class from the region's first byte, slots 0 to {@code freeCount - 1}, so the
     * region is theirs alone if what follows them is the filler that runs to the region's end
     * (every filler does). That one prefix is read under the chunk lock, the region being
     * closed or its tail shelved: no heap carves there, so the word is settled. A region whose
     * tail a retired heap shelved is open, yet nobody carves it: if these blocks end where the
     * tail starts, the tail leaves the shelf and the region is trimmed whole.
     *
     * @param region a region's first byte
     * @param sizeClass the class of the caller's blocks in it
     * @param freeCount how many blocks of the region the caller holds, in slots 0 to {@code freeCount - 1}
     * @return whether the region was marked trimmed (false if open, unless only its shelved
     *         tail kept it so, already trimmed, or not whole)
     */
    static boolean markTrimmedIfWhole(long region, int sizeClass, int freeCount) {
        synchronized (CHUNKS) {
            Chunk chunk = chunkOf(region);
            if (chunk == null) {
                return false;
            }
            long bit = 1L << ((region - chunk.base) / REGION_SIZE);
            if ((chunk.trimmed & bit) != 0) {
                return false;
            }
            long position = region + (long) freeCount * SizeClasses.stride(sizeClass);
            // An open region is refused unless it is open only because a retired heap shelved its
            // tail right after these blocks: they are then all it carved, and the region goes back
            // with its tail. (A heap carving a region holds it as its current one, never shelved.)
            int shelf = (chunk.open & bit) == 0 ? -1 : shelfIndex(sizeClass, position);
            if ((chunk.open & bit) != 0 && shelf < 0) {
                return false;
            }
            long end = region + REGION_SIZE;
            if (end - position >= BlockPrefix.SIZE) {
                long prefix = BlockPrefix.read(position + BlockPrefix.SIZE);
                if (BlockPrefix.sizeClass(prefix) != BlockPrefix.FILLER_CLASS || BlockPrefix.fillerLength(prefix) != end - position) {
                    return false;
                }
            } else if (position > end) {
                return false;
            }
            if (shelf >= 0) {
                shelves[sizeClass][shelf] = shelves[sizeClass][--shelved[sizeClass]];
                chunk.open &= ~bit;
            }
            chunk.trimmed |= bit;
            return true;
        }
    }

    /** {@return where the tail shelved at {@code position} sits on its class's shelf, or -1} Under {@code CHUNKS}. */
    private static int shelfIndex(int sizeClass, long position) {
        for (int i = 0; i < shelved[sizeClass]; i++) {
            if (shelves[sizeClass][i] == position) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Ends a region's trimmed state once its prefixes are written again: the writes happen
     * before this call's lock release, so a {@link #walk} that sees the region untrimmed sees them.
     */
    static void revived(long region) {
        synchronized (CHUNKS) {
            Chunk chunk = chunkOf(region);
            chunk.trimmed &= ~(1L << ((region - chunk.base) / REGION_SIZE));
        }
    }

    /** {@return how many regions are trimmed now} */
    static int trimmedCount() {
        synchronized (CHUNKS) {
            int count = 0;
            for (Chunk chunk : CHUNKS) {
                count += Long.bitCount(chunk.trimmed);
            }
            return count;
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
            Chunk chunk = chunkOf(address);
            if (chunk == null || address - chunk.base < BlockPrefix.SIZE) {
                return false;
            }
            long offset = address - chunk.base;
            if ((chunk.trimmed & (1L << (offset / REGION_SIZE))) != 0) {
                return false;       // its pages were dropped: it holds no block now
            }
            long position = chunk.base + offset / REGION_SIZE * REGION_SIZE;
            return foundInRegion(address, position, position + REGION_SIZE);
        }
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
     * Visits every carved block of every chunk, trimmed regions skipped (they hold no live
     * block). Exact only while no thread allocates or frees; used for leak reports at
     * quiescent points.
     */
    static void walk(BlockVisitor visitor) {
        synchronized (CHUNKS) {
            for (Chunk chunk : CHUNKS) {
                for (long region = chunk.base; region < chunk.base + chunk.used; region += REGION_SIZE) {
                    if ((chunk.trimmed & 1L << ((region - chunk.base) / REGION_SIZE)) == 0) {
                        walkRegion(region, visitor);
                    }
                }
            }
        }
    }

    private static void walkRegion(long region, BlockVisitor visitor) {
        long end = region + REGION_SIZE;
        long position = region;
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
