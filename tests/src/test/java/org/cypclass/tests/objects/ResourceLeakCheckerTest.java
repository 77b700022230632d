package org.cypclass.tests.objects;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.processor.CypclassProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ownership annotations of the API and of the generated code give the Checker Framework's
 * Resource Leak Checker the verdicts the javadoc promises: an owned reference (a factory,
 * {@code newReference()}, {@code adopt()}), a capability holder or a guard that is not closed,
 * returned or handed over on every path is a compile error naming it; borrowed reads, garbage-
 * collected references, try-with-resources, {@code Isolated.consume} and the spending calls are
 * clean; a user's own class keeping a cypclass in an {@code @Owning} field is checked as the
 * checker documents.
 *
 * <p>Every case is a source file of its own, compiled in one {@code javac} process with the
 * cypclass processor and the checker, the command line README's "Forgotten closes" gives (the
 * checker needs {@code jdk.compiler}'s internals, opened by {@code -J} options, so it runs in a
 * process of its own rather than in this JVM). One cypclass with every kind of reference field
 * is declared in the same compilation, so its generated code is checked too: javac would stop
 * before checking the cases if that code had an error.
 */
class ResourceLeakCheckerTest {

    private static final String CHECKER = "org.checkerframework.checker.resourceleak.ResourceLeakChecker";
    /** The {@code --add-exports} and {@code --add-opens} the Checker Framework's manual lists for JDK 17 and later. */
    private static final List<String> JAVAC_JVM_OPTIONS = Stream.concat(
        Stream.of("api", "code", "file", "main", "model", "parser", "processing", "tree", "util")
            .map(p -> "-J--add-exports=jdk.compiler/com.sun.tools.javac." + p + "=ALL-UNNAMED"),
        Stream.of("-J--add-opens=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED")).toList();

    private static final String NODE = """
        package demo;
        import org.cypclass.objects.Cypclass;
        import org.cypclass.objects.Init;
        import org.cypclass.objects.Length;
        @Cypclass
        public class Node extends Cy_Node {
            interface Fields {
                long payload();
                Node next();
                @Length(2) Node[] kids();
                double[] data();
            }
            @Init
            void init(long payload) {
                payload(payload);
            }
            public long twice() {
                return payload() * 2;
            }
        }
        """;

    /** A generic cypclass: its generated factories and getters cast to the type arguments. */
    private static final String DUO = """
        package demo;
        import org.cypclass.objects.CyObject;
        import org.cypclass.objects.Cypclass;
        import org.cypclass.objects.Init;
        @Cypclass
        public class Duo<A extends CyObject, B extends CyObject> extends Cy_Duo<A, B> {
            interface Fields<A extends CyObject, B extends CyObject> {
                A first();
                B second();
            }
            @Init
            void init(A first) {
                first(first);
            }
        }
        """;

    private static final String SERVICE = """
        package demo;
        import org.checkerframework.checker.calledmethods.qual.EnsuresCalledMethods;
        import org.checkerframework.checker.mustcall.qual.InheritableMustCall;
        import org.checkerframework.checker.mustcall.qual.Owning;
        @InheritableMustCall("close")
        final class %s implements AutoCloseable {
            private final @Owning Node node;
            %s(long payload) {
                node = Node.create(1, payload);
            }
            long payload() {
                return node.payload();
            }
            @Override
            @EnsuresCalledMethods(value = "this.node", methods = "close")
            public void close() {
                %s
            }
        }
        """;

    /**
     * Each case: its class name, its source, and the expression a {@code required.method.not.called}
     * error must name (or, starting with {@code [}, the start of the error expected), or null for none.
     */
    private static final Map<String, String[]> CASES = new LinkedHashMap<>();

