package org.cypclass.tests.libc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The process's open file descriptors, read from {@code /proc/self/fd}, and a JUnit extension
 * that fails a test which ends with descriptors it did not start with.
 *
 * <p>Descriptors the JVM opens by itself while a test runs (a jar of the class path opened on
 * first use, the module image, the random devices of the first {@code SecureRandom}) are
 * ignored; so is the descriptor of the listing itself.
 *
 * <p>Thread-safety: stateless apart from JUnit's store; safe to use from any thread.
 */
public final class OpenDescriptors implements BeforeEachCallback, AfterEachCallback {

    private static final Path FD = Path.of("/proc/self/fd");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OpenDescriptors.class);

    /** @return descriptor number → what it refers to, without the JVM's own jar and image files */
    public static Map<Integer, String> snapshot() {
        Map<Integer, String> open = new TreeMap<>();
        try (Stream<Path> entries = Files.list(FD)) {
            entries.forEach(entry -> {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException e) {
                    return; // closed while listing: the listing's own descriptor
                }
                if (!ignored(target)) {
                    open.put(Integer.parseInt(entry.getFileName().toString()), target);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open;
    }

    /** @return the number of descriptors {@link #snapshot()} sees */
    public static int count() {
        return snapshot().size();
    }

    /** Fails if descriptors are open now that were not open in {@code before}. */
    public static void assertNoneOpenedSince(Map<Integer, String> before, String what) {
        Map<Integer, String> now = snapshot();
        Map<Integer, String> leaked = new TreeMap<>(now);
        leaked.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        if (!leaked.isEmpty()) {
            fail(what + " leaked file descriptors " + leaked + " (" + before.size() + " open before, " + now.size() + " after)");
        }
    }

    private static boolean ignored(String target) {
        // The JDK's NativePRNG opens /dev/random and /dev/urandom on the first SecureRandom
        // (a temporary file's name takes one) and keeps them for the life of the JVM.
        return target.endsWith(".jar") || target.endsWith("/lib/modules") || target.startsWith("/proc/")
            || target.contains("surefire") || target.equals("/dev/random") || target.equals("/dev/urandom");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("fds", snapshot());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        assertNoneOpenedSince(context.getStore(NAMESPACE).get("fds", Map.class), "test " + context.getDisplayName());
    }
}
