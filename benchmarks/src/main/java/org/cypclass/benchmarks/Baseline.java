package org.cypclass.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the benchmark of the same class (and same parameters) that a benchmark's score is
 * divided by in the table of {@link BenchRunner}. Put it on the class to give every method
 * the same baseline; a method's own annotation wins.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Baseline {

    /** @return the method name of the baseline benchmark */
    String value();
}
