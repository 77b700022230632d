package org.cypclass.tests.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.examples.Node;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The borrowed-reference example of README.md, run as printed there, and kept printed there. */
class ReadmeReferencesExampleTest {

    private static final String BEGIN = "        // --- README: borrowed references ---";
    private static final String END = "        // --- end ---";

    @Test
    void readmeExample() {
        long secondSeen;
        long sumSeen;
        Node stale;
        // --- README: borrowed references ---
        Node list = Node.create(1, null);
        try (Node second = Node.create(2, null); Node third = Node.create(3, null)) {
            list.next(second);                              // a field takes its own count
            second.next(third);
        }                                                   // from here on, only `list` is owned
        try (list) {
            long second = list.next().payload();            // a chained read: nothing to close, nothing leaks
            long sum = 0;
            for (Node n = list; n != null; n = n.next()) {  // a walk: constant stack, no counts taken
                sum += n.payload();
            }
            Node third = list.next().next();                // borrowed: valid while its target lives
            try (Node kept = third.newReference()) {        // an owned reference: one count, closed as usual
                list.next().next(null);                     // the field lets go; `kept` keeps the node alive
                sum += kept.payload() + third.payload();    // both fine: the target lives
            }
            // third.payload() now throws IllegalStateException: the node died with `kept`, and a
            // borrowed reference never reads memory that another object may have taken since
        // --- end ---
            secondSeen = second;
            sumSeen = sum;
            stale = third;
            assertThrows(IllegalStateException.class, third::payload);
        }
        assertEquals(2, secondSeen);
        assertEquals(6 + 3 + 3, sumSeen);
        assertTrue(stale.isBorrowed());
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks(), "nothing leaked");
    }

    /** The README shows the lines between the markers above, de-indented, inside a java block. */
    @Test
    void readmePrintsThisExample() throws IOException {
        Path root = Path.of(System.getProperty("cypclass.repo.root", "."));
        List<String> source = Files.readAllLines(root.resolve(
            "tests/src/test/java/org/cypclass/tests/readme/ReadmeReferencesExampleTest.java"));
        int from = source.indexOf(BEGIN) + 1;
        int to = source.lastIndexOf(END);
        String readme = Files.readString(root.resolve("README.md"));
        StringBuilder expected = new StringBuilder();
        for (String line : source.subList(from, to)) {
            expected.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String example = expected.append("}\n").toString();
        assertTrue(readme.contains(example), "README.md no longer prints the example of this test:\n" + example);
    }
}
