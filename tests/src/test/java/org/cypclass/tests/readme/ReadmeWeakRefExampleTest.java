package org.cypclass.tests.readme;

import java.util.HashMap;
import java.util.Map;

import org.cypclass.examples.Group;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.WeakRef;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weak references example of README.md ("Weak references: parent pointers"), as written there. */
class ReadmeWeakRefExampleTest {

    @Test
    void theExampleRuns() {
        int parentId;
        WeakRef<Group> up;
        // --- README: weakref ---
        Map<WeakRef<Group>, WeakRef<Group>> parentOf = new HashMap<>();   // child -> parent, on the Java side
        try (Group root = Group.create(1)) {
            try (Group child = Group.create(2)) {
                root.children(0, child);                        // counts go down only
                parentOf.put(WeakRef.of(child), WeakRef.of(root));
            }
            WeakRef<Group> child = WeakRef.of(root.children(0));
            Group parent = parentOf.get(child).get();           // borrowed while the root lives
            int id = parent.id();                               // 1
        // --- end ---
            parentId = id;
            up = parentOf.get(child);
        }                                                       // the tree dies whole: no cycle
        assertEquals(1, parentId);
        assertNull(up.get(), "the parent is gone: get() is null");
        MemoryStats.TypeStats groups = MemoryStats.snapshot().of(Group.class.getName());
        assertEquals(0, groups == null ? 0 : groups.liveBlocks());
        assertTrue(LeakReport.create().cycles().stream().flatMap(cycle -> cycle.objects().stream())
            .noneMatch(block -> block.type().equals(Group.class.getName())));
    }

    @Test
    void readmePrintsThisExample() throws Exception {
        ReadmeSnippet.assertReadmeShows(ReadmeWeakRefExampleTest.class, "weakref");
    }
}
