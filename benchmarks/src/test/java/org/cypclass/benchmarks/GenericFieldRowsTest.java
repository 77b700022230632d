package org.cypclass.benchmarks;

import java.util.List;

import org.checkerframework.checker.mustcall.qual.MustCallUnknown;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference-field rows of {@link ObjectBench} run outside JMH: the generic row and its
 * non-generic twin do the same work and leave nothing alive, and the harness compares them.
 */
class GenericFieldRowsTest {

    private static long live(Class<? extends @MustCallUnknown Object> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    @Test
    void theGenericRowAndItsTwinRunAndReleaseEverything() {
        ObjectBench bench = new ObjectBench();
        bench.setUp();
        try {
            for (int i = 0; i < 10_000; i++) {
                bench.refFieldGetSet();
                bench.genericFieldGetSet();
            }
            assertEquals(1, live(BenchDuo.class));
            assertEquals(1, live(BenchLink.class));
        } finally {
            bench.tearDown();
        }
        assertEquals(0, live(BenchDuo.class));
        assertEquals(0, live(BenchLink.class));
        assertEquals(0, live(BenchNode.class), "the chain, held twice by each twin, died with the last holder");
    }

    @Test
    void theGenericRowIsComparedWithItsTwin() {
        BenchSelection selection = BenchSelection.of(List.of("ObjectBench\\.genericFieldGetSet$"));
        assertTrue(selection.added().contains(ObjectBench.class.getName() + ".refFieldGetSet"), selection.added().toString());
    }
}
