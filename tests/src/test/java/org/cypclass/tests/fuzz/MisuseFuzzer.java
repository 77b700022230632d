package org.cypclass.tests.fuzz;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.WeakRef;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;

/**
 * Calls every public method and constructor of every package the library's modules export
 * (read from their module descriptors by {@link ExportedPackages}), and of the example
 * cypclasses' generated classes: once with good arguments, then with bad arguments one at a
 * time (null, a closed reference, another thread's instance, a borrowed reference whose target
 * died, negative and huge numbers, malformed strings, paths and segments), then on a closed,
 * spent ({@code Isolated} already consumed) or foreign (another thread's, for the types
 * confined to a thread) receiver.
 *
 * <p>Every call must end normally or with an exception a caller can handle: an
 * {@link IllegalArgumentException}, {@link IllegalStateException}, {@link IndexOutOfBoundsException},
 * {@link WrongThreadException}, {@link UnsupportedOperationException}, {@link ClassCastException},
 * {@link ConcurrentModificationException}, {@link NoSuchElementException}, an {@link IOException},
 * an {@link OutOfMemoryError} for a size the C library cannot provide, or a
 * {@link NullPointerException} when a null was passed. Anything else (another error, an NPE
 * without a null argument) is printed as UNEXPECTED; so is a normal return on a closed, spent or
 * foreign receiver, unless {@link DocumentedNormalReturns} lists it. A call that could not be
 * made (no receiver or argument of the right type could be built) is printed as NOT CALLED. A
 * JVM crash ends the process. Run in a forked JVM by {@link MisuseFuzzTest}; prints one
 * {@code reach class} line per class and one {@code reach package} line per package, then
 * {@code classes=C calls=N unexpected=M notcalled=K live=L rounds=R} last, and exits with
 * status 0 only when M and L are 0. With {@code -Dcypclass.fuzz.calls=N} it repeats the pass, closing what
 * each made, until it has made N calls ({@code ./cypclass test --long}: 10^6).
 */
public final class MisuseFuzzer {

    /** The system property asking for at least this many calls (one pass, about 6,000, by default). */
    static final String CALLS_PROPERTY = "cypclass.fuzz.calls";
    /** The example cypclasses of the tests: generated code, fuzzed beside the library. */
    private static final String EXAMPLES = "org.cypclass.examples";
    /** The library's modules whose descriptors say what to fuzz. */
    static final List<String> MODULES = List.of("org.cypclass.memory", "org.cypclass.objects", "org.cypclass.libc",
        "org.cypclass.kdtree");
    /** Types confined to one thread, on which another thread's call must throw. */
    private static final List<Class<?>> CONFINED = List.of(CyObject.class, org.cypclass.libc.LineBuffer.class,
        org.cypclass.objects.ElementsView.class);
    /** Methods that would only measure or print, or wait for the collector; nothing to misuse. */
    private static final List<String> SKIPPED = List.of("wait", "notify", "notifyAll", "getClass", "hashCode", "equals",
        "toString", "main");

    private final Path dir;
    private final Arena arena = Arena.ofShared();
    /** Where what this fuzzer makes goes, to be closed at the end: {@link #owned} or {@link #ownedByForeign}. */
    private List<AutoCloseable> toClose;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<AutoCloseable> ownedByForeign = new ArrayList<>();
    /** The other thread, which makes the foreign receivers and arguments and closes them at the end. */
    private final ExecutorService foreignThread = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fuzz-foreign-owner");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Class<?>, Object> foreign = new HashMap<>();
    private List<Class<?>> classes = List.of();
    private final Map<Class<?>, Long> callsByClass = new LinkedHashMap<>();
    private long calls;
    private long unexpected;
    private long notCalled;
    private int rounds;

