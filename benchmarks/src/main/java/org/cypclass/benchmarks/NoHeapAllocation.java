package org.cypclass.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a benchmark whose operation must allocate nothing on the Java heap:
 * {@link AllocationRule} checks that JMH's {@code gc.alloc.rate.norm} stays within 0.1 byte
 * per operation of the floor that the run's allocation-free reference row ({@link JmhFloor})
 * gives an operation of its length, whatever its baseline allocates, or, for rows that declare
 * {@link ElementsPerOp}, below 0.01 byte per element.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NoHeapAllocation {
}
