package org.cypclass.tests.objects;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.cypclass.processor.CypclassProcessor;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capability rules the processor's javac plugin checks: each broken program fails to
 * compile with its rule's message on the line marked {@code // ERROR}, and its near-identical
 * correct twin compiles with no error. The talk's {@code # ERROR!} lines are among them
 * ({@code cdef lock Adder b = a}, a use after {@code consume a}, Python objects inside
 * {@code with nogil:}), and so are the README's capability, actor and references examples.
 */
class CapabilityRulesTest {

    @TempDir
    Path output;

    /** A broken program, what its error says, and its correct twin (bodies of one static method). */
    record Case(String name, String fragment, String bad, String good) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String TEMPLATE = """
        package demo;
        import java.util.*;
        import java.util.concurrent.*;
        import java.util.function.*;
        import org.cypclass.examples.*;
        import org.cypclass.memory.NogilRegion;
        import org.cypclass.objects.capabilities.*;
        import org.cypclass.objects.actors.*;
        class Demo {
            static Object sink;
            static final Object LOCK = new Object();
            static long work() { return 1; }
            static void run(ExecutorService pool, ActorSystem system, Active<Tally> tally, boolean flag, int k) throws Exception {
        %s
            }
        }
        """;

    static Stream<Case> cases() {
        return Stream.of(
            // ---- cypclass:use-after-consume (the talk: a use after `consume a`) ----
            new Case("useAfterConsume", "cypclass:use-after-consume: 'n' was consumed by Isolated.consume at line",
                """
                Node n = Node.create(1, null);
                Isolated<Node> p = Isolated.consume(n);
                long v = n.payload(); // ERROR
                p.close();
                """, """
                Node n = Node.create(1, null);
                long v = n.payload();
                Isolated<Node> p = Isolated.consume(n);
                try (Node m = p.adopt()) { v += m.payload(); }
                """),
            new Case("consumedOnBothBranches", "cypclass:use-after-consume", """
                Node n = Node.create(1, null);
                Isolated<Node> p;
                if (flag) { p = Isolated.consume(n); } else { n.payload(2); p = Isolated.consume(n); }
                n.payload(); // ERROR
                p.close();
                """, """
                Node n = Node.create(1, null);
                Isolated<Node> p = null;
                if (flag) { p = Isolated.consume(n); } else { n.payload(2); }
                if (p == null) { n.payload(); n.close(); } else { p.close(); }
                """),
            new Case("consumeInTryThenUseAfter", "cypclass:use-after-consume", """
                Node n = Node.create(1, null);
                Isolated<Node> p;
                try { p = Isolated.consume(n); } finally { sink = null; }
                n.next(); // ERROR
                p.close();
                """, """
                Node n = Node.create(1, null);
                try { Isolated.consume(n).close(); } catch (NotIsolatedException e) { n.next(); n.close(); }
                """),
            new Case("consumedBeforeALoop", "cypclass:use-after-consume", """
                Node n = Node.create(1, null);
                Isolated.consume(n).close();
                for (int i = 0; i < k; i++) {
                    n.payload(i); // ERROR
                }
                """, """
                Node n = Node.create(1, null);
                for (int i = 0; i < k; i++) {
                    n.payload(i);
                    Isolated.consume(n).close();
                    n = Node.create(i, null);
                }
                n.close();
                """),
            new Case("consumedThenStoredInAField", "cypclass:use-after-consume", """
                Node n = Node.create(1, null);
                Isolated<Node> p = Isolated.consume(n);
                try (Node head = Node.create(0, null)) {
                    head.next(n); // ERROR
                }
                p.close();
                """, """
                Node n = Node.create(1, null);
                try (Node head = Node.create(0, null)) {
                    head.next(n);
                }
                n.close();
                """),
            new Case("consumedThenCapturedByALambda", "cypclass:use-after-consume", """
                Node n = Node.create(1, null);
                Isolated<Node> p = Isolated.consume(n);
                LongSupplier later = () -> n.payload(); // ERROR
                p.close();
                """, """
                Node n = Node.create(1, null);
                Isolated<Node> p = Isolated.consume(n);
                Node m = p.adopt();
                LongSupplier later = () -> m.payload();
                later.getAsLong();
                m.close();
                """),
            new Case("consumedInEveryCaseOfASwitch", "cypclass:use-after-consume", """
                Node n = Node.create(1, null);
                Isolated<Node> p;
                switch (k) {
                    case 0 -> p = Isolated.consume(n);
                    default -> { n.payload(5); p = Isolated.consume(n); }
                }
                n.payload(); // ERROR
                p.close();
                """, """
                Node n = Node.create(1, null);
                Isolated<Node> p = null;
                switch (k) {
                    case 0 -> p = Isolated.consume(n);
                    case 1 -> { n.payload(5); p = Isolated.consume(n); }
                    default -> { }
                }
                if (p != null) { p.close(); } else { n.payload(); n.close(); }
                """),
            new Case("consumedTwice", "cypclass:use-after-consume", """
                Node n = Node.create(1, null);
                Isolated<Node> p = Isolated.consume(n);
                Isolated<Node> q = Isolated.consume(n); // ERROR
                p.close();
                """, """
                Node n = Node.create(1, null);
                Isolated<Node> p = Isolated.consume(n);
                n = p.adopt();
                Isolated<Node> q = Isolated.consume(n);
                q.close();
                """),
            // ---- cypclass:use-after-close ----
            new Case("useAfterClose", "cypclass:use-after-close: 'c' was closed (c.close()) at line", """
                Adder c = Adder.create(0);
                c.close();
                c.add(1); // ERROR
                """, """
                Adder c = Adder.create(0);
                c.add(1);
                c.close();
                """),
            new Case("useAfterTryWithResourcesOnAVariable", "cypclass:use-after-close: 'c' was closed by the try-with-resources", """
                Adder c = Adder.create(0);
                try (c) { c.add(1); }
                c.add(2); // ERROR
                """, """
                Adder c = Adder.create(0);
                try (c) { c.add(1); c.add(2); }
                """),
            new Case("closedInFinally", "cypclass:use-after-close", """
                Adder c = Adder.create(0);
                try { c.add(1); } finally { c.close(); }
                c.add(2); // ERROR
                """, """
                Adder c = Adder.create(0);
                try { c.add(1); c.add(2); } finally { c.close(); }
                """),
            new Case("frozenHolderUsedAfterClose", "cypclass:use-after-close: 'f' was closed", """
                Frozen<Node> f = Isolated.consume(Node.create(1, null)).freeze();
                f.close();
                long v = f.get().payload(); // ERROR
                """, """
                Frozen<Node> f = Isolated.consume(Node.create(1, null)).freeze();
                long v = f.get().payload();
                f.close();
                """),
            new Case("closedOnBothBranches", "cypclass:use-after-close", """
                Adder c = Adder.create(0);
                if (flag) { c.close(); } else { c.add(1); c.close(); }
                c.value(); // ERROR
                """, """
                Adder c = Adder.create(0);
                if (flag) { c.close(); } else { c.add(1); }
                if (c.isOpen()) { c.value(); c.close(); }
                """),
            new Case("closedThenRead", "cypclass:use-after-close", """
                Adder c = Adder.create(0);
                c.close();
                sink = c.toString() + c.value(); // ERROR
                """, """
                Adder c = Adder.create(0);
                c.close();
                sink = c.toString() + c.isOpen();
                c.close();
                """),
            new Case("closedBeforeADoWhile", "cypclass:use-after-close", """
                Adder c = Adder.create(0);
                c.close();
                int i = 0;
                do {
                    c.add(i); // ERROR
                } while (++i < k);
                """, """
                Adder c = Adder.create(0);
                int i = 0;
                do {
                    c.add(i);
                    if (i == 3) { c.close(); break; }
                } while (++i < k);
                if (c.isOpen()) { c.close(); }
                """),
            new Case("guardUsedAfterClose", "cypclass:use-after-close: 'g' was closed", """
                Locked<Node> l = Isolated.consume(Node.create(1, null)).lock();
                Locked.Guard<Node> g = l.write();
                g.close();
                g.get().payload(2); // ERROR
                l.close();
                """, """
                Locked<Node> l = Isolated.consume(Node.create(1, null)).lock();
                Locked.Guard<Node> g = l.write();
                g.get().payload(2);
                g.close();
                l.close();
                """),
            new Case("closingABorrowedReferenceDoesNothing", "cypclass:use-after-close: 'head' was closed", """
                Node head = Node.create(1, null);
                head.close();
                head.next(); // ERROR
                """, """
                try (Node head = Node.create(1, null); Node second = Node.create(2, null)) {
                    head.next(second);
                    Node borrowed = head.next();
                    borrowed.close();
                    long v = borrowed.payload();
                }
                """),
            new Case("methodReferenceToAClosedReference", "cypclass:use-after-close: 'c' was closed", """
                Adder c = Adder.create(0);
                c.close();
                IntSupplier value = c::value; // ERROR
                """, """
                Adder c = Adder.create(0);
                IntSupplier value = c::value;
                value.getAsInt();
                c.close();
                """),
            // ---- cypclass:thread-local-to-shared (the talk: cdef lock Adder b = a) ----
            new Case("lockAThreadLocal", "cypclass:thread-local-to-shared: 'a' is thread-local (it holds a reference made by Adder.create)", """
                Adder a = Adder.create(1);
                Locked<Adder> b = Locked.from(a); // ERROR
                """, """
                Adder a = Adder.create(1);
                Locked<Adder> b = Isolated.consume(a).lock();
                b.close();
                """),
            new Case("freezeAFreshObject", "Frozen.from only takes another reference to an object that is already frozen", """
                Frozen<Node> f = Frozen.from(Node.create(1, null)); // ERROR
                """, """
                Frozen<Node> f = Isolated.consume(Node.create(1, null)).freeze();
                Frozen<Node> g = Frozen.from(f.get());
                g.close();
                f.close();
                """),
            new Case("activateANewReference", "cypclass:thread-local-to-shared: 'a.newReference()'", """
                try (Tally a = Tally.create()) {
                    Active<Tally> b = Active.from(a.newReference()); // ERROR
                }
                """, """
                try (Active<Tally> b = Active.from(tally.handle())) {
                    b.tell(t -> t.add(1));
                }
                """),
            new Case("lockAnAdoptedGraph", "cypclass:thread-local-to-shared: 'm' is thread-local (it holds a reference adopted", """
                Isolated<Node> p = Isolated.consume(Node.create(1, null));
                Node m = p.adopt();
                Locked<Node> l = Locked.from(m); // ERROR
                """, """
                Isolated<Node> p = Isolated.consume(Node.create(1, null));
                Locked<Node> l = p.lock();
                Locked<Node> again = Locked.from(l.handle());
                again.close();
                l.close();
                """),
            new Case("freezeAThreadLocalVariable", "Isolated.consume(n).freeze()", """
                Node n = Node.create(1, null);
                Frozen<Node> f = Frozen.from(n); // ERROR
                """, """
                Node n = Node.create(1, null);
                Frozen<Node> f = Isolated.consume(n).freeze();
                Consumer<Node> share = unknown -> Frozen.from(unknown).close();
                share.accept(f.get());
                f.close();
                """),
            // ---- cypclass:cross-thread-capture ----
            new Case("captureInSubmit", "cypclass:cross-thread-capture: 'a' is a thread-local reference of this thread, captured by the lambda passed to ExecutorService.submit", """
                Adder a = Adder.create(1);
                Future<Integer> r = pool.submit(() -> a.value()); // ERROR
                """, """
                Adder a = Adder.create(1);
                Frozen<Adder> f = Isolated.consume(a).freeze();
                Future<Integer> r = pool.submit(() -> f.get().value());
                """),
            new Case("captureInAVirtualThread", "captured by the lambda passed to Thread.Builder.start", """
                Adder a = Adder.create(1);
                Thread t = Thread.ofVirtual().start(() -> a.add(1)); // ERROR
                """, """
                Thread t = Thread.ofVirtual().start(() -> {
                    try (Adder mine = Adder.create(1)) { mine.add(1); }
                });
                """),
            new Case("captureInSupplyAsync", "passed to CompletableFuture.supplyAsync", """
                Adder a = Adder.create(1);
                CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> a.value()); // ERROR
                """, """
                Adder a = Adder.create(1);
                int v = a.value();
                CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> v);
                a.close();
                """),
            new Case("captureInAnActorRequest", "passed to Active.ask", """
                try (Adder a = Adder.create(1)) {
                    ActorFuture<Long> r = tally.ask(t -> t.add(a.value())); // ERROR
                }
                """, """
                try (Adder a = Adder.create(1)) {
                    long v = a.value();
                    ActorFuture<Long> r = tally.ask(t -> t.add(v));
                }
                """),
            new Case("captureInAnActorMessage", "passed to Active.tell", """
                Node n = Node.create(1, null);
                tally.tell(t -> t.absorb(n)); // ERROR
                """, """
                Frozen<Node> n = Isolated.consume(Node.create(1, null)).freeze();
                tally.tell(t -> t.add(n.get().payload()));
                """),
            new Case("boundMethodReference", "captured by the method reference a::value passed to CompletableFuture.supplyAsync", """
                Adder a = Adder.create(1);
                CompletableFuture<Integer> r = CompletableFuture.supplyAsync(a::value); // ERROR
                """, """
                Adder a = Adder.create(1);
                CompletableFuture<Long> r = CompletableFuture.supplyAsync(Demo::work);
                a.close();
                """),
            new Case("anonymousRunnableOnANewThread", "captured by the anonymous class passed to new Thread", """
                Adder a = Adder.create(1);
                Thread t = new Thread(new Runnable() {
                    public void run() { a.add(1); } // ERROR
                });
                """, """
                Isolated<Adder> parcel = Isolated.consume(Adder.create(1));
                Thread t = new Thread(new Runnable() {
                    public void run() { try (Adder mine = parcel.adopt()) { mine.add(1); } }
                });
                """),
            new Case("captureInAForkJoinPool", "passed to ForkJoinPool.execute", """
                Adder a = Adder.create(1);
                ForkJoinPool.commonPool().execute(() -> a.add(1)); // ERROR
                """, """
                Adder a = Adder.create(1);
                List.of(1, 2).forEach(x -> a.add(x));
                a.close();
                """),
            new Case("anonymousTaskInvokedByAForkJoinPool", "captured by the anonymous class passed to ForkJoinPool.invoke", """
                Adder a = Adder.create(1);
                int r = ForkJoinPool.commonPool().invoke(new RecursiveTask<Integer>() {
                    protected Integer compute() { return a.value(); } // ERROR
                });
                """, """
                Adder a = Adder.create(1);
                int v = a.value();
                int r = ForkJoinPool.commonPool().invoke(new RecursiveTask<Integer>() {
                    protected Integer compute() { return v; }
                });
                a.close();
                """),
            new Case("lockedHolderStaysCapturable", "passed to Executor.execute", """
                Adder a = Adder.create(1);
                pool.execute(() -> { try (a) { a.add(1); } }); // ERROR
                """, """
                Locked<Adder> a = Isolated.consume(Adder.create(1)).lock();
                pool.execute(() -> { try (Locked<Adder> mine = a.newReference(); Locked.Guard<Adder> g = mine.write()) { g.get().add(1); } });
                """),
            // ---- cypclass:read-only-write ----
            new Case("writeThroughFrozenGet", "cypclass:read-only-write: f.get().payload(5) writes the field payload through the view of a Frozen", """
                Frozen<Node> f = Isolated.consume(Node.create(1, null)).freeze();
                f.get().payload(5); // ERROR
                """, """
                Frozen<Node> f = Isolated.consume(Node.create(1, null)).freeze();
                long v = f.get().payload();
                f.close();
                """),
            new Case("writeThroughAReadGuard", "through read guard's view (opened by Locked.read()), which is read-only", """
                Locked<Node> l = Isolated.consume(Node.create(1, null)).lock();
                try (Locked.Guard<Node> g = l.read()) {
                    g.get().payload(1); // ERROR
                }
                """, """
                Locked<Node> l = Isolated.consume(Node.create(1, null)).lock();
                try (Locked.Guard<Node> g = l.write()) {
                    g.get().payload(1);
                }
                l.close();
                """),
            new Case("writeThroughALocalFrozenView", "cypclass:read-only-write: v.payload(3)", """
                Frozen<Node> f = Isolated.consume(Node.create(1, null)).freeze();
                Node v = f.get();
                v.payload(3); // ERROR
                """, """
                Frozen<Node> f = Isolated.consume(Node.create(1, null)).freeze();
                Node v = f.get();
                long x = v.payload();
                f.close();
                """),
            new Case("writeDeepInAFrozenGraph", "through an object of a frozen graph", """
                Frozen<Node> f = Isolated.consume(Node.create(1, Node.create(2, null))).freeze();
                f.get().next().payload(3); // ERROR
                """, """
                Node n = Node.create(1, null);
                try (Node second = Node.create(2, null)) { n.next(second); }
                n.next().payload(3);
                Frozen<Node> f = Isolated.consume(n).freeze();
                f.close();
                """),
            new Case("readGuardInsideAWriteGuardMayWrite", "through read guard's view", """
                Locked<Node> l = Isolated.consume(Node.create(1, null)).lock();
                try (Locked.Guard<Node> r = l.read()) {
                    r.get().next(null); // ERROR
                }
                """, """
                Locked<Node> l = Isolated.consume(Node.create(1, null)).lock();
                try (Locked.Guard<Node> w = l.write(); Locked.Guard<Node> r = l.read()) {
                    r.get().next(null);
                }
                l.close();
                """),
            // ---- cypclass:nogil (the talk: Python objects inside `with nogil:`) ----
            new Case("newInsideARegion", "cypclass:nogil: new StringBuilder(...) inside the nogil region opened by NogilRegion.enter(\"sum\")", """
                try (NogilRegion region = NogilRegion.enter("sum")) {
                    sink = new StringBuilder(); // ERROR
                }
                """, """
                StringBuilder builder = new StringBuilder();
                try (NogilRegion region = NogilRegion.enter("sum")) {
                    builder.setLength(0);
                }
                sink = builder;
                """),
            new Case("boxingInsideARegion", "'n.payload()' is boxed to java.lang.Object", """
                try (Node n = Node.create(1, null); NogilRegion region = NogilRegion.enter("read")) {
                    sink = n.payload(); // ERROR
                }
                """, """
                long v;
                try (Node n = Node.create(1, null); NogilRegion region = NogilRegion.enter("read")) {
                    v = n.payload();
                }
                sink = v;
                """),
            new Case("boxedArgumentInsideARegion", "is boxed to java.lang.Long", """
                List<Long> list = new ArrayList<>();
                try (NogilRegion region = NogilRegion.enter("add")) {
                    list.add(work()); // ERROR
                }
                """, """
                long[] sums = new long[1];
                try (NogilRegion region = NogilRegion.enter("add")) {
                    sums[0] += work();
                }
                """),
            new Case("concatenationInsideARegion", "the string concatenation", """
                String s;
                try (NogilRegion region = NogilRegion.enter("name")) {
                    s = "k=" + k; // ERROR
                }
                """, """
                String s;
                try (NogilRegion region = NogilRegion.enter("name")) {
                    s = "k=" + "constant";
                }
                s = s + k;
                """),
            new Case("capturingLambdaInsideARegion", "a capturing lambda", """
                LongSupplier r;
                try (NogilRegion region = NogilRegion.enter("lambda")) {
                    r = () -> k; // ERROR
                }
                """, """
                LongSupplier r;
                try (NogilRegion region = NogilRegion.enter("lambda")) {
                    r = () -> 42L;
                }
                """),
            new Case("synchronizedInsideARegion", "synchronized inside the nogil region", """
                try (NogilRegion region = NogilRegion.enter("monitor")) {
                    synchronized (LOCK) { sink = null; } // ERROR
                }
                """, """
                synchronized (LOCK) {
                    try (NogilRegion region = NogilRegion.enter("monitor")) {
                        k++;
                    }
                }
                """),
            new Case("arrayInsideARegion", "a new array inside the nogil region", """
                try (NogilRegion region = NogilRegion.enter("array")) {
                    sink = new long[k]; // ERROR
                }
                """, """
                long[] a = new long[k];
                try (NogilRegion region = NogilRegion.enter("array")) {
                    if (k < 0) { throw new IllegalStateException("negative: " + k); }
                    a[0] = k;
                }
                sink = a;
                """),
            new Case("boundMethodReferenceInsideARegion", "the bound method reference", """
                try (Node n = Node.create(1, null); NogilRegion region = NogilRegion.enter("ref")) {
                    LongSupplier s = n::payload; // ERROR
                }
                """, """
                try (Node n = Node.create(1, null); NogilRegion region = NogilRegion.enter("ref")) {
                    LongSupplier s = Demo::work;
                }
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theBrokenProgramIsACompileErrorOnItsLine(Case c) {
        String source = TEMPLATE.formatted(c.bad);
        List<Diagnostic<? extends JavaFileObject>> errors = errors(source);
        Diagnostic<? extends JavaFileObject> error = errors.stream()
            .filter(d -> d.getMessage(Locale.ROOT).contains(c.fragment)).findFirst()
            .orElseThrow(() -> new AssertionError("no error containing '" + c.fragment + "' in " + errors));
        String line = source.lines().toList().get((int) error.getLineNumber() - 1);
        assertTrue(line.contains("// ERROR"), "the error points at '" + line + "': " + error.getMessage(Locale.ROOT));
        assertTrue(errors.stream().allMatch(d -> d.getMessage(Locale.ROOT).startsWith("cypclass:")), errors::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void itsCorrectTwinCompiles(Case c) {
        assertEquals(List.of(), errors(TEMPLATE.formatted(c.good)));
    }

    @Test
    void thereAreAtLeastThirtyOfEach() {
        assertTrue(cases().count() >= 30);
        assertEquals(cases().count(), cases().map(Case::name).distinct().count(), "each case has its own name");
    }

    @Test
    void aSuppressionNamesItsRuleAndOnlyItsRule() {
        String body = """
                Adder c = Adder.create(0);
                c.close();
                c.add(1);
            """;
        String onMethod = TEMPLATE.formatted(body).replace("    static void run(",
            "    @SuppressWarnings(\"cypclass:use-after-close\") // checks the run-time error\n    static void run(");
        assertEquals(List.of(), errors(onMethod));
        String onVariable = TEMPLATE.formatted(body.replace("Adder c =", "@SuppressWarnings(\"cypclass:use-after-close\") Adder c ="));
        assertEquals(List.of(), errors(onVariable));
        String otherRule = TEMPLATE.formatted(body).replace("    static void run(",
            "    @SuppressWarnings(\"cypclass:use-after-consume\")\n    static void run(");
        assertEquals(1, errors(otherRule).size());
        String blanket = TEMPLATE.formatted(body).replace("    static void run(", "    @SuppressWarnings(\"all\")\n    static void run(");
        assertEquals(1, errors(blanket).size(), "no blanket switch");
    }

    @Test
    void aUseOnOnlySomePathsIsLeftToTheRunTimeCheck() {
        // Consumed on one branch only: the use may be fine, so the compiler stays quiet.
        assertEquals(List.of(), errors(TEMPLATE.formatted("""
                Node n = Node.create(1, null);
                Isolated<Node> p = flag ? Isolated.consume(n) : null;
                if (!flag) { n.payload(); n.close(); }
                if (p != null) { p.close(); }
            """)));
    }

    @Test
    void theReadmeExamplesAreCorrectPrograms() throws IOException {
        for (String test : List.of("ReadmeCapabilitiesExampleTest", "ReadmeActorsExampleTest", "ReadmeReferencesExampleTest")) {
            String source = Files.readString(Gcc.repoRoot().resolve("tests/src/test/java/org/cypclass/tests/readme/" + test + ".java"));
            assertEquals(List.of(), errors(source, "org/cypclass/tests/readme/" + test), test);
        }
        // The checks do run on them: the capabilities test's deliberate write, unsuppressed, is an error.
        String source = Files.readString(Gcc.repoRoot().resolve(
            "tests/src/test/java/org/cypclass/tests/readme/ReadmeCapabilitiesExampleTest.java"));
        String unsuppressed = source.replace("@SuppressWarnings(\"cypclass:read-only-write\")", "");
        List<Diagnostic<? extends JavaFileObject>> errors = errors(unsuppressed, "org/cypclass/tests/readme/ReadmeCapabilitiesExampleTest");
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.getFirst().getMessage(Locale.ROOT).startsWith("cypclass:read-only-write: config.get().payload(1)"), errors::toString);
    }

    private List<Diagnostic<? extends JavaFileObject>> errors(String source) {
        return errors(source, "demo/Demo");
    }

    /** The errors of compiling one source file with the processor, as a user's build does. */
    private List<Diagnostic<? extends JavaFileObject>> errors(String source, String path) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + path + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
            List.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString(), "-s", output.toString()),
            null, List.of(file));
        task.setProcessors(List.of(new CypclassProcessor()));
        task.call();
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }
}
