package org.cypclass.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.capabilities.Isolated;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Actors against what a Java user would pick: an executor running a Runnable per message,
 * Apache Pekko typed actors, and the floor, a JCTools {@link MpscArrayQueue} hand-off to one
 * consumer thread. Each one-way invocation sends {@value #BATCH} messages and then waits for
 * them to be processed (a flush), so that no queue grows without bound: the score is per
 * message, flush included.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ActorBench {

    /** Messages per invocation of the one-way benchmarks. */
    static final int BATCH = 1024;
    /** Round trips per invocation of the ping-pong benchmarks. */
    static final int ROUND_TRIPS = 100;

    private static int workers() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** This library: one actor system, an adder and a ping-pong pair. Only its benchmarks start it. */
    @State(Scope.Benchmark)
    @InheritableMustCall("tearDown")
    public static class Cyp {
        ActorSystem system;
        @Owning Active<BenchAdder> adder;
        @Owning Active<BenchAdder> ping;
        @Owning Active<BenchAdder> pong;

        /** Starts the system. */
        @Setup(Level.Trial)
        @CreatesMustCallFor("this")
        public void setUp() {
            system = ActorSystem.start(workers());
            Active<BenchAdder> made = Isolated.consume(BenchAdder.create(0)).activate(system);
            if (adder != null) { // // null on JMH's fresh state; the checker asks that an owning field be closed before it is set
                adder.close();
            }
            adder = made;
            made = Isolated.consume(BenchAdder.create(0)).activate(system);
            if (ping != null) {
                ping.close();
            }
            ping = made;
            made = Isolated.consume(BenchAdder.create(0)).activate(system);
            if (pong != null) {
                pong.close();
            }
            pong = made;
        }

        /** Stops it; every actor released. */
        @TearDown(Level.Trial)
        // The fields are not final (JMH sets them in @Setup), so the checker forgets each close()
        // at the next call, which could in its view reassign the field; nothing here does.
        @SuppressWarnings("calledmethods:contracts.postcondition")
        @EnsuresCalledMethods(value = {"this.adder", "this.ping", "this.pong"}, methods = "close")
        public void tearDown() {
            adder.close();
            ping.close();
            pong.close();
            system.close();
        }
    }

    /** A thread pool of as many threads. */
    @State(Scope.Benchmark)
    public static class Executor {
        ExecutorService executor;
        final AtomicLong count = new AtomicLong();
        final Runnable add = count::incrementAndGet;

        /** Starts the pool. */
        @Setup(Level.Trial)
        public void setUp() {
            executor = new ThreadPoolExecutor(workers(), workers(), 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        }

        /** Stops it. */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            executor.shutdown();
            executor.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** Apache Pekko typed actors: an adder and a ping-pong pair. */
    @State(Scope.Benchmark)
    public static class Pekko {
        org.apache.pekko.actor.typed.ActorSystem<Command> system;
        volatile ActorRef<Command> adder;
        volatile ActorRef<Command> ping;
        volatile ActorRef<Command> pong;

        /** Starts the actor system with its default dispatcher (a fork-join pool over the cores). */
        @Setup(Level.Trial)
        public void setUp() {
            system = org.apache.pekko.actor.typed.ActorSystem.create(Behaviors.setup(context -> {
                adder = context.spawn(pekkoCounter(), "adder");
                ping = context.spawn(pekkoCounter(), "ping");
                pong = context.spawn(pekkoCounter(), "pong");
                return Behaviors.empty();
            }), "bench");
            while (pong == null) {
                Thread.onSpinWait();
            }
        }

        /** Stops it. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    /** A JCTools MpscArrayQueue drained by one spinning consumer thread. */
    @State(Scope.Benchmark)
    public static class Mpsc {
        MpscArrayQueue<Object> queue;
        Thread consumer;
        volatile boolean stop;
        final AtomicLong consumed = new AtomicLong();
        long produced;

        /** Starts the consumer. */
        @Setup(Level.Trial)
        public void setUp() {
            queue = new MpscArrayQueue<>(64 * 1024);
            consumer = Thread.ofPlatform().name("mpsc-consumer").start(() -> {
                while (!stop) {
                    if (queue.relaxedPoll() != null) {
                        consumed.lazySet(consumed.get() + 1);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        /** Stops it. */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop = true;
            consumer.join();
        }
    }

    /** Pekko messages. */
    sealed interface Command permits Add, Flush, Ping {
    }

    /** Adds one. */
    record Add() implements Command {
    }

    /** Completes {@code done} once every earlier message ran. */
    record Flush(CompletableFuture<Void> done) implements Command {
    }

    /** One half of a round trip; {@code left} halves to go. */
    record Ping(int left, ActorRef<Command> other, CompletableFuture<Void> done) implements Command {
    }

    private static final Add ADD = new Add();

    private static Behavior<Command> pekkoCounter() {
        return Behaviors.setup(context -> {
            long[] count = {0};
            return Behaviors.receive(Command.class)
                .onMessage(Add.class, m -> {
                    count[0]++;
                    return Behaviors.same();
                })
                .onMessage(Flush.class, m -> {
                    m.done().complete(null);
                    return Behaviors.same();
                })
                .onMessage(Ping.class, m -> {
                    if (m.left() == 0) {
                        m.done().complete(null);
                    } else {
                        m.other().tell(new Ping(m.left() - 1, context.getSelf(), m.done()));
                    }
                    return Behaviors.same();
                })
                .build();
        });
    }

    /** Fire-and-forget {@code add(1)} messages to one actor, then a flush. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(BATCH)
    @Baseline("executorOneWay")
    @Goal(vs = "executorOneWay", atLeast = 2.0)
    @Goal(vs = "pekkoOneWay", atLeast = 1.5)
    @Goal(vs = "mpscQueueOneWay", atLeast = 0.3)
    @NoHeapAllocation
    public int oneWay(Cyp cyp) {
        for (int i = 0; i < BATCH; i++) {
            cyp.adder.tell(a -> a.add(1)); // non-capturing: one instance, made once
        }
        return cyp.adder.ask(BenchAdder::value).join();
    }

    /** The same from two threads to one actor. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    @Baseline("executorOneWay")
    public int fanIn2(Cyp cyp) {
        return oneWay(cyp);
    }

    /** A Runnable per message on a ThreadPoolExecutor with as many threads, then a flush. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(BATCH)
    @Baseline("executorOneWay")
    public long executorOneWay(Executor pool) {
        long target = pool.count.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            pool.executor.execute(pool.add);
        }
        while (pool.count.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }

    /** Pekko typed {@code tell} of a constant message, then a flush message. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(BATCH)
    @Baseline("executorOneWay")
    public Object pekkoOneWay(Pekko pekko) throws Exception {
        for (int i = 0; i < BATCH; i++) {
            pekko.adder.tell(ADD);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        pekko.adder.tell(new Flush(done));
        return done.get();
    }

    /** JCTools MpscArrayQueue offers to one spinning consumer thread: the floor. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(BATCH)
    @Baseline("executorOneWay")
    public long mpscQueueOneWay(Mpsc mpsc) {
        for (int i = 0; i < BATCH; i++) {
            while (!mpsc.queue.offer(ADD)) {
                Thread.onSpinWait();
            }
        }
        mpsc.produced += BATCH;
        while (mpsc.consumed.get() < mpsc.produced) {
            Thread.onSpinWait();
        }
        return mpsc.produced;
    }

    /** Request and reply between two actors, {@value #ROUND_TRIPS} round trips per invocation. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(ROUND_TRIPS)
    @Baseline("pekkoPingPong")
    @Goal(vs = "pekkoPingPong", atMost = 0.7)
    public Object pingPong(Cyp cyp) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        cyp.ping.tell(a -> bounce(cyp.ping, cyp.pong, 2 * ROUND_TRIPS, done));
        return done.get();
    }

    private static void bounce(Active<BenchAdder> here, Active<BenchAdder> there, int left, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        there.tell(a -> bounce(there, here, left - 1, done));
    }

    /** The same with two Pekko typed actors. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(ROUND_TRIPS)
    @Baseline("pekkoPingPong")
    public Object pekkoPingPong(Pekko pekko) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pekko.ping.tell(new Ping(2 * ROUND_TRIPS, pekko.pong, done));
        return done.get();
    }
}
