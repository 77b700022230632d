package org.cypclass.tests.containers;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Clash;
import org.cypclass.examples.Node;
import org.cypclass.examples.Pair;
import org.cypclass.examples.Point;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.objects.capabilities.NotIsolatedException;
import org.cypclass.objects.containers.KeyLongDict;
import org.cypclass.objects.containers.KeyRefDict;
import org.cypclass.objects.containers.KeySet;
import org.cypclass.objects.containers.RefLongDict;
import org.cypclass.objects.containers.RefRefDict;
import org.cypclass.objects.containers.RefSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference sets and the dicts with reference keys besides {@code RefLongDict}
 * ({@link RefRefDict}, {@link RefSet} by identity; {@link KeyLongDict}, {@link KeyRefDict},
 * {@link KeySet} by content): the rules a store checks, identity against content, where user
 * code runs, the object graph (cycles, {@code consume}), frozen containers read by many threads
 * and locked ones changed by many, and walks and lookups that allocate nothing. The model tests ({@link RefShapesModelTest}, {@link KeyContainersModelTest}) check the
 * results of random operation sequences.
 */
class KeyContainersTest {

    private static final int THREADS = Math.max(4, Runtime.getRuntime().availableProcessors());

    private static Frozen<Point> frozenPoint(long x, long y) {
        return Isolated.consume(Point.create(x, y)).freeze();
    }

    private static Frozen<Clash> frozenClash(long id) {
        return Isolated.consume(Clash.create(id)).freeze();
    }

    private static int count(CyObject reference) {
        return RefCount.count(reference.pointer().address());
    }

    private static long live(Class<?> type) {
        return live(type.getName());
    }

    private static long live(String typeName) {
        MemoryStats.TypeStats stats = MemoryStats.snapshot().of(typeName);
        return stats == null ? 0 : stats.liveBlocks();
    }