    private MisuseFuzzer(Path dir) {
        this.dir = dir;
        this.toClose = owned;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cypclass-fuzz");
        MisuseFuzzer fuzzer = new MisuseFuzzer(dir);
        Map<String, String> packages = ExportedPackages.of("org.cypclass.");
        Set<String> modules = new TreeSet<>(packages.values());
        if (!modules.containsAll(MODULES)) {
            System.out.println("FUZZER FAILED: module descriptors found for " + modules + ", not for all of " + MODULES);
            System.exit(1);
        }
        List<String> fuzzed = new ArrayList<>(packages.keySet());
        fuzzed.add(EXAMPLES);
        fuzzer.classes = ExportedPackages.publicClasses(fuzzed);
        // A long run repeats the pass until it has made the calls asked for: the same calls, on
        // new receivers and arguments each round (other blocks, other stamps, a heap that has
        // freed and reused everything the rounds before made).
        long wanted = Long.getLong(CALLS_PROPERTY, 0);
        try {
            do {
                if (fuzzer.rounds++ > 0) {
                    fuzzer.closeRound();
                }
                for (Class<?> type : fuzzer.classes) {
                    long before = fuzzer.calls;
                    fuzzer.fuzz(type);
                    fuzzer.callsByClass.merge(type, fuzzer.calls - before, Long::sum);
                }
            } while (fuzzer.calls < wanted && fuzzer.unexpected == 0);
        } catch (Throwable t) {
            // The fuzzer itself failed, not a call under test: say so, and let the test fail.
            System.out.println("FUZZER FAILED");
            t.printStackTrace(System.out);
            fuzzer.unexpected++;
        } finally {
            fuzzer.finish();
        }
        fuzzer.callsByClass.forEach((type, n) -> System.out.println("reach class " + type.getName() + " calls=" + n));
        for (String pkg : fuzzed) {
            List<Long> counts = fuzzer.callsByClass.entrySet().stream()
                .filter(e -> e.getKey().getPackageName().equals(pkg)).map(Map.Entry::getValue).toList();
            System.out.println("reach package " + pkg + " classes=" + counts.size() + " calls="
                + counts.stream().mapToLong(Long::longValue).sum() + " zero=" + fuzzer.callsByClass.entrySet().stream().filter(e -> e.getKey().getPackageName().equals(pkg)
                    && e.getValue() == 0 && !DocumentedNormalReturns.unreachable(e.getKey())).count());
        }
        long live = MemoryStats.snapshot().liveBlocks();
        System.out.println("classes=" + fuzzer.classes.size() + " calls=" + fuzzer.calls + " unexpected=" + fuzzer.unexpected
            + " notcalled=" + fuzzer.notCalled + " live=" + live + " rounds=" + fuzzer.rounds);
        System.exit(fuzzer.unexpected == 0 && live == 0 ? 0 : 1);
    }

    /** Runs {@code maker} on the foreign thread; what it makes there is closed there at the end. */
    private Object onForeignThread(Supplier<Object> maker) {
        List<AutoCloseable> mine = toClose;
        try {
            return foreignThread.submit(() -> {
                toClose = ownedByForeign;
                return maker.get();
            }).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("the foreign thread failed", e);
        } finally {
            toClose = mine;
        }
    }

    /** An instance of {@code type} made by the foreign thread, the same one each time, or null. */
    private Object foreignInstance(Class<?> type) {
        return foreign.computeIfAbsent(type, t -> onForeignThread(() -> goodReceiver(t)));
    }

    private static boolean confined(Class<?> type) {
        // A CyStr is frozen from birth: every thread may use it.
        return CONFINED.stream().anyMatch(c -> c.isAssignableFrom(type)) && type != org.cypclass.objects.CyStr.class;
    }

    /** Closes what one pass made, on the threads that made it, so that the next starts afresh. */
    private void closeRound() throws Exception {
        foreignThread.submit(() -> {
            closeAll(ownedByForeign);
            ownedByForeign.clear();
            return null;
        }).get();
        closeAll(owned);
        owned.clear();
        foreign.clear();
    }

    private void finish() throws Exception {
        foreignThread.submit(() -> closeAll(ownedByForeign)).get();
        foreignThread.shutdown();
        closeAll(owned);
        arena.close();
    }

