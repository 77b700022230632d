package org.cypclass.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares how many elements one operation of a benchmark handles, for operations that walk
 * or fill a million-element container. {@link BenchRunner} then shows the row's allocation
 * per element ({@code B/el}) and judges {@link NoHeapAllocation} per element: JMH's own
 * allocation per iteration (tens of kilobytes), divided by the few hundred such operations an
 * iteration holds, is hundreds of bytes per operation on every row, allocation-free baselines
 * included, but a thousandth of a byte per element, while one allocation per element is at
 * least 16. Put it on the class to cover every method; a method's own annotation wins.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ElementsPerOp {

    /** @return the elements one operation handles */
    int value();
}
