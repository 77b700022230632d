package org.cypclass.tests.support;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The leak check is around the tests of the real run: this class registers no extension and
 * sets no configuration, so it passes only when {@code META-INF/services} and
 * {@code junit-platform.properties} registered {@link LeakCheckExtension} for every test (as
 * {@link LeakCheckSessionListener} checks for the whole run).
 */
class LeakCheckActiveTest {

    @Test
    void theLeakCheckIsAroundThisTest() {
        String id = LeakCheckExtension.testUnderCheck()
            .orElseThrow(() -> new AssertionError("no leak check around this test: LeakCheckExtension is not registered"));
        assertTrue(id.endsWith("[class:" + getClass().getName() + "]/[method:theLeakCheckIsAroundThisTest()]"), id);
    }

    @TestFactory
    Stream<DynamicTest> theLeakCheckIsAroundEachDynamicTest() {
        return IntStream.rangeClosed(1, 3).mapToObj(n -> dynamicTest("dynamic test " + n, () -> {
            String id = LeakCheckExtension.testUnderCheck()
                .orElseThrow(() -> new AssertionError("no leak check around this dynamic test"));
            assertTrue(id.endsWith("[test-factory:theLeakCheckIsAroundEachDynamicTest()]/[dynamic-test:#" + n + "]"), id);
        }));
    }
}
