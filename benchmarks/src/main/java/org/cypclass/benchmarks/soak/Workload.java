package org.cypclass.benchmarks.soak;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.benchmarks.BenchAdder;
import org.cypclass.benchmarks.BenchNode;
import org.cypclass.libc.CFile;
import org.cypclass.libc.NativeFile;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.LongLongDict;
import org.cypclass.objects.containers.RefList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The soak's mixed workload: what one user of every feature would do, on every core at once.
 * Each worker loops over eight kinds of operation: build, walk and hand a list to the next
 * worker as an isolated graph; a locked counter under write and read guards; a walk of a frozen
 * list; messages to actors; primitive lists and dicts; a list of references; positional reads of
 * a file through libc; and a short-lived virtual thread that creates and closes objects.
 *
 * <p>A <em>request</em> is one of these operations on one worker, timed from its start to its
 * end; each worker records its requests in a {@link Recorder} of its own (a wait-free record
 * that allocates nothing, so the workers never share a cache line for it), and
 * {@link #intervalLatency()} swaps them out and merges them into one interval's percentiles.
 *
 * <p>Thread-safety: the shared objects are locked, frozen or active, or thread-safe holders;
 * each worker's own objects are thread-local to it.
 */
@InheritableMustCall("close")
final class Workload implements AutoCloseable {

    private static final int CHAIN = 32;
    private static final int ACTORS = 8;
    private static final int FILE_BYTES = 64 * 1024;
    /** The longest latency recorded as itself (longer ones count as this): ten minutes. */
    static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final int LATENCY_DIGITS = 3;

    private final int workers;
    private final ActorSystem system;
    private final @Owning Locked<BenchAdder> counter;
    private final @Owning Frozen<BenchNode> config;
    private final Active<BenchAdder>[] actors;
    private final BlockingQueue<Isolated<BenchNode>>[] mailboxes;
    private final Path file;
    private final LongAdder operations = new LongAdder();
    private final Recorder[] latencies;
    /** Each recorder's last interval histogram, handed back to it for reuse; the sampler's only. */
    private final Histogram[] intervals;
    private final Histogram merged = new Histogram(1, MAX_LATENCY_NANOS, LATENCY_DIGITS);
    private volatile boolean stop;

    @SuppressWarnings("unchecked")
    Workload(int workers, Path directory) throws IOException {
        this.workers = workers;
        this.system = ActorSystem.start(workers);
        this.counter = Isolated.consume(BenchAdder.create(0)).lock();
        this.config = Isolated.consume(chain(16)).freeze();
        this.actors = newActors(system);
        this.latencies = new Recorder[workers];
        this.intervals = new Histogram[workers];
        for (int i = 0; i < workers; i++) {
            latencies[i] = new Recorder(1, MAX_LATENCY_NANOS, LATENCY_DIGITS);
        }
        this.mailboxes = new BlockingQueue[workers];
        for (int i = 0; i < workers; i++) {
            mailboxes[i] = newMailbox();
        }
        this.file = directory.resolve("soak-data.bin");
        try (Arena arena = Arena.ofConfined(); CFile out = CFile.open(file, "wb")) {
            MemorySegment bytes = arena.allocate(FILE_BYTES);
            for (int i = 0; i < FILE_BYTES; i++) {
                bytes.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            out.write(bytes);
        }
    }

    long operations() {
        return operations.sum();
    }

    /**
     * The latency percentiles of the requests completed since the last call (or the start).
     * Called by one sampling thread only.
     */
    Sample.Latency intervalLatency() {
        merged.reset();
        for (int w = 0; w < workers; w++) {
            intervals[w] = latencies[w].getIntervalHistogram(intervals[w]);
            merged.add(intervals[w]);
        }
        if (merged.getTotalCount() == 0) {
            return Sample.Latency.NONE;
        }
        return new Sample.Latency(merged.getTotalCount(), merged.getValueAtPercentile(50), merged.getValueAtPercentile(99),
            merged.getValueAtPercentile(99.9), merged.getMaxValue());
    }

    /** Asks the workers to stop after their current operation. */
    void stop() {
        stop = true;
    }

    /** One worker's loop, until {@link #stop()}; throws what any operation threw. */
    void run(int worker) throws Exception {
        SplittableRandom random = new SplittableRandom(worker * 7919L + 1);
        // A Locked is one thread's reference: each worker takes its own.
        try (Arena arena = Arena.ofConfined(); NativeFile data = NativeFile.open(file, StandardOpenOption.READ);
             Locked<BenchAdder> counter = this.counter.newReference()) {
            MemorySegment buffer = arena.allocate(4096);
            Recorder latency = latencies[worker];
            long step = 0;
            while (!stop) {
                long begin = System.nanoTime();
                switch ((int) (step++ & 7)) {
                    case 0 -> handOff(worker);
                    case 1 -> guarded(counter);
                    case 2 -> frozenWalk();
                    case 3 -> message(random, step);
                    case 4 -> primitives(random);
                    case 5 -> references();
                    case 6 -> data.readFully(random.nextInt(FILE_BYTES / 4096) * 4096L, buffer, 0, 4096);
                    default -> {
                        if ((step & 127) == 7) {
                            churn();
                        }
                    }
                }
                latency.recordValue(Math.min(System.nanoTime() - begin, MAX_LATENCY_NANOS));
                operations.increment();
            }
        }
    }

    private static BenchNode chain(int n) {
        BenchNode head = BenchNode.create(0, null);
        for (int i = 1; i < n; i++) {
            try (BenchNode rest = head) {
                head = BenchNode.create(i, rest);
            }
        }
        return head;
    }

    private static long walk(BenchNode head) {
        long sum = 0;
        for (BenchNode n = head; n != null; n = n.next()) {
            sum += n.payload();
        }
        return sum;
    }

    // A mailbox holds owned references on their way to another thread: the checker cannot follow
    // owned references in a collection (every one is adopted, or closed by close()).
    @SuppressWarnings("mustcall")
    private static BlockingQueue<Isolated<BenchNode>> newMailbox() {
        return new ArrayBlockingQueue<>(64);
    }

    // The actors wait in an array, each closed by close(): the checker cannot follow owned
    // references in an array.
    @SuppressWarnings({"resourceleak", "unchecked"})
    private static Active<BenchAdder>[] newActors(ActorSystem system) {
        Active<BenchAdder>[] actors = new Active[ACTORS];
        for (int i = 0; i < ACTORS; i++) {
            actors[i] = Isolated.consume(BenchAdder.create(0)).activate(system);
        }
        return actors;
    }

    // The parcel goes to the next worker through its mailbox, where that worker adopts it or
    // close() closes it, or, when the mailbox stays full or the wait is interrupted, is closed
    // here: the checker cannot follow a reference handed to another thread through a queue.
    // An interrupt is kept in the thread's flag (the checker takes an owning argument for
    // unspent when the call throws), which handOff turns back into the exception.
    @SuppressWarnings("resourceleak")
    private void send(int to, @Owning Isolated<BenchNode> parcel) {
        boolean sent = false;
        try {
            sent = mailboxes[to].offer(parcel, 1, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!sent) {
                parcel.close();
            }
        }
    }

    private void handOff(int worker) throws InterruptedException {
        BenchNode mine = chain(CHAIN);
        check(walk(mine) == (long) CHAIN * (CHAIN - 1) / 2, "a fresh chain");
        send((worker + 1) % workers, Isolated.consume(mine));
        if (Thread.interrupted()) {
            throw new InterruptedException("while handing a list over");
        }
        Isolated<BenchNode> received = mailboxes[worker].poll();
        if (received != null) {
            try (BenchNode adopted = received.adopt()) {
                check(walk(adopted) == (long) CHAIN * (CHAIN - 1) / 2, "a chain handed over");
            }
        }
    }

    private static void guarded(Locked<BenchAdder> counter) {
        try (Locked.Guard<BenchAdder> guard = counter.write()) {
            guard.get().add(1);
        }
        try (Locked.Guard<BenchAdder> guard = counter.read()) {
            check(guard.get().value() > 0, "the locked counter");
        }
    }

    private void frozenWalk() {
        check(walk(config.get()) == 16L * 15 / 2, "the frozen list");
    }

    private void message(SplittableRandom random, long step) {
        Active<BenchAdder> actor = actors[random.nextInt(ACTORS)];
        actor.tell(a -> a.add(1));
        if ((step & 63) == 3) {
            check(actor.ask(BenchAdder::value).join() > 0, "an actor's count");
        }
    }

    private static void primitives(SplittableRandom random) {
        try (LongList list = LongList.create(); LongLongDict dict = LongLongDict.create()) {
            long sum = 0;
            for (int i = 0; i < 100; i++) {
                list.add(i);
                dict.put(random.nextLong(1000), i);
            }
            for (int i = 0; i < 100; i++) {
                sum += list.get(i);
            }
            check(sum == 4950, "a long list");
            for (long key = 0; key < 1000; key += 7) {
                dict.remove(key);
            }
        }
    }

    private static void references() {
        try (RefList<BenchNode> list = RefList.create(BenchNode.class)) {
            for (int i = 0; i < 16; i++) {
                try (BenchNode node = BenchNode.create(i, null)) {
                    list.add(node);
                }
            }
            long sum = 0;
            RefList.Cursor<BenchNode> cursor = list.cursor();
            while (cursor.next()) {
                sum += cursor.element().payload();
            }
            check(sum == 120, "a list of references");
        }
    }

    private static void churn() throws InterruptedException {
        Thread thread = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 10; i++) {
                try (BenchAdder adder = BenchAdder.create(i)) {
                    adder.add(1);
                }
            }
        });
        thread.join();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("soak: wrong result from " + what);
        }
    }

    /** Releases every shared object and stops the actors; the workers must have returned. */
    @Override
    @EnsuresCalledMethods(value = {"this.counter", "this.config"}, methods = "close")
    public void close() throws IOException {
        // Lists handed over that no worker took before stopping: an isolated graph may be
        // closed by any thread, here the main one.
        for (int i = 0; i < mailboxes.length; i++) {
            for (Isolated<BenchNode> left; (left = mailboxes[i].poll()) != null; ) {
                left.close();
            }
        }
        for (Active<BenchAdder> actor : actors) {
            actor.close();
        }
        system.close();
        counter.close();
        config.close();
        java.nio.file.Files.deleteIfExists(file);
    }
}
