package org.cypclass.benchmarks.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak's steady-state rules on synthetic series: the p99.9 rule fails a latency that keeps
 * growing and passes a flat noisy one, one with spikes and one with a single step; the memory
 * rule fails a climbing resident set and passes a flat one.
 */
class GrowthTest {

    /** 60 samples of 2 s, p99.9 given by {@code p999} of the sample's index, ns. */
    private static List<Sample> latencies(LongUnaryOperator p999) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long value = p999.applyAsLong(i);
            samples.add(new Sample(20 + 2 * i, 1e6, 100, 1 << 20, 200L << 20,
                new Sample.Latency(2_000_000, value / 20, value / 3, value, value * 4)));
        }
        return samples;
    }

    @Test
    void aP999ThatKeepsGrowingFails() {
        // 1 ms growing to 18.7 ms: a queue that never drains.
        String verdict = Growth.checkLatency(latencies(i -> 1_000_000 + i * 300_000));
        assertNotNull(verdict);
        assertTrue(verdict.contains("p99.9 request latency kept growing") && verdict.contains("3.85 ms -> 9.85 ms -> 15.85 ms"),
            verdict);
        // Slower growth with noise on top still fails: 0.5 ms to 6.4 ms, each sample x0.7 to x1.3.
        SplittableRandom random = new SplittableRandom(3);
        assertNotNull(Growth.checkLatency(latencies(i -> (long) ((500_000 + i * 100_000) * random.nextDouble(0.7, 1.3)))));
    }

    @Test
    void aFlatNoisyP999Passes() {
        // A noisy 2-core machine: each interval anywhere from a third to three times 800 us.
        SplittableRandom random = new SplittableRandom(11);
        for (int run = 0; run < 200; run++) {
            assertNull(Growth.checkLatency(latencies(i -> (long) (800_000 * Math.exp(random.nextDouble(-1.1, 1.1))))),
                "run " + run);
        }
    }

    @Test
    void spikesPass() {
        // A neighbour's build: a few intervals 50 times slower, one of them in the last third.
        assertNull(Growth.checkLatency(latencies(i -> i == 7 || i == 30 || i == 55 || i == 56 ? 50_000_000 : 900_000)));
        // A run of slow intervals at the very end, shorter than half a third, moves no median.
        assertNull(Growth.checkLatency(latencies(i -> i >= 52 ? 40_000_000 : 900_000)));
    }

    @Test
    void growthBelowTheFloorOrWithoutAMiddleRisePasses() {
        // Tripling, but by less than 2 ms: microseconds on a fast path, not a leak.
        assertNull(Growth.checkLatency(latencies(i -> 20_000 + i * 1_000)));
        // Doubling from 1 ms: what a neighbour's build does to a whole third.
        assertNull(Growth.checkLatency(latencies(i -> 1_000_000 + i * 25_000)));
        // High in the middle, back down, then up: no steady growth.
        assertNull(Growth.checkLatency(latencies(i -> i < 20 ? 2_000_000 : i < 40 ? 1_000_000 : 5_000_000)));
    }

    @Test
    void aShortRunOrOneWithoutRequestsIsNotJudged() {
        assertNull(Growth.checkLatency(latencies(i -> 1_000_000L << Math.min(i, 30)).subList(0, 8)));
        List<Sample> empty = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            empty.add(new Sample(i, 0, 0, 0, 0, Sample.Latency.NONE));
        }
        assertNull(Growth.checkLatency(empty));
    }

    @Test
    void theMemoryRuleFailsAClimbAndPassesAPlateau() {
        List<Sample> climbing = new ArrayList<>();
        List<Sample> flat = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            climbing.add(new Sample(i, 1e6, 0, 0, (200L << 20) + i * (10L << 20), Sample.Latency.NONE));
            flat.add(new Sample(i, 1e6, 0, 0, (200L << 20) + (i % 3) * (5L << 20), Sample.Latency.NONE));
        }
        assertNotNull(Growth.check(climbing, Sample::rssBytes, "the resident set", 64L << 20, 0.15));
        assertNull(Growth.check(flat, Sample::rssBytes, "the resident set", 64L << 20, 0.15));
    }

    @Test
    void lineAndCsvCarryThePercentiles() {
        Sample sample = new Sample(12, 1e6, 5, 1 << 20, 100L << 20, new Sample.Latency(10, 1_234, 56_789, 2_500_000, 31_000_000));
        assertTrue(sample.line().contains("p50 1,234 ns  p99 56.8 us  p99.9 2.50 ms  max 31.00 ms"), sample.line());
        assertTrue(sample.csv().endsWith(",10,1234,56789,2500000,31000000"), sample.csv());
        assertTrue(Sample.CSV_HEADER.endsWith("requests,p50_ns,p99_ns,p999_ns,max_ns"));
    }
}