    static {
        // (a) An owned reference from a factory, never closed.
        leaks("NeverClosed", "Node leaked = Node.create(3, 1); leaked.twice();", "leaked");
        // (b) Closed on one branch of an if only.
        leaks("OneBranch", "Node maybe = Node.create(3, 1); if (flag) { maybe.close(); }", "maybe");
        // (c) try-with-resources.
        clean("TryWithResources", "try (Node n = Node.create(3, 1)) { n.twice(); }");
        // (d) Borrowed reads: a reference field, an element of a reference array, chained reads.
        clean("BorrowedReads", """
            try (Node n = Node.create(3, 1); Node m = Node.create(3, 2)) {
                n.next(m);
                n.kids(0, m);
                Node next = n.next();
                next.twice();
                n.kids(0).twice();
                n.next().next();
            }""");
        // (e) newReference() never closed.
        leaks("NewReference", "try (Node n = Node.create(3, 1)) { Node extra = n.newReference(); extra.twice(); }", "extra");
        // A garbage-collected reference has no obligation: the collector releases it.
        clean("GcReference", "try (Node n = Node.create(3, 1)) { Node collected = n.gcReference(); collected.twice(); }");
        // A setter takes its own count and leaves the argument's to the caller.
        leaks("SetterKeepsNoArgument", "try (Node n = Node.create(3, 1)) { n.next(Node.create(3, 2)); }", "Node.create(3, 2)");
        // (f) Holders never spent nor closed, and spent or closed.
        leaks("IsolatedNeverSpent", "Isolated<Node> parcel = Isolated.consume(Node.create(3, 1));", "parcel");
        leaks("AdoptedNeverClosed", "Isolated<Node> parcel = Isolated.consume(Node.create(3, 1)); Node mine = parcel.adopt(); mine.twice();",
            "parcel");
        clean("AdoptedAndClosed", "Isolated<Node> parcel = Isolated.consume(Node.create(3, 1)); try (Node mine = parcel.adopt()) { mine.twice(); }");
        clean("IsolatedClosed", "try (Isolated<Node> parcel = Isolated.consume(Node.create(3, 1))) { parcel.isPending(); }");
        leaks("FrozenNeverClosed", "Frozen<Node> config = Isolated.consume(Node.create(3, 1)).freeze(); config.get().twice();",
            "Isolated.consume(Node.create(3, 1))");
        clean("FrozenClosed", "try (Frozen<Node> config = Isolated.consume(Node.create(3, 1)).freeze()) { config.get().next(); }");
        leaks("LockedNeverClosed", "Locked<Node> shared = Isolated.consume(Node.create(3, 1)).lock();", "Isolated.consume(Node.create(3, 1))");
        clean("LockedAndGuardClosed", """
            try (Locked<Node> shared = Isolated.consume(Node.create(3, 1)).lock(); Locked.Guard<Node> g = shared.write()) {
                g.get().payload(4);
            }""");
        leaks("GuardNeverClosed", "try (Locked<Node> shared = Isolated.consume(Node.create(3, 1)).lock()) { Locked.Guard<Node> g = shared.read(); }",
            "g");
        leaks("ActiveNeverClosed", "Active<Node> actor = Isolated.consume(Node.create(3, 1)).activate(system); actor.tell(Node::twice);",
            "Isolated.consume(Node.create(3, 1))");
        clean("ActiveClosed", """
            try (Active<Node> actor = Isolated.consume(Node.create(3, 1)).activate(system)) {
                actor.ask(Node::twice).join();
            }""");
        // A write guard's adopt takes over the parcel; what it returns is the guard's (borrowed).
        clean("GuardAdoptTakesTheParcel", """
            try (Locked<Node> shared = Isolated.consume(Node.create(3, 1)).lock(); Locked.Guard<Node> g = shared.write()) {
                Isolated<Node> parcel = Isolated.consume(Node.create(3, 2));
                g.get().next(g.adopt(parcel));
            }""");
        // Another reference to a frozen object is owned.
        leaks("FrozenFromNeverClosed", """
            try (Frozen<Node> config = Isolated.consume(Node.create(3, 1)).freeze()) {
                Frozen<Node> again = Frozen.from(config.get());
                again.get().twice();
            }""", "again");
        // (h) consume takes over the obligation of the reference it consumes.
        clean("ConsumeHandsOver", "Node root = Node.create(3, 1); try (Isolated<Node> parcel = Isolated.consume(root)) { parcel.isPending(); }");
        // Containers: owned when created, borrowed when read.
        clean("ListReadsBorrowed", """
            try (RefList<Node> list = RefList.create(Node.class); Node n = Node.create(3, 1)) {
                list.add(n);
                list.get(0).twice();
            }""");
        clean("ListForEachBorrowed", """
            try (RefList<Node> list = RefList.create(Node.class); Node n = Node.create(3, 1)) {
                list.add(n);
                for (Node element : list) {
                    element.twice();
                }
            }""");
        clean("DictForEachBorrowed", """
            try (RefLongDict<Node> dict = RefLongDict.create(Node.class); Node n = Node.create(3, 1)) {
                dict.put(n, 5);
                for (Node key : dict) {
                    key.twice();
                }
            }""");
        // A weak reference owns nothing, and what get() returns is borrowed.
        clean("WeakRefGetBorrowed", """
            try (Node n = Node.create(3, 1)) {
                WeakRef<Node> weak = WeakRef.of(n);
                Node target = weak.get();
                if (target != null) {
                    target.twice();
                }
            }""");
        leaks("ListNeverClosed", "RefList<Node> list = RefList.create(Node.class); list.size();", "list");
        leaks("ViewNeverClosed", "try (Node n = Node.create(3, 1)) { ElementsView view = n.dataView(); view.segment(); }", "view");
        // A generic cypclass: owned when created, borrowed when read, as any other.
        clean("GenericReadsBorrowed", """
            try (Node n = Node.create(3, 1); Duo<Node, Node> duo = Duo.create(n)) {
                duo.second(duo.first());
                duo.second().twice();
                try (Duo<Node, Node> again = duo.newReference()) {
                    again.first().twice();
                }
            }""");
        leaks("GenericNeverClosed", "try (Node n = Node.create(3, 1)) { Duo<Node, Node> duo = Duo.create(n); duo.first(); }",
            "duo");
        // (g) A user's class keeping a cypclass in an @Owning field, closed in its own close().
        CASES.put("ServiceClosesItsField", new String[] {SERVICE.formatted("ServiceClosesItsField", "ServiceClosesItsField",
            "node.close();"), null});
        CASES.put("ServiceForgetsItsField", new String[] {SERVICE.formatted("ServiceForgetsItsField", "ServiceForgetsItsField",
            "// forgets node.close()"), "[contracts.postcondition] postcondition of close is not satisfied"});
        clean("ServiceUsed", "try (ServiceClosesItsField service = new ServiceClosesItsField(5)) { service.payload(); }");
        leaks("ServiceNeverClosed", "ServiceClosesItsField service = new ServiceClosesItsField(5); service.payload();", "service");
    }