    @Test
    void aKeyThatIsNotFrozenIsRefusedWithTheWayToFreezeIt() {
        try (KeyLongDict<Point> dict = KeyLongDict.create(Point.class); KeySet<Point> set = KeySet.create(Point.class);
             KeyRefDict<Point, Node> refs = KeyRefDict.create(Point.class, Node.class); Point point = Point.create(1, 2);
             Node node = Node.create(1, null)) {
            long hashes = Point.HASHES.get();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> dict.put(point, 7));
            assertTrue(refused.getMessage().contains("a key compared by content must be frozen"), refused.getMessage());
            assertTrue(refused.getMessage().contains("Isolated.consume(k).freeze()"), refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> set.add(point));
            assertThrows(IllegalArgumentException.class, () -> refs.put(point, node));
            assertEquals(hashes, Point.HASHES.get(), "refused before any user code runs");
            assertThrows(IllegalArgumentException.class, () -> dict.asMap().put(point, 7L));
            assertEquals(0, dict.size() + set.size() + refs.size());
            assertEquals(1, count(point));
            assertEquals(1, count(node), "the value was not retained");
            // A thread-local key may still look a frozen one up.
            try (Frozen<Point> key = frozenPoint(1, 2)) {
                dict.put(key.get(), 7);
                assertEquals(7, dict.get(point));
                assertTrue(dict.asMap().containsKey(point));
            }
        }
    }

    @Test
    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    void aClosedLookupKeyIsRefused() {
        try (Frozen<Point> key = frozenPoint(5, 6); KeyLongDict<Point> dict = KeyLongDict.create(Point.class);
             KeySet<Point> set = KeySet.create(Point.class)) {
            dict.put(key.get(), 56);
            set.add(key.get());
            Point closed = Point.create(5, 6);
            closed.close();
            assertThrows(IllegalStateException.class, () -> dict.containsKey(closed));
            assertThrows(IllegalStateException.class, () -> set.contains(closed));
            assertThrows(IllegalStateException.class, () -> set.remove(closed));
            assertEquals(1, dict.size());
            assertEquals(1, set.size());
        }
    }

    @Test
    void aKeyClassWithoutHashAndEqualsIsRefusedBeforeAnythingIsAllocated() {
        long before = live(KeyLongDict.class) + live(KeySet.class) + live(KeyRefDict.class);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> KeyLongDict.create(Node.class));
        assertTrue(refused.getMessage().contains("declares no @Hash and @Equals methods"), refused.getMessage());
        assertTrue(refused.getMessage().contains("use a RefLongDict"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeySet.create(Node.class));
        assertThrows(IllegalArgumentException.class, () -> KeyRefDict.create(CyObject.class, Node.class));
        assertEquals(before, live(KeyLongDict.class) + live(KeySet.class) + live(KeyRefDict.class));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyStoreIsCheckedAgainstTheDeclaredClasses() {
        try (RefSet<Node> nodes = RefSet.create(Node.class); RefRefDict<Node, Node> pairs = RefRefDict.create(Node.class, Node.class);
             KeySet<Point> points = KeySet.create(Point.class); KeyRefDict<Point, Node> refs = KeyRefDict.create(Point.class, Node.class);
             Pair pair = Pair.create(1); Node node = Node.create(1, null); Frozen<Clash> clash = frozenClash(4);
             Frozen<Point> point = frozenPoint(1, 1)) {
            assertThrows(ClassCastException.class, () -> ((RefSet) nodes).add(pair));
            assertThrows(ClassCastException.class, () -> ((RefRefDict) pairs).put(pair, node));
            assertThrows(ClassCastException.class, () -> ((RefRefDict) pairs).put(node, pair));
            assertThrows(ClassCastException.class, () -> ((KeySet) points).add(clash.get()));
            assertThrows(ClassCastException.class, () -> ((KeyRefDict) refs).put(point.get(), pair));
            assertEquals(0, nodes.size() + pairs.size() + points.size() + refs.size());
            assertEquals(1, count(pair));
            assertEquals(1, count(node));
            assertEquals(1, count(point.get()), "nothing kept a count of a refused entry's key");
            assertFalse(nodes.asSet().contains(pair), "a query of another class answers false");
            assertFalse(points.asSet().contains(clash.get()));
            assertEquals(Node.class, nodes.elementType());
            assertEquals(Node.class, pairs.keyType());
            assertEquals(Point.class, refs.keyType());
            assertEquals(Node.class, refs.valueType());
        }
    }

    @Test
    void identityShapesTellEqualInstancesApartAndContentShapesDoNot() {
        try (Frozen<Point> a = frozenPoint(3, 4); Frozen<Point> b = frozenPoint(3, 4); Frozen<Point> c = frozenPoint(4, 3);
             RefSet<Point> byIdentity = RefSet.create(Point.class); KeySet<Point> byContent = KeySet.create(Point.class);
             RefLongDict<Point> identityDict = RefLongDict.create(Point.class);
             KeyLongDict<Point> contentDict = KeyLongDict.create(Point.class)) {
            assertTrue(byIdentity.add(a.get()));
            assertTrue(byIdentity.add(b.get()));
            assertTrue(byContent.add(a.get()));
            assertFalse(byContent.add(b.get()), "equal by content: already there");
            assertTrue(byContent.add(c.get()));
            assertEquals(2, byIdentity.size());
            assertEquals(2, byContent.size());
            assertEquals(3, count(a.get()), "held by both sets");
            assertEquals(2, count(b.get()), "held by the identity set only");
            identityDict.put(a.get(), 1);
            contentDict.put(a.get(), 1);
            contentDict.put(b.get(), 2);                      // overwrites a's value, keeps a
            assertFalse(identityDict.containsKey(b.get()));
            assertEquals(2, contentDict.get(b.get()));
            assertEquals(1, contentDict.size());
            KeyLongDict.Cursor<Point> cursor = contentDict.cursor();
            assertTrue(cursor.next());
            assertTrue(cursor.key().equals(a.get()), "the first instance stays the key");
            assertTrue(byContent.remove(b.get()), "removal by an equal instance");
            assertEquals(4, count(a.get()), "a: the handle, byIdentity, identityDict, contentDict");
        }
    }

    @Test
    void collidingHashesAreToldApartByEqualsAndGrowingRunsNoUserCode() {
        List<Frozen<Point>> points = new ArrayList<>();
        List<Frozen<Clash>> clashes = new ArrayList<>();
        try (KeyLongDict<Point> dict = KeyLongDict.create(Point.class); KeySet<Clash> set = KeySet.create(Clash.class)) {
            for (int i = 0; i < 3000; i++) {
                points.add(frozenPoint(i, -i));
            }
            for (int i = 0; i < 300; i++) {
                clashes.add(frozenClash(i));
            }
            long hashes = Point.HASHES.get();
            long equalities = Point.EQUALITIES.get();
            for (int i = 0; i < points.size(); i++) {
                dict.put(points.get(i).get(), i);
            }
            // Thousands of inserts and ten rebuilds: one hash per insert, and no equality test,
            // since distinct points have distinct hashes and a rebuild uses the stored ones.
            assertEquals(hashes + points.size(), Point.HASHES.get());
            assertEquals(equalities, Point.EQUALITIES.get());
            dict.ensureCapacity(1 << 16);
            for (int i = 0; i < points.size(); i += 2) {
                dict.remove(points.get(i).get());
            }
            dict.ensureCapacity(1 << 17);
            assertEquals(hashes + points.size() * 3 / 2, Point.HASHES.get(), "rebuilds ran no @Hash method");
            assertEquals(equalities, Point.EQUALITIES.get(), "rebuilds ran no @Equals method");
            for (int i = 1; i < points.size(); i += 2) {
                try (Point equal = Point.create(i, -i)) {
                    assertEquals(i, dict.get(equal));
                }
            }
            // Three hashes for 300 keys: every lookup walks a long run of equal hashes.
            for (Frozen<Clash> clash : clashes) {
                assertTrue(set.add(clash.get()));
            }
            set.ensureCapacity(4096);
            for (int i = 0; i < 300; i++) {
                try (Clash equal = Clash.create(i); Clash missing = Clash.create(i + 300)) {
                    assertTrue(set.contains(equal));
                    assertFalse(set.contains(missing));
                    if (i % 3 == 0) {
                        assertTrue(set.remove(equal));
                    }
                }
            }
            assertEquals(200, set.size());
        } finally {
            points.forEach(Frozen::close);
            clashes.forEach(Frozen::close);
        }
    }

    @Test
    void anEqualsMethodThatChangesTheContainerFailsTheLookupAndLeavesItConsistent() {
        try (Frozen<Clash> one = frozenClash(1); Frozen<Clash> four = frozenClash(4); Frozen<Clash> seven = frozenClash(7);
             KeySet<Clash> set = KeySet.create(Clash.class); KeyLongDict<Clash> dict = KeyLongDict.create(Clash.class)) {
            set.add(one.get());
            set.add(four.get());
            dict.put(one.get(), 1);
            dict.put(four.get(), 4);
            Clash.whileComparing = () -> {
                Clash.whileComparing = null;
                set.remove(one.get());                     // by identity: no @Equals call
            };
            try {
                // 7 has 1's and 4's hash: the lookup calls sameId, which removes an element.
                assertThrows(ConcurrentModificationException.class, () -> set.contains(seven.get()));
                Clash.whileComparing = () -> {
                    Clash.whileComparing = null;
                    dict.clear();
                };
                ConcurrentModificationException changed = assertThrows(ConcurrentModificationException.class,
                    () -> dict.put(seven.get(), 7));
                assertTrue(changed.getMessage().contains("changed"), changed.getMessage());
            } finally {
                Clash.whileComparing = null;
            }
            assertEquals(1, set.size());
            assertTrue(set.contains(four.get()));
            assertFalse(set.contains(one.get()));
            assertEquals(0, dict.size());
            assertEquals(1, count(one.get()));
            assertEquals(2, count(four.get()), "held by the set");
            assertEquals(1, count(seven.get()), "the refused put kept no count");
            dict.put(seven.get(), 7);
            assertEquals(7, dict.get(seven.get()));
        }
    }

    @Test
    void aCycleThroughARefSetOrARefRefDictIsReportedWithItsSlotAndClearingItLeaksNothing() {
        RefSet<CyObject> set = RefSet.create(CyObject.class);
        long setAt = set.pointer().address();
        try (Node node = Node.create(1, null)) {
            set.add(node);
        }
        set.add(set);
        RefRefDict<CyObject, CyObject> dict = RefRefDict.create(CyObject.class, CyObject.class);
        long dictAt = dict.pointer().address();
        try (Node node = Node.create(2, null)) {
            dict.put(node, dict);                        // the dict is the value of its first key
        }
        RefSet.Cursor<CyObject> cursor = set.cursor();
        cursor.next();
        cursor.next();
        @SuppressWarnings("unchecked")
        RefSet<CyObject> borrowedSet = (RefSet<CyObject>) cursor.element();
        @SuppressWarnings("unchecked")
        RefRefDict<CyObject, CyObject> borrowedDict = (RefRefDict<CyObject, CyObject>) dict.asMap().values().iterator().next();
        set.close();
        dict.close();
        assertEquals("elements[1]", cyclesWith(setAt).get(0).links().get(0).field());
        assertEquals("values[0]", cyclesWith(dictAt).get(0).links().get(0).field());
        borrowedSet.clear();              // releases the set's last count: it dies inside its own clear
        assertFalse(borrowedSet.isOpen());
        borrowedDict.clear();
        assertFalse(borrowedDict.isOpen());
        assertEquals(0, live(RefSet.class));
        assertEquals(0, live(RefSet.class.getName() + " storage"));
        assertEquals(0, live(RefRefDict.class));
        assertEquals(0, live(RefRefDict.class.getName() + " storage"));
    }

    @Test
    void consumeCountsBothSidesOfARefRefDictAsInsideTheGraph() throws Exception {
        RefRefDict<Node, Node> pairs = RefRefDict.create(Node.class, Node.class);
        Node outside = Node.create(99, null);
        try (Node a = Node.create(1, null); Node b = Node.create(2, null)) {
            pairs.put(a, b);
            pairs.put(b, a);
            pairs.put(outside, null);
        }
        assertThrows(NotIsolatedException.class, () -> Isolated.consume(pairs), "our reference to a key is outside");
        pairs.remove(outside);
        outside.close();
        Isolated<RefRefDict<Node, Node>> parcel = Isolated.consume(pairs);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try (RefRefDict<Node, Node> mine = parcel.adopt()) {
                long sum = 0;
                RefRefDict.Cursor<Node, Node> cursor = mine.cursor();
                while (cursor.next()) {
                    sum += cursor.key().payload() * 10 + cursor.value().payload();
                }
                assertEquals(12 + 21, sum);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        other.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, live(RefRefDict.class));
    }

    private static List<LeakReport.Cycle> cyclesWith(long object) {
        return LeakReport.create().cycles().stream()
            .filter(cycle -> cycle.objects().stream().anyMatch(block -> block.address() == object))
            .toList();
    }

    @Test
    void frozenContainersAreReadByManyThreadsAtOnce() throws Exception {
        int keys = 512;
        int rounds = 100_000;
        List<Frozen<Point>> points = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            points.add(frozenPoint(i, i % 7));
        }
        KeyLongDict<Point> draft = KeyLongDict.create(Point.class);
        KeySet<Point> draftSet = KeySet.create(Point.class);
        RefSet<Point> draftRefs = RefSet.create(Point.class);
        for (int i = 0; i < keys; i++) {
            draft.put(points.get(i).get(), i * 10L);
            draftSet.add(points.get(i).get());
            if (i % 2 == 0) {
                draftRefs.add(points.get(i).get());
            }
        }
        try (Frozen<KeyLongDict<Point>> dict = Isolated.consume(draft).freeze();
             Frozen<KeySet<Point>> set = Isolated.consume(draftSet).freeze();
             Frozen<RefSet<Point>> refs = Isolated.consume(draftRefs).freeze()) {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int seed = t;
                Frozen<KeyLongDict<Point>> myDict = dict.newReference();
                Frozen<KeySet<Point>> mySet = set.newReference();
                Frozen<RefSet<Point>> myRefs = refs.newReference();
                List<Frozen<Point>> myPoints = points.stream().map(Frozen::newReference).toList();
                threads.add(Thread.ofPlatform().start(() -> {
                    try (myDict; mySet; myRefs) {
                        start.await();
                        long sum = 0;
                        for (int r = 0; r < rounds; r++) {
                            int i = (r * 31 + seed) % keys;
                            Point stored = myPoints.get(i).get();
                            if ((r & 7) == 0) {
                                try (Point equal = Point.create(i, i % 7)) {   // thread-local: a lookup key
                                    sum += myDict.get().get(equal);
                                    if (!mySet.get().contains(equal)) {
                                        throw new AssertionError("missing " + i);
                                    }
                                    if (myRefs.get().contains(equal)) {
                                        throw new AssertionError("found by identity: " + i);
                                    }
                                }
                            } else {
                                sum += myDict.get().get(stored);
                                if (myRefs.get().contains(stored) != (i % 2 == 0)) {
                                    throw new AssertionError("identity set disagrees on " + i);
                                }
                            }
                            if (r % 5000 == 0) {
                                long walked = 0;
                                KeyLongDict.Cursor<Point> cursor = myDict.get().cursor();
                                while (cursor.next()) {
                                    walked += cursor.value() / 10 - cursor.key().x();
                                }
                                if (walked != 0) {
                                    throw new AssertionError("a walk read " + walked);
                                }
                            }
                        }
                        if (sum <= 0) {
                            throw new AssertionError("no lookups");
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        myPoints.forEach(Frozen::close);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(keys, dict.get().size());
            for (int i = 0; i < keys; i++) {
                assertEquals(i % 2 == 0 ? 4 : 3, count(points.get(i).get()),
                    "point " + i + ": our handle, the dict, the set and (even) the identity set");
            }
        } finally {
            points.forEach(Frozen::close);
        }
        assertEquals(0, live(KeyLongDict.class));
        assertEquals(0, live(Point.class));
    }

    @Test
    void aLockedKeyDictIsChangedAndLookedUpByManyThreadsWithExactCounts() throws Exception {
        int keys = 64 * THREADS;
        int rounds = 60_000;
        List<Frozen<Point>> points = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            points.add(frozenPoint(i, -i));
        }
        long[][] expected = new long[THREADS][];
        try (Locked<KeyLongDict<Point>> locked = Isolated.consume(KeyLongDict.create(Point.class)).lock();
             Locked<KeySet<Point>> lockedSet = Isolated.consume(KeySet.create(Point.class)).lock()) {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                // Thread t owns the keys i with i % THREADS == t: it alone puts and removes them, so
                // it knows what the dict holds for them; it looks every other key up by content.
                long[] mine = new long[keys];
                java.util.Arrays.fill(mine, -1);
                expected[t] = mine;
                Locked<KeyLongDict<Point>> myDict = locked.newReference();
                Locked<KeySet<Point>> mySet = lockedSet.newReference();
                threads.add(Thread.ofPlatform().start(() -> {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(me);
                    try (myDict; mySet) {
                        start.await();
                        for (int r = 0; r < rounds; r++) {
                            int i = random.nextInt(keys / THREADS) * THREADS + me;
                            Point key = points.get(i).get();
                            if (random.nextInt(3) == 0) {
                                try (Locked.Guard<KeyLongDict<Point>> guard = myDict.write();
                                     Locked.Guard<KeySet<Point>> setGuard = mySet.write()) {
                                    if (mine[i] >= 0 && random.nextBoolean()) {
                                        if (!guard.get().remove(key) || !setGuard.get().remove(key)) {
                                            throw new AssertionError("lost key " + i);
                                        }
                                        mine[i] = -1;
                                    } else {
                                        guard.get().put(key, r);
                                        setGuard.get().add(key);
                                        mine[i] = r;
                                    }
                                }
                            } else {
                                int other = random.nextInt(keys);
                                try (Point equal = Point.create(other, -other);
                                     Locked.Guard<KeyLongDict<Point>> guard = myDict.read()) {
                                    long value = guard.get().getOrDefault(equal, -1);
                                    if (other % THREADS == me && value != mine[other]) {
                                        throw new AssertionError("key " + other + ": " + value + ", expected " + mine[other]);
                                    }
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            try (Locked.Guard<KeyLongDict<Point>> guard = locked.read(); Locked.Guard<KeySet<Point>> setGuard = lockedSet.read()) {
                long present = 0;
                for (int i = 0; i < keys; i++) {
                    long value = expected[i % THREADS][i];
                    try (Point equal = Point.create(i, -i)) {
                        assertEquals(value, guard.get().getOrDefault(equal, -1), "key " + i);
                        assertEquals(value >= 0, setGuard.get().contains(equal), "element " + i);
                    }
                    assertEquals(value >= 0 ? 3 : 1, count(points.get(i).get()), "point " + i + ": one count per container");
                    present += value >= 0 ? 1 : 0;
                }
                assertEquals(present, guard.get().size());
                assertEquals(present, setGuard.get().size());
            }
        } finally {
            points.forEach(Frozen::close);
        }
        assertEquals(0, live(KeyLongDict.class));
        assertEquals(0, live(KeySet.class));
        assertEquals(0, live(Point.class));
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long lookUpAndWalk(KeyLongDict<Point> dict, KeySet<Point> set, RefSet<Point> refs,
                                      RefRefDict<Point, Point> pairs, List<Frozen<Point>> keys, Point[] equal) {
        long sum = 0;
        for (int i = 0; i < equal.length; i++) {
            sum += dict.get(keys.get(i).get()) + dict.get(equal[i]);
            sum += set.contains(equal[i]) ? 1 : 0;
            sum += refs.contains(keys.get(i).get()) ? 1 : 0;
        }
        KeyLongDict.Cursor<Point> entries = dict.cursor();
        while (entries.next()) {
            sum += entries.key().x() + entries.value();
        }
        KeySet.Cursor<Point> elements = set.cursor();
        while (elements.next()) {
            sum += elements.element().y();
        }
        RefSet.Cursor<Point> identities = refs.cursor();
        while (identities.next()) {
            sum += identities.element().x();
        }
        RefRefDict.Cursor<Point, Point> both = pairs.cursor();
        while (both.next()) {
            sum += both.key().x() + both.value().y();
        }
        return sum;
    }

    @Test
    void lookupsAndCursorsAllocateNothing() {
        int n = 200;
        List<Frozen<Point>> keys = new ArrayList<>();
        Point[] equal = new Point[n];
        try (KeyLongDict<Point> dict = KeyLongDict.create(Point.class); KeySet<Point> set = KeySet.create(Point.class);
             RefSet<Point> refs = RefSet.create(Point.class); RefRefDict<Point, Point> pairs = RefRefDict.create(Point.class, Point.class)) {
            for (int i = 0; i < n; i++) {
                keys.add(frozenPoint(i, 2 * i));
                equal[i] = Point.create(i, 2 * i);
            }
            for (int i = 0; i < n; i++) {
                dict.put(keys.get(i).get(), i);
                set.add(keys.get(i).get());
                refs.add(keys.get(i).get());
                pairs.put(keys.get(i).get(), keys.get(n - 1 - i).get());
            }
            long expected = lookUpAndWalk(dict, set, refs, pairs, keys, equal);
            for (int i = 0; i < 30; i++) {                 // warm-up: let the JIT compile the loops
                assertEquals(expected, lookUpAndWalk(dict, set, refs, pairs, keys, equal));
            }
            long before = allocated();
            for (int i = 0; i < 10; i++) {
                lookUpAndWalk(dict, set, refs, pairs, keys, equal);
            }
            long bytes = allocated() - before;
            assertTrue(bytes < 1024, bytes + " bytes allocated by 10 x (1,000 lookups + 4 walks of 200 entries)");
        } finally {
            keys.forEach(Frozen::close);
            for (Point point : equal) {
                if (point != null) {
                    point.close();
                }
            }
        }
    }
}
