package org.cypclass.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.LongLongDict;

/**
 * Memory per element of the containers against fastutil, for the goals of issue 9: the
 * off-heap bytes a container holds per element ({@link MemoryStats}: live bytes after minus
 * before, which counts the instance and its storage block at their allocator sizes) must be at
 * most 1.3 times the heap bytes fastutil holds per element. fastutil's bytes are measured by
 * heap difference: used heap after a full collection with the filled collection reachable,
 * minus the same before it was made (the median of five rounds, which hides the collector's
 * noise at this size). Both collections are filled the same way, by {@value ContainerBench#N}
 * appends from empty, so each carries its own growth policy's slack.
 *
 * <p>Thread-safety: run from one thread.
 */
final class Footprints {

    private static final int ROUNDS = 5;

    private Footprints() {
    }

    /** The goal lines, in the runner's format; empty if no container benchmark ran. */
    static List<String> goals() {
        List<String> lines = new ArrayList<>();
        double cyp = longListBytesPerElement();
        double fastutil = fastutilLongListBytesPerElement();
        lines.add(line("LongList", cyp, "fastutil LongArrayList", fastutil));
        lines.add(line("LongLongDict", longLongDictBytesPerElement(), "fastutil Long2LongOpenHashMap",
            fastutilLong2LongBytesPerElement()));
        return lines;
    }

    private static String line(String cypName, double cyp, String otherName, double other) {
        double ratio = cyp / other;
        return String.format(Locale.ROOT, "  %-4s  %s off-heap %.2f B/element <= 1.30 x %s heap %.2f B/element (measured %.2fx)",
            ratio <= 1.3 ? "MET" : "MISS", cypName, cyp, otherName, other, ratio);
    }

    static double longListBytesPerElement() {
        long before = MemoryStats.snapshot().liveBytes();
        try (LongList list = LongList.create()) {
            for (int i = 0; i < ContainerBench.N; i++) {
                list.add(i);
            }
            return (double) (MemoryStats.snapshot().liveBytes() - before) / ContainerBench.N;
        }
    }

    static double longLongDictBytesPerElement() {
        long before = MemoryStats.snapshot().liveBytes();
        try (LongLongDict dict = LongLongDict.create()) {
            for (int i = 0; i < ContainerBench.N; i++) {
                dict.put(i * ContainerBench.K, i);
            }
            return (double) (MemoryStats.snapshot().liveBytes() - before) / ContainerBench.N;
        }
    }

    static double fastutilLong2LongBytesPerElement() {
        return heapBytesPerElement(() -> {
            Long2LongOpenHashMap map = new Long2LongOpenHashMap();
            for (int i = 0; i < ContainerBench.N; i++) {
                map.put(i * ContainerBench.K, i);
            }
            return map;
        });
    }

    static double fastutilLongListBytesPerElement() {
        return heapBytesPerElement(() -> {
            LongArrayList list = new LongArrayList();
            for (int i = 0; i < ContainerBench.N; i++) {
                list.add(i);
            }
            return list;
        });
    }

    /** The median over {@value #ROUNDS} rounds of the heap a filled collection of N elements holds, per element. */
    private static double heapBytesPerElement(Supplier<Object> fill) {
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long before = usedHeap();
            Object collection = fill.get();
            long after = usedHeap();
            rounds[r] = (double) (after - before) / ContainerBench.N;
            java.lang.ref.Reference.reachabilityFence(collection);
        }
        java.util.Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
