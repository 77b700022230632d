package org.cypclass.tests.readme;

import java.lang.foreign.MemoryLayout;
import java.util.List;

import org.cypclass.examples.Adder;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory example of README.md, compiled and run as it is printed there. */
class ReadmeMemoryExampleTest {

    /**
     * Runs the example while one {@link Adder} is live, so that what it prints can be checked:
     * the snapshot counts that block, the report's walk of the allocator's memory finds the
     * same, and closing the Adder takes it off the count.
     */
    @Test
    void readmeExample() {
        String adder = Adder.class.getName();
        long before = MemoryStats.snapshot().of(adder).liveBlocks();
        try (Adder held = Adder.create(1)) {
            // --- README: memory example ---
            // Every cypclass instance starts with this C-compatible header.
            System.out.println(CyObjectHeader.LAYOUT);            // [j8(ob_refcnt)a8(ob_type)i4(nogil_ob_refcnt)...]
            long ownerOffset = CyObjectHeader.LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("ob_owner"));

            // What the library holds off-heap right now, per type.
            MemoryStats stats = MemoryStats.snapshot();
            System.out.println(stats.liveBlocks() + " live blocks, " + stats.liveBytes() + " bytes");

            // Every live block by type (run with -Dcypclass.memory.leakTracking=true to see where each was allocated).
            System.out.println(LeakReport.create());
            // --- end ---
            assertEquals(24, ownerOffset);
            MemoryStats.TypeStats adders = stats.of(adder);
            assertEquals(before + 1, adders.liveBlocks(), "the snapshot counts the Adder held here: " + stats);
            assertTrue(adders.liveBytes() >= adders.liveBlocks() * CyObjectHeader.LAYOUT.byteSize(), stats.toString());
            assertTrue(stats.liveBlocks() >= adders.liveBlocks() && stats.liveBytes() >= adders.liveBytes(), stats.toString());
            List<LeakReport.LiveBlock> listed = LeakReport.create().blocksByType().getOrDefault(adder, List.of());
            assertEquals(adders.liveBlocks(), listed.size(), "the report's walk of the allocator's memory finds what the snapshot counts");
            assertTrue(listed.stream().anyMatch(block -> block.address() == held.pointer().address()),
                "the report lists the Adder held here: " + listed);
        }
        assertEquals(before, MemoryStats.snapshot().of(adder).liveBlocks(), "closing the only reference frees the block");
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeMemoryExampleTest.class, "memory example");
    }
}
