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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;

/**
 * Calls every public method and constructor of the exported packages, and of the example
 * cypclasses' generated classes, with bad arguments one at a time (null, a closed reference,
 * another thread's instance, a borrowed reference whose target died, negative and huge
 * numbers, malformed strings, paths and segments) and with a closed or foreign receiver.
 *
 * <p>Every call must end normally or with an exception a caller can handle: an
 * {@link IllegalArgumentException}, {@link IllegalStateException}, {@link IndexOutOfBoundsException},
 * {@link WrongThreadException}, {@link UnsupportedOperationException}, {@link ClassCastException},
 * {@link ConcurrentModificationException}, {@link NoSuchElementException}, an {@link IOException},
 * an {@link OutOfMemoryError} for a size the C library cannot provide, or a
 * {@link NullPointerException} when a null was passed. Anything else (another error, an NPE
 * without a null argument) is printed as UNEXPECTED; a JVM crash ends the process. Run in a
 * forked JVM by {@link MisuseFuzzTest}; prints {@code calls=N unexpected=M live=L} last and exits
 * with status 0 only when M and L are 0.
 */
public final class MisuseFuzzer {

    private static final String[] PACKAGES = {
        "org/cypclass/memory", "org/cypclass/objects", "org/cypclass/objects/containers",
        "org/cypclass/objects/capabilities", "org/cypclass/libc",
        "org/cypclass/examples"};
    /** Methods that would only measure or print, or wait for the collector; nothing to misuse. */
    private static final List<String> SKIPPED = List.of("wait", "notify", "notifyAll", "getClass", "hashCode", "equals",
        "toString", "main");

    private final Path dir;
    private final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<CyObject> foreign = new ArrayList<>();
    private final CountDownLatch foreignDone = new CountDownLatch(1);
    private final CompletableFuture<Void> foreignReady = new CompletableFuture<>();
    private long calls;
    private long unexpected;

    private MisuseFuzzer(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cypclass-fuzz");
        MisuseFuzzer fuzzer = new MisuseFuzzer(dir);
        List<Class<?>> classes = fuzzer.publicClasses();
        fuzzer.startForeignThread(classes);
        try {
            for (Class<?> type : classes) {
                long before = fuzzer.calls;
                fuzzer.fuzz(type);
                System.out.println("fuzzed " + type.getName() + ": " + (fuzzer.calls - before) + " calls");
            }
        } catch (Throwable t) {
            // The fuzzer itself failed, not a call under test: say so, and let the test fail.
            System.out.println("FUZZER FAILED");
            t.printStackTrace(System.out);
            fuzzer.unexpected++;
        } finally {
            fuzzer.finish();
        }
        long live = MemoryStats.snapshot().liveBlocks();
        System.out.println("classes=" + classes.size() + " calls=" + fuzzer.calls + " unexpected=" + fuzzer.unexpected
            + " live=" + live);
        System.exit(fuzzer.unexpected == 0 && live == 0 ? 0 : 1);
    }

