package org.cypclass.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
import org.checkerframework.checker.mustcall.qual.CreatesMustCallFor;
import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.memory.NogilRegion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A cypclass against what a user would otherwise write: the same int field read and written
 * through a hand-written static final VarHandle on a confined segment, and a plain Java object.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@InheritableMustCall("tearDown")
public class ObjectBench {

    /** The hand-written alternative: a static final VarHandle at the field's offset. */
    private static final VarHandle VALUE = ValueLayout.JAVA_INT.varHandle();
    private static final long VALUE_OFFSET = 32;

    /** The plain Java Adder. */
    static final class JavaAdder {
        int value;

        JavaAdder(int value) {
            this.value = value;
        }

        int add(int v) {
            value += v;
            return value;
        }
    }

    /** The Java linked list of the chain walk. */
    static final class JavaNode {
        final long payload;
        final JavaNode next;

        JavaNode(long payload, JavaNode next) {
            this.payload = payload;
            this.next = next;
        }
    }

    /** Nodes in each list of the chain walks. */
    static final int CHAIN_LENGTH = 1000;

    private @Owning BenchAdder adder;
    private @Owning BenchLink link;
    private @Owning BenchDuo<BenchNode, BenchNode> duo;
    private @Owning BenchNode chain;
    private JavaNode javaChain;
    private Arena arena;
    private MemorySegment segment;
    private JavaAdder javaAdder;

    /** Runs on the benchmark thread, which owns the cypclass instance and the confined arena. */
    @Setup(Level.Trial)
    @CreatesMustCallFor("this")
    public void setUp() {
        if (adder != null) { // // null on JMH's fresh state; the checker asks that an owning field be closed before it is set
            adder.close();
        }
        adder = BenchAdder.create(0);
        arena = Arena.ofConfined();
        segment = arena.allocate(40, 8);
        javaAdder = new JavaAdder(0);
        BenchNode head = BenchNode.create(0, null);
        for (int i = 1; i < CHAIN_LENGTH; i++) {
            BenchNode next = BenchNode.create(i, head);
            head.close();
            head = next;
        }
        if (chain != null) {
            chain.close();
        }
        chain = head;
        for (int i = 0; i < CHAIN_LENGTH; i++) {
            javaChain = new JavaNode(i, javaChain);
        }
        if (link != null) {
            link.close();
        }
        link = BenchLink.create();
        link.first(chain);
        if (duo != null) {
            duo.close();
        }
        duo = BenchDuo.create();
        duo.first(chain);
    }

    /** Releases the instance and the arena. */
    @TearDown(Level.Trial)
    // The fields are not final (JMH sets them in @Setup), so the checker forgets each close()
    // at the next call, which could in its view reassign the field; nothing here does.
    @SuppressWarnings("calledmethods:contracts.postcondition")
    @EnsuresCalledMethods(value = {"this.adder", "this.link", "this.duo", "this.chain"}, methods = "close")
    public void tearDown() {
        adder.close();
        link.close();
        duo.close();
        chain.close();
        arena.close();
    }

    /** Read then write an int field of a cypclass instance through its generated accessors. */
    @Benchmark
    @Baseline("handFfmGetSet")
    @NoHeapAllocation
    @Goal(vs = "handFfmGetSet", atMost = 1.2)
    public void cypFieldGetSet() {
        adder.value(adder.value() + 1);
    }

    /**
     * The same inside a nogil region with checking off (the default): the region must cost
     * nothing measurable.
     */
    @Benchmark
    @Baseline("handFfmGetSet")
    @NoHeapAllocation
    @Goal(vs = "cypFieldGetSet", atMost = 1.1)
    public void cypFieldGetSetInNogilRegion() {
        try (NogilRegion _ = NogilRegion.enter("get and set")) {
            adder.value(adder.value() + 1);
        }
    }

    /**
     * Read a reference field of a cypclass instance (borrowed) and write it into another: the
     * store retains the target and releases the old one (the same target from the second call).
     */
    @Benchmark
    @Baseline("refFieldGetSet")
    @NoHeapAllocation
    public void refFieldGetSet() {
        link.second(link.first());
    }

    /**
     * The same on a generic cypclass, {@code BenchDuo<BenchNode, BenchNode>}: its fields are
     * typed by type parameters, checked against the bound on store and cast to the type
     * argument on read; that must cost nothing beside the non-generic twin.
     */
    @Benchmark
    @Baseline("refFieldGetSet")
    @NoHeapAllocation
    @Goal(vs = "refFieldGetSet", atMost = 1.05)
    public void genericFieldGetSet() {
        duo.second(duo.first());
    }

    /** The same through a hand-written VarHandle on a confined segment. */
    @Benchmark
    @Baseline("handFfmGetSet")
    public void handFfmGetSet() {
        VALUE.set(segment, VALUE_OFFSET, (int) VALUE.get(segment, VALUE_OFFSET) + 1);
    }

    /** The same on a Java object's field. */
    @Benchmark
    @Baseline("handFfmGetSet")
    public void javaFieldGetSet() {
        javaAdder.value = javaAdder.value + 1;
    }

    /** {@code Adder.add} on a cypclass instance. */
    @Benchmark
    @Baseline("javaMethodCall")
    @NoHeapAllocation
    @Goal(vs = "javaMethodCall", atMost = 1.5)
    public int cypMethodCall() {
        return adder.add(1);
    }

    /** {@code add} on a plain Java object. */
    @Benchmark
    @Baseline("javaMethodCall")
    public int javaMethodCall() {
        return javaAdder.add(1);
    }

    /** Create an Adder and close it: allocation, header, init, release, free. */
    @Benchmark
    @Baseline("javaNew")
    @NoHeapAllocation
    @Goal(vs = "AllocBench.cypAllocFree", atMost = 2.5, knownMiss = "2.9-4.0x measured: beyond the allocation, create writes the header and a Java reference object, close checks the owner thread and runs the destructor chain")
    public int cypCreateClose() {
        try (BenchAdder created = BenchAdder.create(1)) {
            return created.value();
        }
    }

    /** The same with every reference watched by the leak detector (leak tracking on). */
    @Benchmark
    @Baseline("javaNew")
    @Fork(jvmArgsPrepend = "-Dcypclass.objects.leakDetection=all")
    public int cypCreateCloseTracked() {
        try (BenchAdder created = BenchAdder.create(1)) {
            return created.value();
        }
    }

    /**
     * Sums the payloads of a 1,000-node cypclass list, walking its {@code next} fields with
     * borrowed references: {@code for (n = head; n != null; n = n.next())}.
     */
    @Benchmark
    @Baseline("javaChainWalk")
    @NoHeapAllocation
    @Goal(vs = "javaChainWalk", atMost = 2.0, knownMiss = "2.0-3.7x measured: each hop checks the borrowed reference (thread, stamp) and loads the next address off-heap, where Java follows a compressed pointer")
    public long cypChainWalk() {
        long sum = 0;
        for (BenchNode n = chain; n != null; n = n.next()) {
            sum += n.payload();
        }
        return sum;
    }

    /** The same walk over a Java linked list. */
    @Benchmark
    @Baseline("javaChainWalk")
    public long javaChainWalk() {
        long sum = 0;
        for (JavaNode n = javaChain; n != null; n = n.next) {
            sum += n.payload;
        }
        return sum;
    }

    /** A new Java Adder, kept alive by the blackhole. */
    @Benchmark
    @Baseline("javaNew")
    public void javaNew(Blackhole blackhole) {
        blackhole.consume(new JavaAdder(1));
    }
}