    private static Void closeAll(List<AutoCloseable> made) {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                made.get(i).close();
            } catch (Exception e) {
                // a receiver left in a state that refuses close (spent): already reported if wrong
            }
        }
        return null;
    }

    private void fuzz(Class<?> type) {
        List<Executable> members = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (!SKIPPED.contains(method.getName()) && method.getDeclaringClass().getName().startsWith("org.cypclass")
                    && !method.isSynthetic() && !method.isBridge()) {
                members.add(method);
            }
        }
        // An abstract class's constructors are public but never callable (an abstract cypclass's included).
        if (!Modifier.isAbstract(type.getModifiers())) {
            members.addAll(List.of(type.getConstructors()));
        }
        members.sort(Comparator.comparing(Executable::toGenericString));
        for (Executable member : members) {
            fuzzMember(type, member);
        }
    }

    private void fuzzMember(Class<?> type, Executable member) {
        boolean isStatic = member instanceof Constructor<?> || Modifier.isStatic(member.getModifiers());
        Class<?>[] parameters = member.getParameterTypes();
        // Good arguments on a good receiver, then one bad argument at a time, then bad receivers.
        call(member, isStatic ? null : goodReceiver(type), goodArguments(parameters, member), false, null);
        for (int position = 0; position < parameters.length; position++) {
            for (Object bad : badValues(parameters[position], member)) {
                Object[] arguments = goodArguments(parameters, member);
                arguments[position] = bad;
                call(member, isStatic ? null : goodReceiver(type), arguments, bad == null, null);
            }
        }
        if (!isStatic) {
            badReceivers(type).forEach((kind, receiver) -> call(member, receiver, goodArguments(parameters, member), false, kind));
        }
    }

    /**
     * Makes one call and judges how it ended.
     *
     * @param badReceiver null for a good receiver (or none), else what is wrong with it
     *        ("closed", "spent", "foreign"): then a normal return is a failure unless documented
     */
    private void call(Executable member, Object receiver, Object[] arguments, boolean nullPassed, String badReceiver) {
        if (!(member instanceof Constructor<?>) && !Modifier.isStatic(member.getModifiers()) && receiver == null) {
            if (DocumentedNormalReturns.unreachable(member.getDeclaringClass())) {
                return;
            }
            notCalled++;
            System.out.println("NOT CALLED " + member.toGenericString() + ": no receiver could be made");
            return;
        }
        calls++;
        try {
            if (!Modifier.isPublic(member.getDeclaringClass().getModifiers())) {
                member.setAccessible(true);    // a public method of a package-private base (HashContainer)
            }
            Object result = member instanceof Method method ? method.invoke(receiver, arguments)
                : ((Constructor<?>) member).newInstance(arguments);
            keep(result);
            if (badReceiver != null && !DocumentedNormalReturns.allowed(member)) {
                unexpected++;
                System.out.println("UNEXPECTED normal return of " + member.toGenericString() + " on a " + badReceiver
                    + " receiver " + describe(receiver) + " with " + describe(arguments) + ": returned " + describe(result));
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (!acceptable(cause, nullPassed || containsNull(arguments))) {
                unexpected++;
                System.out.println("UNEXPECTED " + member.toGenericString() + " on " + describe(receiver) + " with "
                    + describe(arguments) + ": " + cause);
                cause.printStackTrace(System.out);
            }
        } catch (IllegalAccessException | InstantiationException | IllegalArgumentException e) {
            // The fuzzer built a value of the wrong type, or the member cannot be called this way.
            calls--;
            notCalled++;
            System.out.println("NOT CALLED " + member.toGenericString() + " with " + describe(arguments) + ": " + e);
        }
    }

    /** {@code String.valueOf(value)}, or what its {@code toString} threw (a closed list's view throws). */
    private static String describe(Object value) {
        try {
            return value instanceof Object[] array ? Arrays.toString(array) : String.valueOf(value);
        } catch (RuntimeException e) {
            return value.getClass().getName() + " (toString threw " + e + ")";
        }
    }

    /** Whether an argument, or an element of an array argument, is null. */
    private static boolean containsNull(Object[] arguments) {
        for (Object argument : arguments) {
            if (argument == null || (argument instanceof Object[] array && Arrays.asList(array).contains(null))) {
                return true;
            }
        }
        return false;
    }

    private static boolean acceptable(Throwable failure, boolean nullPassed) {
        return failure instanceof IllegalArgumentException || failure instanceof IllegalStateException
            || failure instanceof IndexOutOfBoundsException || failure instanceof WrongThreadException
            || failure instanceof UnsupportedOperationException || failure instanceof ClassCastException
            || failure instanceof ConcurrentModificationException || failure instanceof NoSuchElementException
            || failure instanceof IOException || failure instanceof OutOfMemoryError
            || failure instanceof java.io.UncheckedIOException
            // ActorFuture.get(timeout): the CompletableFuture contract
            || failure instanceof java.util.concurrent.TimeoutException || failure instanceof ExecutionException
            || (failure instanceof NullPointerException && nullPassed);
    }

    /** Closes what a call handed out, at the end: owned references, views, files. */
    private void keep(Object result) {
        if (result instanceof AutoCloseable closeable && !(result instanceof MisuseFuzzer)) {
            toClose.add(closeable);
        }
    }

    // ---- values --------------------------------------------------------------------------

    /** An open instance of {@code type}, closed at the end, or null if none can be made. */
    private Object goodReceiver(Class<?> type) {
        if (CyObject.class.isAssignableFrom(type)) {
            CyObject made = fresh(type);
            if (made != null) {
                toClose.add(made);
                return made;
            }
        }
        Object made = CyObject.class.isAssignableFrom(type) ? null : goodValue(type, null);
        if (made == null && (type.isInterface() || Modifier.isAbstract(type.getModifiers()))) {
            // an abstract type (CyObject, HashDict, PrimitiveSet, RefField, ...): any implementation
            for (Class<?> other : classes) {
                if (other != type && type.isAssignableFrom(other) && !other.isInterface()
                        && !Modifier.isAbstract(other.getModifiers())) {
                    made = goodReceiver(other);
                    if (made != null) {
                        return made;
                    }
                }
            }
        }
        if (made instanceof AutoCloseable closeable && !toClose.contains(closeable)) {
            toClose.add(closeable);
        }
        return made;
    }

    /**
     * The receivers on which a call is misuse, by what is wrong with them: a closed one (of
     * every closeable type), a spent one (an {@link Isolated} whose graph was taken by
     * {@code freeze}), another thread's (of the types confined to a thread).
     */
    private Map<String, Object> badReceivers(Class<?> type) {
        Map<String, Object> receivers = new LinkedHashMap<>();
        if (AutoCloseable.class.isAssignableFrom(type)) {
            Object made = CyObject.class.isAssignableFrom(type) ? fresh(type) : goodValue(type, null);
            if (made instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                    receivers.put("closed", made);
                } catch (Exception e) {
                    // could not close it: no closed receiver of this type
                }
            }
        }
        if (type == Isolated.class) {
            Isolated<org.cypclass.examples.Node> spent = Isolated.consume(org.cypclass.examples.Node.create(1, null));
            toClose.add(spent.freeze());
            receivers.put("spent", spent);
        }
        if (confined(type)) {
            Object other = foreignInstance(type);
            if (other != null) {
                receivers.put("foreign", other);
            }
        }
        return receivers;
    }

    /** A new open instance of a cypclass, from its simplest factory, or null. */
    private CyObject fresh(Class<?> type) {
        making++;
        try {
            return make(type);
        } finally {
            making--;
        }
    }

    /** How deep in {@link #fresh} this thread is (the foreign thread makes its own, before the fuzzing). */
    private int making;

    private CyObject make(Class<?> type) {
        if (type == org.cypclass.objects.CyStr.class) {
            return org.cypclass.objects.CyStr.of("r");  // made by of(...), not create(...)
        }
        List<Method> factories = Arrays.stream(type.getMethods())
            .filter(m -> m.getName().equals("create") && Modifier.isStatic(m.getModifiers())
                && type.isAssignableFrom(m.getReturnType()) && m.getDeclaringClass() != Object.class)
            .sorted(Comparator.comparingInt(Method::getParameterCount)).toList();
        for (Method factory : factories) {
            try {
                Object made = factory.invoke(null, goodArguments(factory.getParameterTypes(), factory));
                if (type.isInstance(made)) {
                    return (CyObject) made;
                }
                if (made instanceof CyObject other) {
                    other.close();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // try the next factory
            }
        }
        return null;
    }

    private Object[] goodArguments(Class<?>[] parameters, Executable member) {
        Object[] arguments = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            arguments[i] = goodValue(parameters[i], member);
        }
        return arguments;
    }

    private Object goodValue(Class<?> type, Executable member) {
        if (type == int.class || type == Integer.class) {
            return 1;
        } else if (type == long.class || type == Long.class) {
            return 1L;
        } else if (type == double.class || type == Double.class) {
            return 1.0;
        } else if (type == float.class) {
            return 1.0f;
        } else if (type == short.class) {
            return (short) 1;
        } else if (type == byte.class) {
            return (byte) 1;
        } else if (type == char.class) {
            return 'a';
        } else if (type == boolean.class) {
            return false;
        } else if (type == String.class) {
            return member != null && member.getDeclaringClass().getSimpleName().equals("Format") ? "%d" : "r";
        } else if (type == Path.class) {
            return file("good.bin");
        } else if (type == MemorySegment.class) {
            return arena.allocate(64);
        } else if (type == Class.class) {
            // The containers keyed by content (KeyLongDict, ...) take a key class with @Hash and @Equals.
            return member != null && member.getDeclaringClass().getSimpleName().startsWith("Key")
                ? org.cypclass.examples.Point.class : org.cypclass.examples.Node.class;
        } else if (type.isArray()) {
            if (type.getComponentType() == OpenOption.class) {
                return new OpenOption[] {StandardOpenOption.READ};
            }
            if (type.getComponentType() == Class.class) {
                return new Class<?>[] {int.class};   // matches the good format "%d"
            }
            if (type.getComponentType() == Object.class && member != null
                    && member.getDeclaringClass() == org.cypclass.libc.Format.class) {
                return new Object[] {1};    // the argument of the good format "%d"
            }
            Object array = Array.newInstance(type.getComponentType(), type.getComponentType().isPrimitive() ? 4 : 0);
            return array;
        } else if (CyObject.class.isAssignableFrom(type)) {
            if (making > 0) {
                return null;    // a factory's reference arguments: null, or making one recurses
            }
            CyObject made = fresh(type);
            if (made != null) {
                toClose.add(made);
            }
            return made;
        } else if (type == Object.class) {
            return "x";
        } else if (type == java.time.Duration.class) {
            return java.time.Duration.ofMillis(1);
        } else if (type == Isolated.class) {
            return closeLater(Isolated.consume(org.cypclass.examples.Node.create(1, null)));
        } else if (type == Locked.class) {
            return closeLater(Isolated.consume(org.cypclass.examples.Node.create(1, null)).lock());
        } else if (type == Frozen.class) {
            return closeLater(Isolated.consume(org.cypclass.examples.Node.create(1, null)).freeze());
        } else if (type == org.cypclass.libc.NativeLibrary.class) {
            return loadLibc();
        } else if (type == org.cypclass.libc.NativeFunction.class) {
            // A C function whose signature is right and that takes no argument, so that the
            // fuzzer's empty Object[] is a good call; a wrong signature would be the caller's crash.
            return loadLibc().function("getpid", java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT),
                org.cypclass.libc.NativeFunction.Failure.NEVER);
        } else if (type == WeakRef.class) {
            return WeakRef.of(closeLater(org.cypclass.examples.Node.create(1, null)));
        }
        Object functional = FunctionalValues.harmless(type);
        if (functional != null) {
            return functional;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (valueDepth > 2) {
            return null;    // a factory that takes what it makes: stop here
        }
        if (unmakeable.contains(type)) {
            return null;
        }
        valueDepth++;
        try {
            Object made = madeByFactory(type);
            if (made == null && valueDepth == 1) {
                unmakeable.add(type);
            }
            return made;
        } finally {
            valueDepth--;
        }
    }

    /** The C library itself, loaded by name: a {@code NativeLibrary} that has real functions. */
    private org.cypclass.libc.NativeLibrary loadLibc() {
        try {
            return closeLater(org.cypclass.libc.NativeLibrary.load("libc.so.6"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The types {@link #madeByFactory} found no way to make, from the top: not searched again. */
    private final Set<Class<?>> unmakeable = new java.util.HashSet<>();

    /** How many factories {@link #goodValue} is inside, to stop factories that take what they make. */
    private int valueDepth;

    /**
     * An instance of {@code type} from the simplest way the fuzzed classes offer: a static
     * factory of the type itself, a public constructor, then any public static method or field
     * of a fuzzed class that hands out one, then any method without arguments on another fuzzed
     * class's instance that does ({@code elements()}, {@code type()}, {@code ask(...)}). Null if
     * none works.
     */
    private Object madeByFactory(Class<?> type) {
        List<Executable> makers = new ArrayList<>();
        Arrays.stream(type.getMethods()).filter(m -> Modifier.isStatic(m.getModifiers())
            && type.isAssignableFrom(m.getReturnType()) && !m.getName().equals("valueOf")).forEach(makers::add);
        Arrays.stream(type.getConstructors()).filter(c -> !Modifier.isAbstract(type.getModifiers())).forEach(makers::add);
        makers.sort(Comparator.comparingInt(Executable::getParameterCount));
        for (Executable maker : makers) {
            Object made = tryMake(maker, null);
            if (type.isInstance(made)) {
                return made;
            }
        }
        for (Class<?> other : classes) {
            if (other == type) {
                continue;
            }
            for (java.lang.reflect.Field field : other.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && type.isAssignableFrom(field.getType())) {
                    try {
                        Object value = field.get(null);
                        if (type.isInstance(value)) {
                            return value;
                        }
                    } catch (IllegalAccessException e) {
                        // not readable: look further
                    }
                }
            }
        }
        for (Class<?> other : classes) {
            if (other == type || !type.isAssignableFrom(other) && Arrays.stream(other.getMethods())
                    .noneMatch(m -> type.isAssignableFrom(m.getReturnType()) && m.getDeclaringClass() != Object.class)) {
                continue;
            }
            if (type.isAssignableFrom(other)) {
                Object made = goodReceiver(other);    // a subtype: an implementation of an interface or base
                if (type.isInstance(made)) {
                    return made;
                }
                continue;
            }
            for (Method method : other.getMethods()) {
                if (type.isAssignableFrom(method.getReturnType()) && method.getDeclaringClass() != Object.class
                        && method.getParameterCount() <= 2) {
                    Object made = tryMake(method, Modifier.isStatic(method.getModifiers()) ? null : goodReceiver(other));
                    if (type.isInstance(made)) {
                        return made;
                    }
                }
            }
        }
        return null;
    }

    /** Calls a maker with good arguments; its result (kept to be closed), or null if it failed. */
    private Object tryMake(Executable maker, Object receiver) {
        if (maker instanceof Method m && !Modifier.isStatic(m.getModifiers()) && receiver == null) {
            return null;
        }
        try {
            Object made = maker instanceof Method method ? method.invoke(receiver, goodArguments(method.getParameterTypes(), method))
                : ((Constructor<?>) maker).newInstance(goodArguments(maker.getParameterTypes(), maker));
            if (made instanceof AutoCloseable closeable) {
                toClose.add(closeable);
            }
            return made;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;    // try another maker
        }
    }

    private <C extends AutoCloseable> C closeLater(C made) {
        toClose.add(made);
        return made;
    }

    private List<Object> badValues(Class<?> type, Executable member) {
        List<Object> values = new ArrayList<>();
        if (type == java.time.Duration.class) {
            values.addAll(List.of(java.time.Duration.ofNanos(-1), java.time.Duration.ZERO,
                java.time.Duration.ofSeconds(Long.MAX_VALUE)));
        } else if (type == Isolated.class) {
            Isolated<?> spent = Isolated.consume(org.cypclass.examples.Node.create(1, null));
            spent.close();
            values.add(spent);
        }
        if (type.isAssignableFrom(org.cypclass.examples.Node.class)) {
            // References of the other capabilities, wherever a node may go.
            Frozen<org.cypclass.examples.Node> frozen = closeLater(
                Isolated.consume(org.cypclass.examples.Node.create(2, null)).freeze());
            Locked<org.cypclass.examples.Node> locked = closeLater(
                Isolated.consume(org.cypclass.examples.Node.create(3, null)).lock());
            org.cypclass.examples.Node outsideGuard;
            try (Locked.Guard<org.cypclass.examples.Node> guard = locked.read()) {
                outsideGuard = guard.get();
            }
            values.addAll(List.of(frozen.get(), locked.handle(), outsideGuard));
        }
        if (!type.isPrimitive()) {
            values.add(null);
        }
        if (type == int.class || type == Integer.class) {
            values.addAll(List.of(-1, Integer.MIN_VALUE, Integer.MAX_VALUE));
        } else if (type == long.class || type == Long.class) {
            values.addAll(List.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 50));
        } else if (type == double.class || type == Double.class) {
            values.addAll(List.of(Double.NaN, Double.NEGATIVE_INFINITY, -1.0));
        } else if (type == String.class) {
            values.addAll(List.of("", "%n", "%5$d", "%", "x\0y", "rw+bx-", "%s".repeat(300)));
        } else if (type == Path.class) {
            values.addAll(List.of(Path.of("/nonexistent/dir/file"), Path.of("/"), Path.of("/dev/full"), dir));
        } else if (type == MemorySegment.class) {
            Arena closed = Arena.ofConfined();
            MemorySegment dead = closed.allocate(64);
            closed.close();
            values.addAll(List.of(MemorySegment.NULL, MemorySegment.ofArray(new byte[64]),
                arena.allocate(64).asReadOnly(), dead, arena.allocate(1)));
        } else if (type == Class.class) {
            values.addAll(List.of(Object.class, String.class, CyObject.class));
        } else if (CyObject.class.isAssignableFrom(type)) {
            CyObject closed = fresh(type);
            if (closed != null) {
                closed.close();
                values.add(closed);
            }
            Object other = foreignInstance(type);
            if (other != null) {
                values.add(other);
            }
            CyObject staleBorrow = deadBorrowed(type);
            if (staleBorrow != null) {
                values.add(staleBorrow);
            }
        } else if (type.isArray()) {
            values.add(Array.newInstance(type.getComponentType(), 0));
            if (!type.getComponentType().isPrimitive()) {
                values.add(Array.newInstance(type.getComponentType(), 2));   // null elements
            }
        }
        return values;
    }

    /** A borrowed reference to an instance of {@code type} that has died since, if one can be made. */
    private CyObject deadBorrowed(Class<?> type) {
        if (!type.isAssignableFrom(org.cypclass.examples.Node.class)) {
            return null;
        }
        try (org.cypclass.examples.Node holder = org.cypclass.examples.Node.create(1, null)) {
            try (org.cypclass.examples.Node target = org.cypclass.examples.Node.create(2, null)) {
                holder.next(target);
            }
            org.cypclass.examples.Node borrowed = holder.next();
            holder.next(null);
            return borrowed;
        }
    }

    private Path file(String name) {
        Path path = dir.resolve(name);
        try {
            if (!Files.exists(path)) {
                Files.write(path, new byte[256]);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return path;
    }
}
