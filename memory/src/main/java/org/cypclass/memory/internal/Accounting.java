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

    /** One thread's counters: {@code live[2 * type]} blocks, {@code live[2 * type + 1]} bytes. */
    static final class Counters {
        long[] live = new long[2 * Math.max(16, BlockTypes.count())];

        void add(int typeId, long bytes) {
            long[] l = live;
            int i = typeId << 1;
            // One unsigned comparison covers a negative id and an array too short for it.
            if (Integer.compareUnsigned(i + 1, l.length) >= 0) {
                l = grow(typeId);
            }
            l[i + 1] += bytes;
            l[i]++;
        }

        void subtract(int typeId, long bytes) {
            long[] l = live;
            int i = typeId << 1;
            // One unsigned comparison covers a negative id and an array too short for it.
            if (Integer.compareUnsigned(i + 1, l.length) >= 0) {
                l = grow(typeId);
            }
            l[i + 1] -= bytes;
            l[i]--;
        }

        private long[] grow(int typeId) {
            if (!BlockTypes.isRegistered(typeId)) {
                throw new IllegalArgumentException("type id " + typeId + " is not registered in BlockTypes");
            }
            live = Arrays.copyOf(live, 2 * Math.max(BlockTypes.count(), typeId + 1) + 32);
            return live;
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
            retired = sum(retired, counters.live);
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
                total = sum(total, counters.live);
            }
            return total;
        }
    }

    private static long[] sum(long[] into, long[] counts) {
        long[] result = into.length >= counts.length ? into : Arrays.copyOf(into, counts.length);
        for (int i = 0; i < counts.length; i++) {
            result[i] += (long) LONGS.getOpaque(counts, i);
        }
        return result;
    }
}
