package org.cypclass.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts, per test engine, the tests a test JVM ran, and writes the counts to a file of the
 * folder named by {@code cypclass.engineCounts.dir} (one file per JVM), for
 * {@link ReportGuard} to check that no engine ran zero tests. Every engine on the class path is
 * listed, with 0 if it discovered nothing: an engine whose tests are never selected is what the
 * guard is there to catch.
 *
 * <p>Registered through {@code META-INF/services}; does nothing when the property is not set
 * (a test run from an IDE).
 */
public final class EngineCountListener implements TestExecutionListener {

    static final String DIRECTORY_PROPERTY = "cypclass.engineCounts.dir";

    private final Map<String, Integer> testsRun = new TreeMap<>();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        for (TestEngine engine : ServiceLoader.load(TestEngine.class)) {
            testsRun.putIfAbsent(engine.getId(), 0);
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (identifier.isTest()) {
            testsRun.merge(identifier.getUniqueIdObject().getEngineId().orElse("?"), 1, Integer::sum);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null) {
            return;
        }
        String lines = testsRun.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "", "\n"));
        try {
            Path folder = Files.createDirectories(Path.of(directory));
            Files.writeString(folder.resolve("engines-" + ProcessHandle.current().pid() + ".properties"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the tests each engine ran", e);
        }
    }
}
