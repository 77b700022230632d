package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

import junit.framework.TestCase;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs Guava testlib's JUnit 3 suites as JUnit 5 dynamic tests, so that they run in the
 * Jupiter engine under the leak check (no vintage engine needed), one dynamic test per tester
 * method.
 */
final class GuavaSuites {

    private GuavaSuites() {
    }

    static DynamicNode toDynamic(junit.framework.Test test) {
        if (test instanceof TestSuite suite) {
            List<DynamicNode> children = new ArrayList<>();
            for (junit.framework.Test child : Collections.list(suite.tests())) {
                children.add(toDynamic(child));
            }
            return DynamicContainer.dynamicContainer(suite.getName(), children.stream());
        }
        TestCase testCase = (TestCase) test;
        return DynamicTest.dynamicTest(testCase.getName(), () -> run(testCase));
    }

    private static void run(TestCase testCase) throws Throwable {
        TestResult result = new TestResult();
        testCase.run(result);
        Throwable first = first(result.errors());
        if (first == null) {
            first = first(result.failures());
        }
        if (first != null) {
            throw first;
        }
    }

    private static Throwable first(Enumeration<TestFailure> failures) {
        return failures.hasMoreElements() ? failures.nextElement().thrownException() : null;
    }

    /** Counts the test cases of a suite, to check that a suite is not empty. */
    static long count(junit.framework.Test test) {
        return test instanceof TestSuite suite
            ? Collections.list(suite.tests()).stream().mapToLong(GuavaSuites::count).sum() : 1;
    }

    static Stream<DynamicNode> of(junit.framework.Test suite) {
        return Stream.of(toDynamic(suite));
    }
}
