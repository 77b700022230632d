package org.cypclass.tests.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stress tests of the atomic counting mode: many threads, many iterations, exact results. */
class RefCountConcurrencyTest {

    private static final int THREADS = Math.max(4, Runtime.getRuntime().availableProcessors());

    @Test
    void millionsOfRetainReleasePairsEndWithTheExactCount() throws Exception {
        int pairs = 1_000_000;
        long[] objects = {TestObjects.newNode(0), TestObjects.newNode(0), TestObjects.newNode(0)};
        for (long object : objects) {
            RefCount.share(object);
        }
        runAll(THREADS, index -> {
            for (int i = 0; i < pairs; i++) {
                long object = objects[(i + index) % objects.length];
                if ((i & 1) == 0) {
                    RefCount.retain(object);
                    RefCount.release(object);
                } else {
                    RefCount.retainShared(object);
                    RefCount.releaseShared(object);
                }
            }
        });
        for (long object : objects) {
            assertEquals(1, RefCount.count(object));
        }
        // Retain all first, then release all: the count climbs high and comes back exactly.
        runAll(THREADS, index -> {
            for (int i = 0; i < pairs; i++) {
                RefCount.retain(objects[0]);
            }
        });
        assertEquals(1 + THREADS * pairs, RefCount.count(objects[0]));
        runAll(THREADS, index -> {
            for (int i = 0; i < pairs; i++) {
                RefCount.release(objects[0]);
            }
        });
        assertEquals(1, RefCount.count(objects[0]));
        for (long object : objects) {
            RefCount.release(object);
        }
    }

    @Test
    void exactlyOneThreadRunsTheDestructorWhenReleasesRace() throws Exception {
        int rounds = 20_000;
        int threads = 4;
        AtomicInteger destroyed = new AtomicInteger();
        AtomicInteger lastReleases = new AtomicInteger();
        int type = BlockTypes.register("org.cypclass.tests.RaceProbe", object -> destroyed.incrementAndGet());
        long[] current = new long[1];
        CyclicBarrier start = new CyclicBarrier(threads, () -> {
            // Runs once per round, before the threads go: a shared object with one count per thread.
            long object = RefCount.allocate(type, 48);
            RefCount.share(object);
            for (int i = 1; i < threads; i++) {
                RefCount.retain(object);
            }
            current[0] = object;
        });
        CyclicBarrier done = new CyclicBarrier(threads);
        runAll(threads, index -> {
            try {
                for (int round = 0; round < rounds; round++) {
                    start.await();
                    boolean last = (round & 1) == 0 ? RefCount.release(current[0]) : RefCount.releaseShared(current[0]);
                    if (last) {
                        lastReleases.incrementAndGet();
                    }
                    done.await();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(rounds, destroyed.get(), "one destructor run per object");
        assertEquals(rounds, lastReleases.get(), "exactly one release per object reported the destruction");
    }

    @Test
    void sharedGraphsDieCompletelyWhateverThreadReleasesLast() throws Exception {
        int destroyedBefore = TestObjects.DESTROYED.get();
        int chains = 2_000;
        long[] heads = new long[chains];
        for (int c = 0; c < chains; c++) {
            long head = 0;
            for (int i = 0; i < 10; i++) {
                head = TestObjects.newNode(head);
                RefCount.share(head);
            }
            heads[c] = head;
            for (int t = 1; t < THREADS; t++) {
                RefCount.retain(head);
            }
        }
        runAll(THREADS, index -> {
            for (long head : heads) {
                RefCount.release(head);
            }
        });
        assertEquals(destroyedBefore + chains * 10, TestObjects.DESTROYED.get());
    }

    interface Body {
        void run(int index) throws Exception;
    }

    static void runAll(int threads, Body body) throws Exception {
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                try {
                    body.run(index);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "stress-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " worker(s) failed", failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }
}
