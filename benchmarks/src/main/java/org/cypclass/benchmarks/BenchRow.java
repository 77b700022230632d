package org.cypclass.benchmarks;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One measured row of a bench run: a benchmark (with its parameters), the {@link Spread} of its
 * measurement iterations and JMH's {@code gc.alloc.rate.norm}, plus the lookups of the
 * annotations ({@link Baseline}, {@link Goal}, {@link ElementsPerOp}) that decide how the row
 * is judged.
 *
 * @param score      the median and range of the measurement iterations, in {@code unit}
 * @param allocPerOp JMH's {@code gc.alloc.rate.norm}: heap bytes of the whole JVM per operation
 * @param threads    the threads JMH ran the benchmark on (a group's threads summed)
 * @param error      JMH's score error (half the 99.9% confidence interval of the mean), in
 *                   {@code unit}; NaN when unknown
 */
record BenchRow(String benchmark, String className, String method, Map<String, String> params,
                String mode, Spread score, String unit, double allocPerOp, int threads, double error) {

    /** A row whose score error is not known (made by hand, in tests). */
    BenchRow(String benchmark, String className, String method, Map<String, String> params,
             String mode, Spread score, String unit, double allocPerOp, int threads) {
        this(benchmark, className, method, params, mode, score, unit, allocPerOp, threads, Double.NaN);
    }

    /** {@return whether a lower score is better: times per operation (avgt, sample, ss), not throughputs} */
    boolean lowerIsBetter() {
        return !mode.equals("thrpt");
    }

    /** {@return the median of the measurement iterations} */
    double median() {
        return score.median();
    }

    /**
     * {@return the wall-clock seconds the forked JVM spent per operation, from the median score,
     * or NaN for a unit this cannot read}: the time over which JMH's own allocation per second
     * lands on one operation. For a time per operation on several threads, the threads run
     * side by side, so the wall clock advances by the time over the thread count; a throughput
     * already counts the operations of every thread.
     */
    double secondsPerOp() {
        int slash = unit.indexOf('/');
        if (slash < 0) {
            return Double.NaN;
        }
        if (unit.startsWith("ops/")) {
            return 1 / (median() * perSecond(unit.substring(slash + 1)));
        }
        if (unit.endsWith("/op")) {
            return median() / perSecond(unit.substring(0, slash)) / Math.max(1, threads);
        }
        return Double.NaN;
    }

    /** How many of {@code timeUnit} make one second; NaN for an unknown unit. */
    private static double perSecond(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e9;
            case "us" -> 1e6;
            case "ms" -> 1e3;
            case "s" -> 1;
            case "min" -> 1 / 60.0;
            default -> Double.NaN;
        };
    }

    /** {@code Class.method{params}}, as the table prints it. */
    String label() {
        String shortName = simpleClassName() + "." + method;
        return params.isEmpty() ? shortName : shortName + params;
    }

    String simpleClassName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The row's {@link Baseline}, from its method or else its class; null without one. */
    String baseline() {
        Class<?> type = javaClass();
        return type == null ? null : baselineOf(type, javaMethod());
    }

    /** The {@link Baseline} of a benchmark method (null: none), else of its class; null without one. */
    static String baselineOf(Class<?> type, Method method) {
        Baseline baseline = method != null && method.isAnnotationPresent(Baseline.class)
            ? method.getAnnotation(Baseline.class) : type.getAnnotation(Baseline.class);
        return baseline == null ? null : baseline.value();
    }

    /** The row's {@link ElementsPerOp}, from its method or else its class; 0 without one. */
    int elementsPerOp() {
        Method m = javaMethod();
        if (m != null && m.isAnnotationPresent(ElementsPerOp.class)) {
            return m.getAnnotation(ElementsPerOp.class).value();
        }
        ElementsPerOp onClass = javaClass() == null ? null : javaClass().getAnnotation(ElementsPerOp.class);
        return onClass == null ? 0 : onClass.value();
    }

    /** The benchmark method, or null when the class is not on this class path. */
    Method javaMethod() {
        Class<?> type = javaClass();
        return type == null ? null
            : Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(method)).findFirst().orElse(null);
    }

    private Class<?> javaClass() {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Finds, among {@code rows}, the row of {@code method} in this row's class with the same
     * parameters, or, for {@code "OtherBench.method"}, that benchmark of another class; null
     * when it was not measured in this run.
     */
    BenchRow find(List<BenchRow> rows, String other) {
        int dot = other.indexOf('.');
        if (dot > 0) {
            String suffix = "." + other.substring(0, dot);
            String name = other.substring(dot + 1);
            return rows.stream().filter(r -> r.className.endsWith(suffix) && r.method.equals(name))
                .findFirst().orElse(null);
        }
        return rows.stream().filter(r -> r.className.equals(className) && r.method.equals(other)
            && r.params.equals(params)).findFirst().orElse(null);
    }
}