    private static void leaks(String name, String body, String named) {
        CASES.put(name, new String[] {method(name, body), named});
    }

    private static void clean(String name, String body) {
        CASES.put(name, new String[] {method(name, body), null});
    }

    private static String method(String name, String body) {
        return """
            package demo;
            import org.cypclass.objects.ElementsView;
            import org.cypclass.objects.WeakRef;
            import org.cypclass.objects.actors.Active;
            import org.cypclass.objects.actors.ActorSystem;
            import org.cypclass.objects.capabilities.Frozen;
            import org.cypclass.objects.capabilities.Isolated;
            import org.cypclass.objects.capabilities.Locked;
            import org.cypclass.objects.containers.RefList;
            import org.cypclass.objects.containers.RefLongDict;
            final class %s {
                static void run(boolean flag, ActorSystem system) {
            %s
                }
            }
            """.formatted(name, body.indent(8).stripTrailing());
    }

    /** Per case file, the checker's errors: message key and first line. */
    private static final Map<String, List<String>> ERRORS = new LinkedHashMap<>();
    private static String printed;

    @TempDir
    static Path work;

    @BeforeAll
    static void compileEveryCase() throws IOException, InterruptedException, URISyntaxException {
        Path sources = work.resolve("src/demo");
        Files.createDirectories(sources);
        Files.writeString(sources.resolve("Node.java"), NODE);
        Files.writeString(sources.resolve("Duo.java"), DUO);
        List<String> files = new ArrayList<>(List.of(sources.resolve("Node.java").toString(),
            sources.resolve("Duo.java").toString()));
        for (Map.Entry<String, String[]> c : CASES.entrySet()) {
            Path file = sources.resolve(c.getKey() + ".java");
            Files.writeString(file, c.getValue()[0]);
            files.add(file.toString());
        }
        Path checker;
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("cypclass.checker.dir", "target/checker")))) {
            checker = jars.filter(f -> f.getFileName().toString().matches("checker-[0-9.]+\\.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("no checker jar: build with ./mvnw -pl tests -am verify"));
        }
        String qual = location(NotOwning.class);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
        command.addAll(JAVAC_JVM_OPTIONS);
        command.addAll(List.of("-Xlint:all,-processing", "-Xmaxerrs", "1000",
            "-processorpath", String.join(File.pathSeparator, location(CypclassProcessor.class), checker.toString(), qual),
            "-processor", CypclassProcessor.class.getName() + "," + CHECKER,
            "-classpath", System.getProperty("java.class.path"),
            "-d", work.resolve("classes").toString(), "-s", work.resolve("generated").toString()));
        command.addAll(files);
        Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
        printed = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(javac.waitFor(5, TimeUnit.MINUTES), "javac ended");
        Matcher error = Pattern.compile("(?m)^.*?(\\w+)\\.java:\\d+: (error|warning): (.*)$").matcher(printed);
        while (error.find()) {
            ERRORS.computeIfAbsent(error.group(1), k -> new ArrayList<>()).add(error.group(2) + ": " + error.group(3));
        }
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theGeneratedCodeAndTheCypclassPassTheChecker() {
        assertEquals(List.of(), ERRORS.getOrDefault("Node", List.of()), printed);
        assertEquals(List.of(), ERRORS.getOrDefault("Cy_Node", List.of()), printed);
        assertEquals(List.of(), ERRORS.getOrDefault("Duo", List.of()), printed);
        assertEquals(List.of(), ERRORS.getOrDefault("Cy_Duo", List.of()), printed);
    }

    @Test
    void everyLeakIsAnErrorNamingTheReferenceAndEveryCleanCaseHasNone() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String[]> c : CASES.entrySet()) {
            List<String> errors = ERRORS.getOrDefault(c.getKey(), List.of());
            String named = c.getValue()[1];
            if (named == null && !errors.isEmpty()) {
                wrong.add(c.getKey() + " should be clean, got " + errors);
            } else if (named != null && errors.stream().noneMatch(named.startsWith("[")
                ? e -> e.startsWith("error: " + named)
                : e -> e.startsWith("error: [required.method.not.called]") && e.contains(" on " + named + " "))) {
                wrong.add(c.getKey() + " should be an error naming " + named + ", got " + errors);
            }
        }
        assertEquals(List.of(), wrong, printed);
    }

    @Test
    void casesOfBothKindsWereChecked() {
        // Guards the test itself: a checker that did not run would pass every clean case.
        assertTrue(CASES.values().stream().filter(c -> c[1] != null).count() >= 10);
        assertTrue(ERRORS.keySet().containsAll(List.of("NeverClosed", "OneBranch", "NewReference", "IsolatedNeverSpent")), printed);
        assertTrue(printed.contains("Reason for going out of scope"), printed);
    }
}
