package org.cypclass.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The allocation-free reference row of a bench run: an operation that touches no object at
 * all, so that every byte its fork allocates is JMH's own (its control threads, the profiler's
 * own reads, iteration bookkeeping), a few kilobytes per second whatever the benchmark does.
 * {@link AllocationRule} turns that rate into each {@link NoHeapAllocation} row's floor in
 * bytes per operation; {@link BenchSelection} adds this row to every run that has such a row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JmhFloor {

    /** The full name of the reference benchmark, as JMH lists it. */
    static final String BENCHMARK = JmhFloor.class.getName() + ".burnCpu";

    /** Burns about a hundred nanoseconds in registers: no allocation, no state. */
    @Benchmark
    public void burnCpu() {
        Blackhole.consumeCPU(64);
    }
}