    /** The public top-level classes of the fuzzed packages, found on the class path. */
    private List<Class<?>> publicClasses() throws IOException {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path root = Path.of(entry);
            if (Files.isDirectory(root)) {
                for (String pkg : PACKAGES) {
                    Path folder = root.resolve(pkg);
                    if (Files.isDirectory(folder)) {
                        try (Stream<Path> files = Files.list(folder)) {
                            files.forEach(file -> names.add(pkg + "/" + file.getFileName()));
                        }
                    }
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(root)) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(root.toFile())) {
                    jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(name -> Arrays.stream(PACKAGES).anyMatch(pkg -> name.startsWith(pkg + "/")
                            && name.indexOf('/', pkg.length() + 1) < 0))
                        .forEach(names::add);
                }
            }
        }
        List<Class<?>> found = new ArrayList<>();
        for (String name : names) {
            String simple = name.substring(name.lastIndexOf('/') + 1);
            if (!simple.endsWith(".class") || simple.contains("$") || simple.equals("package-info.class")
                    || simple.equals("module-info.class")) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name.replace(".class", "").replace('/', '.'));
                if (Modifier.isPublic(type.getModifiers()) && !type.isAnnotation()) {
                    found.add(type);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
        }
        return found;
    }

    /** A thread that creates one instance of each cypclass and keeps running until the end. */
    private void startForeignThread(List<Class<?>> classes) throws Exception {
        Thread thread = new Thread(() -> {
            try {
                for (Class<?> type : classes) {
                    if (CyObject.class.isAssignableFrom(type)) {
                        CyObject made = fresh(type);
                        if (made != null) {
                            foreign.add(made);
                        }
                    }
                }
                foreignReady.complete(null);
                foreignDone.await();
                foreign.forEach(CyObject::close);
            } catch (Throwable t) {
                foreignReady.completeExceptionally(t);
            }
        }, "fuzz-foreign-owner");
        thread.setDaemon(true);
        thread.start();
        foreignReady.get();
        this.foreignThread = thread;
    }

    private Thread foreignThread;

    private void finish() throws Exception {
        foreignDone.countDown();
        foreignThread.join();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // a receiver left in a state that refuses close (another thread's): already reported if wrong
            }
        }
        arena.close();
    }

    private void fuzz(Class<?> type) {
        List<Executable> members = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (!SKIPPED.contains(method.getName()) && method.getDeclaringClass().getName().startsWith("org.cypclass")
                    && !method.isSynthetic() && !method.isBridge()) {
                members.add(method);
            }
        }
        for (Constructor<?> constructor : type.getConstructors()) {
            members.add(constructor);
        }
        members.sort(Comparator.comparing(Executable::toGenericString));
        for (Executable member : members) {
            fuzzMember(type, member);
        }
    }

    private void fuzzMember(Class<?> type, Executable member) {
        boolean isStatic = member instanceof Constructor<?> || Modifier.isStatic(member.getModifiers());
        Class<?>[] parameters = member.getParameterTypes();
        // Good receivers with one bad argument at a time, then bad receivers with good arguments.
        for (int position = 0; position < parameters.length; position++) {
            for (Object bad : badValues(parameters[position], member)) {
                Object[] arguments = goodArguments(parameters, member);
                arguments[position] = bad;
                call(member, isStatic ? null : goodReceiver(type), arguments, bad == null);
            }
        }
        if (!isStatic) {
            for (Object receiver : badReceivers(type)) {
                call(member, receiver, goodArguments(parameters, member), false);
            }
        }
    }

    private void call(Executable member, Object receiver, Object[] arguments, boolean nullPassed) {
        if (!(member instanceof Constructor<?>) && !Modifier.isStatic(member.getModifiers()) && receiver == null) {
            return;
        }
        calls++;
        try {
            Object result = member instanceof Method method ? method.invoke(receiver, arguments)
                : ((Constructor<?>) member).newInstance(arguments);
            keep(result);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (!acceptable(cause, nullPassed || containsNull(arguments))) {
                unexpected++;
                System.out.println("UNEXPECTED " + member.toGenericString() + " on " + receiver + " with "
                    + Arrays.toString(arguments) + ": " + cause);
                cause.printStackTrace(System.out);
            }
        } catch (IllegalAccessException | InstantiationException | IllegalArgumentException e) {
            // not callable this way (an abstract class, a protected hook reached through getMethods)
            calls--;
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
            || (failure instanceof NullPointerException && nullPassed);
    }

    /** Closes what a call handed out, at the end: owned references, views, files. */
    private void keep(Object result) {
        if (result instanceof AutoCloseable closeable && !(result instanceof MisuseFuzzer)) {
            toClose.add(closeable);
        }
    }

    // ---- values --------------------------------------------------------------------------

    private Object goodReceiver(Class<?> type) {
        if (CyObject.class.isAssignableFrom(type)) {
            CyObject made = fresh(type);
            if (made != null) {
                toClose.add(made);
            }
            return made;
        }
        Object made = goodValue(type, null);
        if (made instanceof AutoCloseable closeable) {
            toClose.add(closeable);
        }
        return made;
    }

    private List<Object> badReceivers(Class<?> type) {
        List<Object> receivers = new ArrayList<>();
        if (CyObject.class.isAssignableFrom(type)) {
            CyObject closed = fresh(type);
            if (closed != null) {
                closed.close();
                receivers.add(closed);
            }
            foreign.stream().filter(type::isInstance).findFirst().ifPresent(receivers::add);
        } else if (AutoCloseable.class.isAssignableFrom(type)) {
            Object made = goodValue(type, null);
            if (made instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                    receivers.add(made);
                } catch (Exception e) {
                    // could not close it: no closed receiver of this type
                }
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
            return org.cypclass.examples.Node.class;
        } else if (type.isArray()) {
            if (type.getComponentType() == OpenOption.class) {
                return new OpenOption[] {StandardOpenOption.READ};
            }
            if (type.getComponentType() == Class.class) {
                return new Class<?>[] {long.class};   // matches the good format "%d"
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
        }
        if (valueDepth > 2) {
            return null;    // a factory that takes what it makes: stop here
        }
        valueDepth++;
        try {
            return madeByFactory(type);
        } finally {
            valueDepth--;
        }
    }

    /** How many factories {@link #goodValue} is inside, to stop factories that take what they make. */
    private int valueDepth;

    private Object madeByFactory(Class<?> type) {
        for (Method factory : type.getMethods()) {
            if (Modifier.isStatic(factory.getModifiers()) && type.isAssignableFrom(factory.getReturnType())
                    && factory.getParameterCount() <= 2 && !factory.getName().equals("valueOf")) {
                try {
                    Object made = factory.invoke(null, goodArguments(factory.getParameterTypes(), factory));
                    if (made instanceof AutoCloseable closeable) {
                        toClose.add(closeable);
                    }
                    return made;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // try another factory
                }
            }
        }
        return null;
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
            foreign.stream().filter(type::isInstance).findFirst().ifPresent(values::add);
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
