package org.cypclass.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A target the project set for a benchmark: its score divided by the score of {@link #vs()},
 * measured in the same run, must be at most {@link #atMost()} (for times) or at least
 * {@link #atLeast()} (for throughputs). {@link BenchReport} judges it over the range of both
 * sides' iterations ({@link Verdict#of}): MET, MISS, UNCLEAR when the range straddles the
 * bound, or SKIP when {@link #vs()} was not measured; the {@link #knownMiss()} explanation
 * prints under a known miss.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Goal.List.class)
public @interface Goal {

    /**
     * @return the method name of the benchmark to compare with, in the same class, or
     *         {@code "OtherBench.method"} for one of another class (which must run in the same
     *         invocation, e.g. {@code ./cypclass bench ObjectBench AllocBench})
     */
    String vs();

    /** @return the largest allowed ratio, or NaN for none */
    double atMost() default Double.NaN;

    /** @return the smallest allowed ratio, or NaN for none */
    double atLeast() default Double.NaN;

    /**
     * @return why the project knows this goal is missed today (what was measured, what it
     *         would take), printed under the MISS line; empty when the goal is not a known miss.
     *         A known miss is still a MISS: {@code --check} fails on it (and on an UNCLEAR).
     */
    String knownMiss() default "";

    /** Container of repeated goals. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        /** @return the goals */
        Goal[] value();
    }
}
