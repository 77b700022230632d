package org.cypclass.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a benchmark whose operation must allocate nothing on the Java heap:
 * {@link BenchRunner} checks that JMH's {@code gc.alloc.rate.norm} stays below 1 byte per
 * operation, or, for rows that declare {@link ElementsPerOp}, below 0.01 byte per element.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NoHeapAllocation {
}
