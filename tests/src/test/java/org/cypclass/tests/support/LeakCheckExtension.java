package org.cypclass.tests.support;

import java.util.Map;
import java.util.TreeMap;

import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails every test that ends with more live off-heap blocks than it started with, and every
 * test class that ends with more than it started with, printing the leak report.
 *
 * <p>Registered for every test of the project through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled}. The check compares exact counts, so
 * a test must join the threads it starts before it returns; it never waits for the garbage
 * collector.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("class", MemoryStats.snapshot());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("test", MemoryStats.snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context.getStore(NAMESPACE).get("test", MemoryStats.class), "test " + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getStore(NAMESPACE).get("class", MemoryStats.class), "test class " + context.getDisplayName());
    }

    private static void check(MemoryStats before, String what) {
        MemoryStats after = MemoryStats.snapshot();
        Map<String, Long> leaked = new TreeMap<>();
        after.byType().forEach((type, stats) -> {
            long more = stats.liveBlocks() - before.of(type).liveBlocks();
            if (more > 0) {
                leaked.put(type, more);
            }
        });
        if (!leaked.isEmpty()) {
            throw new AssertionError(what + " leaked off-heap blocks " + leaked
                + " (live before: " + before + "; after: " + after + ")\n" + LeakReport.create());
        }
    }
}
