package org.cypclass.tests.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cypclass.memory.MemoryStats;

/**
 * Compares two snapshots of the library's allocator type by type, blocks and bytes apart: a
 * test that frees a small block and allocates a bigger one of the same type leaks bytes
 * without leaking a block.
 */
final class AllocatorLeaks {

    private AllocatorLeaks() {
    }

    /**
     * Describes the types with more live blocks, and the types with more live bytes, in
     * {@code after} than in {@code before}.
     *
     * @return zero, one or two sentences ("leaked off-heap blocks {type=n}", "leaked off-heap
     *         bytes {type=n}")
     */
    static List<String> between(MemoryStats before, MemoryStats after) {
        Map<String, Long> blocks = new TreeMap<>();
        Map<String, Long> bytes = new TreeMap<>();
        after.byType().forEach((type, stats) -> {
            MemoryStats.TypeStats was = before.of(type);
            if (stats.liveBlocks() > was.liveBlocks()) {
                blocks.put(type, stats.liveBlocks() - was.liveBlocks());
            }
            if (stats.liveBytes() > was.liveBytes()) {
                bytes.put(type, stats.liveBytes() - was.liveBytes());
            }
        });
        List<String> leaks = new ArrayList<>();
        if (!blocks.isEmpty()) {
            leaks.add("leaked off-heap blocks " + blocks);
        }
        if (!bytes.isEmpty()) {
            leaks.add("leaked off-heap bytes " + bytes);
        }
        return leaks;
    }
}
