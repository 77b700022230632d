package org.cypclass.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.LongLongDict;

/**
 * Memory per element of the containers against fastutil, for the goals of issue 9: the
 * off-heap bytes a container holds per element ({@link MemoryStats}: live bytes after minus
 * before, which counts the instance and its storage block at their allocator sizes) must be at
 * most 1.3 times the heap bytes fastutil holds per element. fastutil's bytes are computed from
 * the filled collection's shape ({@link HeapFootprint}: its instance and its backing arrays,
 * length times element size plus the array header), not read from the used heap: G1 gives a
 * humongous array whole regions, so a heap difference after a collection counts the rounding
 * up to the next region (and the collector's noise), not the collection. Both collections are
 * filled the same way, by {@value ContainerBench#N} appends from empty, so each carries its own
 * growth policy's slack.
 *
 * <p>Thread-safety: run from one thread.
 */
final class Footprints {

    private static final double GOAL = 1.3;

    private Footprints() {
    }

    /** One goal's verdict and its report line. */
    record Line(Verdict verdict, String text) {
    }

    /** The goal lines: each memory figure is computed, not sampled, so each verdict is MET or MISS. */
    static List<Line> goals() {
        List<Line> lines = new ArrayList<>();
        lines.add(line("LongList", longListBytesPerElement(), "fastutil LongArrayList", fastutilLongListBytesPerElement()));
        lines.add(line("LongLongDict", longLongDictBytesPerElement(), "fastutil Long2LongOpenHashMap",
            fastutilLong2LongBytesPerElement()));
        return lines;
    }

    private static Line line(String cypName, double cyp, String otherName, double other) {
        double ratio = cyp / other;
        return new Line(ratio <= GOAL ? Verdict.MET : Verdict.MISS, String.format(Locale.ROOT,
            "%s off-heap %.2f B/element <= %.2f x %s heap %.2f B/element, its arrays and instance (measured %.2fx)",
            cypName, cyp, GOAL, otherName, other, ratio));
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
        Long2LongOpenHashMap map = new Long2LongOpenHashMap();
        for (int i = 0; i < ContainerBench.N; i++) {
            map.put(i * ContainerBench.K, i);
        }
        return (double) HeapFootprint.deepSize(map) / ContainerBench.N;
    }

    static double fastutilLongListBytesPerElement() {
        LongArrayList list = new LongArrayList();
        for (int i = 0; i < ContainerBench.N; i++) {
            list.add(i);
        }
        return (double) HeapFootprint.deepSize(list) / ContainerBench.N;
    }
}
