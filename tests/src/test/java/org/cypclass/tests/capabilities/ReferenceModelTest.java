package org.cypclass.tests.capabilities;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cypclass.examples.Node;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.objects.capabilities.NotIsolatedException;
import org.cypclass.objects.containers.RefList;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stateful reference model: random sequences of create, new and closed references,
 * borrowed reads, field assignment, consume, adopt on another thread, freeze, lock and guards,
 * activate and messages, list insertions and removals, and reads from another thread, applied
 * to real nodes and to a plain Java model of who holds what. After every step each live
 * object's nogil count must equal the references the model says it has (the test's handles,
 * the {@code next} fields of live objects, the list's slots), each payload and {@code next}
 * must read as the model says, and the number of live nodes must match; every rule the model
 * predicts to be broken must throw its exception and change nothing. Each sequence ends with
 * everything closed and no live node. A failing sequence is shrunk to a minimal one
 * ({@link PropertyCheck}), and the run must reach every capability.
 */
class ReferenceModelTest {

    private static final ExecutorService OTHER_THREAD = Executors.newSingleThreadExecutor(
        r -> Thread.ofPlatform().name("model-other-thread").daemon(true).unstarted(r));
    private static volatile ActorSystem actors;

    private static ActorSystem actors() {
        ActorSystem system = actors;
        if (system == null) {
            synchronized (ReferenceModelTest.class) {
                if (actors == null) {
                    actors = ActorSystem.start(2);
                }
                system = actors;
            }
        }
        return system;
    }

    @AfterAll
    static void stopThreads() {
        if (actors != null) {
            actors.close();
        }
        OTHER_THREAD.shutdown();
    }

