package org.cypclass.memory.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Live blocks and bytes per type, counted by each thread in its own array and summed on
 * demand.
 *
 * <p>Each thread adds on allocation and subtracts on free, whichever thread allocated the
 * block, so a single thread's figures may be negative; only the sum means something. Updates
 * are plain stores by the owner thread (no atomic instruction on the hot path); a snapshot
 * reads them with opaque loads, so it is exact once the counting threads have stopped or
 * handed over through a happens-before edge (join, a lock, a queue), and approximate while
 * they run. The counters of a dead thread are folded into {@code retired} when its cache is
 * retired.
 *
 * <p>Thread-safety: safe to use from any thread, except that each {@link Counters} is confined
 * to the owning thread (others read it only with the opaque loads above).
 */
final class Accounting {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * One thread's counters. A small block (a size class's) costs one read-modify-write on
     * each of allocation and free: its type's {@code small} word packs both figures,
     * <pre>
     *   small[t] = (live bytes / 16) &lt;&lt; 32  +  live blocks     (two's complement, 64 bits)
     * </pre>
     * so that adding one block of {@code b} bytes (a multiple of 16) adds
     * {@code (b << 28) + 1}. Sums of such words stay exact, and decode exactly while each
     * figure fits in 32 signed bits: up to 2^31 live small blocks and 32 GiB of them per type
     * and per thread (beyond that only these statistics wrap, never the memory). Big blocks,
     * whose bytes need 64 bits, count {@code big[2t]} blocks and {@code big[2t + 1]} bytes.
     */
    static final class Counters {
        long[] small = new long[Math.max(16, BlockTypes.count())];
        long[] big = new long[2 * Math.max(16, BlockTypes.count())];

        /** A small block of {@code bytes} (a size class's size, a multiple of 16) was allocated. */
        void addSmall(int typeId, int bytes) {
            long[] l = small;
            // One unsigned comparison covers a negative id and an array too short for it.
            if (Integer.compareUnsigned(typeId, l.length) >= 0) {
                l = grow(typeId);
            }
            l[typeId] += smallWord(bytes);
        }

        /** A small block of {@code bytes} was freed. */
        void subtractSmall(int typeId, int bytes) {
            long[] l = small;
            if (Integer.compareUnsigned(typeId, l.length) >= 0) {
                l = grow(typeId);
            }
            l[typeId] -= smallWord(bytes);
        }

        /** A big block (or a correction of any size) of {@code bytes} was allocated. */
        void add(int typeId, long bytes) {
            long[] l = big;
            int i = typeId << 1;
            if (Integer.compareUnsigned(i + 1, l.length) >= 0) {
                grow(typeId);
                l = big;
            }
            l[i + 1] += bytes;
            l[i]++;
        }

        /** A big block (or a correction of any size) of {@code bytes} was freed. */
        void subtract(int typeId, long bytes) {
            long[] l = big;
            int i = typeId << 1;
            if (Integer.compareUnsigned(i + 1, l.length) >= 0) {
                grow(typeId);
                l = big;
            }
            l[i + 1] -= bytes;
            l[i]--;
        }

        private long[] grow(int typeId) {
            if (!BlockTypes.isRegistered(typeId)) {
                throw new IllegalArgumentException("type id " + typeId + " is not registered in BlockTypes");
            }
            int types = Math.max(BlockTypes.count(), typeId + 1) + 16;
            small = Arrays.copyOf(small, types);
            big = Arrays.copyOf(big, 2 * types);
            return small;
        }

        /** Adds this thread's figures, in the {@link #totals} form, into {@code into} (grown as needed). */
        long[] addTo(long[] into) {
            long[] packed = small;
            long[] wide = big;
            long[] result = into.length >= wide.length ? into : Arrays.copyOf(into, wide.length);
            for (int t = 0; t < packed.length; t++) {
                long word = (long) LONGS.getOpaque(packed, t);
                long blocks = (int) word;               // the low half, sign-extended
                result[2 * t] += blocks;
                result[2 * t + 1] += ((word - blocks) >> 32) * 16;
            }
            for (int i = 0; i < wide.length; i++) {
                result[i] += (long) LONGS.getOpaque(wide, i);
            }
            return result;
        }

        private static long smallWord(int bytes) {
            return ((long) bytes << 28) + 1;
        }
    }

    private static final List<Counters> REGISTERED = new ArrayList<>();
    private static long[] retired = new long[0];

    private Accounting() {
    }

    static Counters newCounters() {
        Counters counters = new Counters();
        synchronized (REGISTERED) {
            REGISTERED.add(counters);
        }
        return counters;
    }

    static void retire(Counters counters) {
        synchronized (REGISTERED) {
            REGISTERED.remove(counters);
            retired = counters.addTo(retired);
        }
    }

    /**
     * {@return per type, {@code [2t]} live blocks and {@code [2t + 1]} live bytes, summed over all
     * threads}
     */
    static long[] totals() {
        synchronized (REGISTERED) {
            long[] total = retired.clone();
            for (Counters counters : REGISTERED) {
                total = counters.addTo(total);
            }
            return total;
        }
    }
}
