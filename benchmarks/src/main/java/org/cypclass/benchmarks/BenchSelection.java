package org.cypclass.benchmarks;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Which benchmarks a bench run measures: those matching the user's patterns, plus every
 * benchmark they are compared with (their {@link Baseline} and the {@code vs} of their
 * {@link Goal}s), so that {@code ./cypclass bench writeGuard} still prints its ratios and
 * judges its goals, and the allocation-free reference row ({@link JmhFloor}) when a selected
 * benchmark is marked {@link NoHeapAllocation}. Also estimates how long the run takes.
 *
 * @param requested the benchmarks the patterns matched, by full name
 * @param added     the benchmarks added because a requested one is compared with them
 * @param runs      per benchmark, how many parameter combinations JMH measures
 */
record BenchSelection(SortedSet<String> requested, SortedSet<String> added, Map<String, Integer> runs) {

    /** Seconds a fork costs beyond its iterations: JVM start, set-up, profiler, tear-down. */
    private static final int FORK_OVERHEAD_SECONDS = 4;

    /** Selects from the benchmarks compiled into this jar; no pattern selects them all. */
    static BenchSelection of(List<String> patterns) {
        Map<String, BenchmarkListEntry> all = new TreeMap<>();
        for (BenchmarkListEntry entry : BenchmarkList.defaultList().getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            all.putIfAbsent(entry.getUsername(), entry);
        }
        List<Pattern> compiled = patterns.stream().map(Pattern::compile).toList();
        SortedSet<String> requested = new TreeSet<>();
        for (String name : all.keySet()) {
            if (compiled.isEmpty() || compiled.stream().anyMatch(p -> p.matcher(name).find())) {
                requested.add(name);
            }
        }
        SortedSet<String> added = new TreeSet<>();
        Deque<String> work = new ArrayDeque<>(requested);
        while (!work.isEmpty()) {
            for (String other : comparedWith(work.pop(), all.keySet())) {
                if (!requested.contains(other) && added.add(other)) {
                    work.push(other);
                }
            }
        }
        if (!added.contains(JmhFloor.BENCHMARK) && !requested.contains(JmhFloor.BENCHMARK)
                && requested.stream().anyMatch(BenchSelection::allocationFree) && all.containsKey(JmhFloor.BENCHMARK)) {
            // The reference row every allocation verdict is judged by (AllocationRule).
            added.add(JmhFloor.BENCHMARK);
        }
        Map<String, Integer> runs = new TreeMap<>();
        for (String name : requested) {
            runs.put(name, combinations(all.get(name)));
        }
        for (String name : added) {
            runs.put(name, combinations(all.get(name)));
        }
        return new BenchSelection(requested, added, runs);
    }

    /** Every benchmark, requested or added, in the order they run. */
    SortedSet<String> all() {
        SortedSet<String> names = new TreeSet<>(requested);
        names.addAll(added);
        return names;
    }

    /** The expected length of the run, for forks of the given iteration seconds each. */
    long estimatedSeconds(int forks, int iterationSeconds) {
        long perRun = (long) forks * (iterationSeconds + FORK_OVERHEAD_SECONDS);
        return runs.values().stream().mapToLong(n -> n * perRun).sum();
    }

    /** Whether the benchmark {@code name} is marked {@link NoHeapAllocation}. */
    private static boolean allocationFree(String name) {
        Method method = method(name);
        return method != null && method.isAnnotationPresent(NoHeapAllocation.class);
    }

    /** The benchmark method of the full name {@code name}, or null when it is not on this class path. */
    private static Method method(String name) {
        int dot = name.lastIndexOf('.');
        try {
            for (Method m : Class.forName(name.substring(0, dot)).getMethods()) {
                if (m.getName().equals(name.substring(dot + 1))) {
                    return m;
                }
            }
        } catch (ClassNotFoundException e) {
            return null;
        }
        return null;
    }

    /** The full names of the benchmarks {@code name} is compared with. */
    private static List<String> comparedWith(String name, java.util.Set<String> known) {
        int dot = name.lastIndexOf('.');
        String className = name.substring(0, dot);
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            return List.of();
        }
        List<String> others = new ArrayList<>();
        Method method = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name.substring(dot + 1))) {
                method = m;
            }
        }
        if (method == null) {
            return List.of();
        }
        String baseline = BenchRow.baselineOf(type, method);
        if (baseline != null) {
            others.add(className + "." + baseline);
        }
        for (Goal goal : method.getAnnotationsByType(Goal.class)) {
            String vs = goal.vs();
            int classDot = vs.indexOf('.');
            if (classDot < 0) {
                others.add(className + "." + vs);
            } else {
                String suffix = "." + vs;
                known.stream().filter(k -> k.endsWith(suffix)).forEach(others::add);
            }
        }
        return others.stream().filter(known::contains).toList();
    }

    private static int combinations(BenchmarkListEntry entry) {
        Map<String, String[]> params = entry.getParams().orElse(Map.of());
        int product = 1;
        for (String[] values : params.values()) {
            product *= Math.max(1, values.length);
        }
        return product;
    }
}
