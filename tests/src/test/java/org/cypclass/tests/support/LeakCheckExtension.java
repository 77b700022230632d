package org.cypclass.tests.support;

import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;

/**
 * Fails every test, every dynamic test and every test class that ends holding more than it
 * started with: more live off-heap blocks of a type, more off-heap bytes of a type, more open
 * {@code FILE*} streams, more line-buffer blocks or bytes ({@link LibcHandles}), and, for the
 * test classes of the {@code libc} and {@code kdtree} packages and those marked
 * {@link CheckDescriptors}, more open file descriptors. The failure names each leak and
 * prints the allocator's leak report.
 *
 * <p>A test method is checked from {@code beforeEach} to {@code afterEach}; a dynamic test of
 * a {@code @TestFactory} (the Guava testlib suites make most of them) is checked around its own
 * execution, through {@link #interceptDynamicTest}, and its factory method as a whole as well.
 *
 * <p>Registered for every test of the project through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled}; {@link LeakCheckSessionListener}
 * fails the run if a Jupiter test ran without it, and {@code LeakCheckActiveTest} checks from
 * inside the real run that it is around a test and a dynamic test. The check compares exact
 * counts, so a test must join the threads it starts and close its files before it returns; it
 * never waits for the garbage collector.
 *
 * <p>Thread-safety: JUnit calls it from the thread that runs the test; the record of the test
 * under check ({@link #testUnderCheck()}) is per thread.
 */
public final class LeakCheckExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, InvocationInterceptor {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);
    /** The unique id of the test the check is around on this thread, or {@code null}. */
    private static final ThreadLocal<String> UNDER_CHECK = new ThreadLocal<>();

    /**
     * {@return the unique id of the test or dynamic test the leak check is around on this
     * thread, empty outside one}
     */
    public static Optional<String> testUnderCheck() {
        return Optional.ofNullable(UNDER_CHECK.get());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("class", LeakSnapshot.take(checksDescriptors(context)));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LeakCheckCounts.CHECKED.add(context.getUniqueId());
        context.getStore(NAMESPACE).put("test", LeakSnapshot.take(checksDescriptors(context)));
        UNDER_CHECK.set(context.getUniqueId());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        UNDER_CHECK.remove();
        LeakSnapshot.assertNothingLeakedSince(context.getStore(NAMESPACE).get("test", LeakSnapshot.class),
            "test " + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LeakSnapshot.assertNothingLeakedSince(context.getStore(NAMESPACE).get("class", LeakSnapshot.class),
            "test class " + context.getDisplayName());
    }

    /**
     * Checks one dynamic test: what it holds when it ends against what was held when it began.
     * If the test itself failed, a leak is added to its failure as suppressed.
     */
    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext context) throws Throwable {
        LeakCheckCounts.CHECKED.add(context.getUniqueId());
        LeakCheckCounts.CHECKED_DYNAMIC.incrementAndGet();
        LeakSnapshot before = LeakSnapshot.take(checksDescriptors(context));
        String factory = UNDER_CHECK.get();
        UNDER_CHECK.set(context.getUniqueId());
        String what = "dynamic test " + context.getDisplayName() + " (" + context.getUniqueId() + ")";
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            try {
                LeakSnapshot.assertNothingLeakedSince(before, what);
            } catch (AssertionError leak) {
                failure.addSuppressed(leak);
            }
            throw failure;
        } finally {
            UNDER_CHECK.set(factory);
        }
        LeakSnapshot.assertNothingLeakedSince(before, what);
    }

    /** Whether the test class lives in a package whose tests open files, or asks for the check. */
    private static boolean checksDescriptors(ExtensionContext context) {
        return context.getTestClass().map(type -> {
            String name = type.getName();
            return name.startsWith("org.cypclass.tests.libc.") || name.startsWith("org.cypclass.tests.kdtree.")
                || type.isAnnotationPresent(CheckDescriptors.class)
                || (type.getEnclosingClass() != null && type.getEnclosingClass().isAnnotationPresent(CheckDescriptors.class));
        }).orElse(false);
    }
}
