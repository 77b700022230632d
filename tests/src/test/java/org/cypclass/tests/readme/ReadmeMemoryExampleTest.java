package org.cypclass.tests.readme;

import java.lang.foreign.MemoryLayout;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory example of README.md, compiled and run as it is printed there. */
class ReadmeMemoryExampleTest {

    @Test
    void readmeExample() {
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
        assertTrue(stats.liveBlocks() >= 0);
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeMemoryExampleTest.class, "memory example");
    }
}
