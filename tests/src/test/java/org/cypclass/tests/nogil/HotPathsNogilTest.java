package org.cypclass.tests.nogil;

import java.util.concurrent.TimeUnit;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Node;
import org.cypclass.memory.NogilRegion;
import org.cypclass.memory.NogilViolationException;
import org.cypclass.memory.internal.RefCount;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The object layer's hot paths inside checked nogil regions (the {@code nogil} execution): once
 * the JIT has compiled them, they allocate nothing on the Java heap and take no Java monitor.
 * (libc's reads and writes are measured per call by {@code NogilTest}.)
 */
@Tag("nogil")
class HotPathsNogilTest {

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    /**
     * Runs rounds of 10,000 calls, each round inside one region, until a round keeps the
     * promise (the first rounds run interpreted code, which may allocate what compiled code
     * does not) or 20 seconds have passed.
     */
    private static void assertNogil(String name, Op op) throws Exception {
        assertTrue(NogilRegion.checking(), "run through the nogil execution");
        NogilViolationException last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (NogilRegion _ = NogilRegion.enter(name)) {
                for (int i = 0; i < 10_000; i++) {
                    op.run();
                }
            } catch (NogilViolationException e) {
                last = e;
                continue;
            }
            return;
        }
        fail("no round of \"" + name + "\" kept the nogil promise in 20 s; last: " + (last == null ? "none" : last.getMessage()));
    }

    @Test
    void fieldAccessAndMethods() throws Exception {
        try (Adder adder = Adder.create(0)) {
            assertNogil("Adder.add", () -> adder.add(1));
        }
    }

    @Test
    void createAndClose() throws Exception {
        assertNogil("create and close", () -> {
            try (Adder adder = Adder.create(1)) {
                adder.add(1);
            }
        });
    }

    @Test
    void threadLocalRetainAndRelease() throws Exception {
        try (Adder adder = Adder.create(0)) {
            long object = adder.pointer().address();
            assertNogil("retain and release", () -> {
                RefCount.retain(object);
                RefCount.release(object);
            });
        }
    }

    @Test
    void borrowedWalk() throws Exception {
        Node list = Node.create(0, null);
        for (int i = 1; i < 1000; i++) {
            Node next = Node.create(i, list);
            list.close();
            list = next;
        }
        try (Node head = list) {
            long[] sum = new long[1];
            assertNogil("walk a 1,000-node list", () -> {
                for (Node n = head; n != null; n = n.next()) {
                    sum[0] += n.payload();
                }
            });
        }
    }
}