    /** One step: its kind and three numbers it may use (handle indexes, a value). */
    record Op(int kind, int a, int b, int v) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "create(" + v + ")";
                case 1 -> "newReference(h" + a + ")";
                case 2 -> "close(h" + a + ")";
                case 3 -> "h" + a + ".next(h" + b + ")";
                case 4 -> "read(h" + a + ")";
                case 5 -> "write(h" + a + ", " + v + ")";
                case 6 -> "consume(h" + a + ")";
                case 7 -> "spend(h" + a + ", " + List.of("adopt elsewhere", "freeze", "lock", "activate", "close").get(b % 5) + ")";
                case 8 -> "list.add(h" + a + ")";
                case 9 -> "list.remove(" + b + ")";
                default -> "readOnOtherThread(h" + a + ")";
            };
        }
    }

    /** Up to 40 steps, weighted toward consume and spend so that sequences reach every capability often. */
    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(40, c -> new Op(
        c.weighted(3, 1, 1, 2, 2, 1, 4, 4, 1, 1, 1), c.between(0, 7), c.between(-1, 7), c.between(0, 99)));

    /** How many sequences ended holding each capability: the run must reach them all. */
    private final Map<Kind, Integer> heldAtTheEnd = new EnumMap<>(Kind.class);

    @Test
    void referencesCountsAndCapabilitiesFollowTheModel() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::referencesCountsAndCapabilitiesFollowTheModel);
        for (Kind kind : Kind.values()) {
            assertTrue(heldAtTheEnd.getOrDefault(kind, 0) > 0, "no sequence reached " + kind + ": " + heldAtTheEnd);
        }
    }

    void referencesCountsAndCapabilitiesFollowTheModel(List<Op> operations) throws Exception {
        long before = liveNodes();
        World world = new World();
        try {
            for (Op op : operations) {
                world.apply(op);
                world.check();
            }
            for (Handle h : world.handles) {
                heldAtTheEnd.merge(h.kind(), 1, Integer::sum);
            }
        } finally {
            world.closeAll();
        }
        // An actor's last message may still be finishing on its worker, which then frees it.
        eventually(() -> liveNodes() == before);
        assertEquals(before, liveNodes(), "live nodes after closing everything");
    }

    /** Waits up to 5 s for {@code condition}: actors release their object after their last message returns. */
    static void eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static long liveNodes() {
        return MemoryStats.snapshot().of(Node.class.getName()).liveBlocks();
    }

    private static long address(Object reference) {
        String printed = reference.toString();
        int at = printed.indexOf(" at 0x") + 6;
        return Long.parseUnsignedLong(printed.substring(at, printed.indexOf('>', at)), 16);
    }

    /** What the test holds: one handle per open reference or holder, rooted at an object. */
    enum Kind { OWNED, ISOLATED, FROZEN, LOCKED, ACTIVE }

    /** A handle: its kind, the Java object, and the model object it holds. */
    record Handle(Kind kind, AutoCloseable java, int object) {
    }

    /** A model object. */
    static final class Obj {
        final long address;
        long payload;
        int next = -1;
        boolean alive = true;
        Kind capability = Kind.OWNED;   // OWNED: thread-local; ISOLATED, FROZEN, LOCKED, ACTIVE: its graph's

        Obj(long address, long payload) {
            this.address = address;
            this.payload = payload;
        }
    }

    /** The real objects, the model, and the steps between them. */
    static final class World {
        final List<Obj> objects = new ArrayList<>();
        final List<Handle> handles = new ArrayList<>();
        final RefList<Node> list = RefList.create(Node.class);
        final List<Integer> listModel = new ArrayList<>();

        void apply(Op op) throws Exception {
            if (op.kind() == 0) {
                Node node = Node.create(op.v(), null);
                objects.add(new Obj(address(node), op.v()));
                handles.add(new Handle(Kind.OWNED, node, objects.size() - 1));
                return;
            }
            if (op.kind() == 9) {
                if (!listModel.isEmpty()) {
                    int index = Math.floorMod(op.b(), listModel.size());
                    list.removeAt(index);
                    int object = listModel.remove(index);
                    release(object);
                }
                return;
            }
            if (handles.isEmpty()) {
                return;
            }
            int index = op.a() % handles.size();
            Handle h = handles.get(index);
            Obj o = objects.get(h.object());
            switch (op.kind()) {
                case 1 -> newReference(h);
                case 2 -> {
                    h.java().close();
                    handles.remove(index);
                    release(h.object());
                }
                case 3 -> link(h, op.b() < 0 ? null : handles.get(op.b() % handles.size()));
                case 4 -> read(h);
                case 5 -> write(h, o, op.v());
                case 6 -> consume(index, h);
                case 7 -> spend(index, h, op.b());
                case 8 -> {
                    Node view = view(h);
                    if (view != null) {
                        list.add(view);
                        listModel.add(h.object());
                    }
                }
                default -> readElsewhere(h);
            }
        }

        /** An owned or frozen handle's node, usable by this thread; null for the other kinds. */
        Node view(Handle h) {
            return switch (h.kind()) {
                case OWNED -> (Node) h.java();
                case FROZEN -> ((Frozen<?>) h.java()).get() instanceof Node n ? n : null;
                default -> null;
            };
        }

        @SuppressWarnings("unchecked")
        void newReference(Handle h) {
            AutoCloseable copy = switch (h.kind()) {
                case OWNED -> ((Node) h.java()).newReference();
                case FROZEN -> ((Frozen<Node>) h.java()).newReference();
                case LOCKED -> ((Locked<Node>) h.java()).newReference();
                case ACTIVE -> ((Active<Node>) h.java()).newReference();
                case ISOLATED -> null;
            };
            if (copy != null) {
                handles.add(new Handle(h.kind(), copy, h.object()));
            }
        }

        void link(Handle holder, Handle target) {
            if (holder.kind() != Kind.OWNED) {
                if (holder.kind() == Kind.FROZEN) {
                    Node frozen = view(holder);
                    assertThrows(CapabilityException.class, () -> frozen.next(null));
                }
                return;
            }
            Node node = (Node) holder.java();
            Node value = target == null ? null : view(target);
            if (target != null && value == null) {
                return;     // locked, active and isolated targets are not linked by this model
            }
            int targetObject = target == null ? -1 : target.object();
            if (targetObject >= 0 && reaches(targetObject, holder.object())) {
                return;     // no cycles: they could not be freed by closing handles
            }
            node.next(value);
            Obj o = objects.get(holder.object());
            int old = o.next;
            o.next = targetObject;
            if (old >= 0) {
                release(old);
            }
        }

        boolean reaches(int from, int to) {
            for (int at = from; at >= 0; at = objects.get(at).next) {
                if (at == to) {
                    return true;
                }
            }
            return false;
        }

        @SuppressWarnings({"unchecked", "cypclass:read-only-write"}) // checks the CapabilityException a read-only write throws
        void read(Handle h) throws Exception {
            Obj o = objects.get(h.object());
            long nextPayload = o.next < 0 ? -1 : objects.get(o.next).payload;
            switch (h.kind()) {
                case OWNED, FROZEN -> {
                    Node node = view(h);
                    assertEquals(o.payload, node.payload());
                    assertEquals(nextPayload, node.next() == null ? -1 : node.next().payload());
                }
                case LOCKED -> {
                    try (Locked.Guard<Node> guard = ((Locked<Node>) h.java()).read()) {
                        assertEquals(o.payload, guard.get().payload());
                        assertEquals(nextPayload, guard.get().next() == null ? -1 : guard.get().next().payload());
                        assertThrows(CapabilityException.class, () -> guard.get().payload(1));
                    }
                }
                case ACTIVE -> assertEquals(o.payload, (long) ((Active<Node>) h.java()).ask(Node::payload).get());
                case ISOLATED -> { }
            }
        }

        @SuppressWarnings("unchecked")
        void write(Handle h, Obj o, long value) throws Exception {
            switch (h.kind()) {
                case OWNED -> {
                    ((Node) h.java()).payload(value);
                    o.payload = value;
                }
                case FROZEN -> assertThrows(CapabilityException.class, () -> view(h).payload(value));
                case LOCKED -> {
                    try (Locked.Guard<Node> guard = ((Locked<Node>) h.java()).write()) {
                        guard.get().payload(value);
                    }
                    o.payload = value;
                }
                case ACTIVE -> {
                    ((Active<Node>) h.java()).ask(n -> {
                        n.payload(value);
                        return null;
                    }).get();
                    o.payload = value;
                }
                case ISOLATED -> { }
            }
        }

        void consume(int index, Handle h) {
            if (h.kind() != Kind.OWNED) {
                return;
            }
            Node node = (Node) h.java();
            if (isolated(h.object())) {
                Isolated<Node> parcel = Isolated.consume(node);
                assertFalse(node.isOpen(), "consume kills the source reference");
                handles.set(index, new Handle(Kind.ISOLATED, parcel, h.object()));
                setGraph(h.object(), Kind.ISOLATED);
            } else {
                long[] counts = counts();
                assertThrows(NotIsolatedException.class, () -> Isolated.consume(node));
                assertTrue(node.isOpen(), "a refused consume closes nothing");
                assertArrayEquals(counts, counts(), "a refused consume changes no count");
            }
        }

        /** The model's consume check: every count of the graph comes from inside, plus the root's one handle. */
        boolean isolated(int root) {
            for (int at = root; at >= 0; at = objects.get(at).next) {
                Obj o = objects.get(at);
                if (o.capability != Kind.OWNED) {
                    break;      // the walk stops at other capabilities
                }
                long inside = at == root ? 1 : 0;
                for (int from = root; from >= 0 && from != at; from = objects.get(from).next) {
                    if (objects.get(from).next == at) {
                        inside++;
                    }
                }
                if (expectedCount(at) != inside) {
                    return false;
                }
            }
            return true;
        }

        void setGraph(int root, Kind capability) {
            for (int at = root; at >= 0; at = objects.get(at).next) {
                Obj o = objects.get(at);
                if (o.capability != Kind.OWNED && o.capability != Kind.ISOLATED) {
                    break;
                }
                o.capability = capability;
            }
        }

        @SuppressWarnings("unchecked")
        void spend(int index, Handle h, int how) throws Exception {
            if (h.kind() != Kind.ISOLATED) {
                return;
            }
            Isolated<Node> parcel = (Isolated<Node>) h.java();
            AutoCloseable spent;
            Kind kind;
            switch (Math.floorMod(how, 5)) {
                case 0 -> {
                    // Adopted on another thread, read there, consumed there and handed back.
                    long payload = objects.get(h.object()).payload;
                    Future<Isolated<Node>> back = OTHER_THREAD.submit(() -> {
                        Node there = parcel.adopt();
                        assertEquals(payload, there.payload());
                        return Isolated.consume(there);
                    });
                    spent = back.get().adopt();
                    kind = Kind.OWNED;
                }
                case 1 -> {
                    spent = parcel.freeze();
                    kind = Kind.FROZEN;
                }
                case 2 -> {
                    spent = parcel.lock();
                    kind = Kind.LOCKED;
                }
                case 3 -> {
                    spent = parcel.activate(actors());
                    kind = Kind.ACTIVE;
                }
                default -> {
                    parcel.close();
                    handles.remove(index);
                    setGraph(h.object(), Kind.OWNED);
                    release(h.object());
                    return;
                }
            }
            handles.set(index, new Handle(kind, spent, h.object()));
            setGraph(h.object(), kind);
        }

        void readElsewhere(Handle h) throws Exception {
            long payload = objects.get(h.object()).payload;
            Future<Object> result = switch (h.kind()) {
                case OWNED -> {
                    Node node = (Node) h.java();
                    yield OTHER_THREAD.submit(() -> {
                        try {
                            node.payload();
                            return "read another thread's object";
                        } catch (WrongThreadException expected) {
                            return payload;
                        }
                    });
                }
                case FROZEN -> {
                    Node node = view(h);
                    yield OTHER_THREAD.submit(() -> node.payload());
                }
                case LOCKED -> {
                    @SuppressWarnings("unchecked")
                    Locked<Node> mine = ((Locked<Node>) h.java()).newReference();
                    yield OTHER_THREAD.submit(() -> {
                        try (mine; Locked.Guard<Node> guard = mine.read()) {
                            return guard.get().payload();
                        }
                    });
                }
                default -> null;
            };
            if (result != null) {
                try {
                    assertEquals(payload, result.get());
                } catch (ExecutionException e) {
                    assertInstanceOf(AssertionError.class, e.getCause());
                    throw (AssertionError) e.getCause();
                }
            }
        }

        /** Gives back one count of {@code object}; the last one destroys it and releases its next. */
        void release(int object) {
            Obj o = objects.get(object);
            if (expectedCount(object) == 0) {
                o.alive = false;
                if (o.next >= 0) {
                    int next = o.next;
                    release(next);
                }
            }
        }

        /** What the header's count must be: the handles rooted at it, the live next fields, the list slots. */
        long expectedCount(int object) {
            long count = 0;
            for (Handle h : handles) {
                count += h.object() == object ? 1 : 0;
            }
            for (Obj o : objects) {
                count += o.alive && o.next == object ? 1 : 0;
            }
            for (int slot : listModel) {
                count += slot == object ? 1 : 0;
            }
            return count;
        }

        long[] counts() {
            return objects.stream().filter(o -> o.alive).mapToLong(o -> RefCount.count(o.address)).toArray();
        }

        void check() {
            Set<Integer> alive = new HashSet<>();
            for (int i = 0; i < objects.size(); i++) {
                Obj o = objects.get(i);
                if (o.alive) {
                    alive.add(i);
                    long expected = expectedCount(i);
                    if (o.capability == Kind.ACTIVE) {
                        // While a message runs, or just ran, the scheduler holds one more count.
                        eventually(() -> RefCount.count(o.address) == expected);
                    }
                    assertEquals(expected, RefCount.count(o.address), "count of object " + i);
                }
            }
            eventually(() -> liveNodes() == alive.size() + baseline);
            assertEquals(alive.size() + baseline, liveNodes(), "live nodes");
        }

        final long baseline = liveNodes();

        void closeAll() throws Exception {
            for (int i = handles.size() - 1; i >= 0; i--) {
                handles.get(i).java().close();
            }
            handles.clear();
            list.close();
        }
    }
}
