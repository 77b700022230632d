package org.cypclass.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build's guard finds test classes without a report and engines that ran nothing. */
class ReportGuardTest {

    private static final Path TEST_CLASSES = Path.of(ReportGuardTest.class.getProtectionDomain().getCodeSource().getLocation().getPath());

    @Test
    void findsTheTestClassesOfThisModuleAndNothingElse() throws IOException {
        List<String> classes = ReportGuard.testClasses(TEST_CLASSES);
        assertTrue(classes.contains(ReportGuardTest.class.getName()), classes.toString());
        assertTrue(classes.contains("org.cypclass.tests.containers.ListModelTest"), "a class of plain @Test methods");
        assertTrue(classes.contains("org.cypclass.tests.containers.ListViewContractTest"), "a class of @TestFactory methods");
        assertTrue(classes.contains("org.cypclass.tests.containers.IntListTest"), "a class that inherits its tests");
        assertTrue(classes.stream().noneMatch(c -> c.endsWith("Contract")), "abstract contracts are not run by themselves");
        assertTrue(classes.stream().noneMatch(c -> c.startsWith("org.cypclass.examples.")), "cypclasses declare no tests");
        assertTrue(classes.stream().noneMatch(c -> c.contains("$")), "fixtures nested in a test are not run by Surefire");
    }

    @Test
    void aTestClassWithoutAReportAndAnEngineThatRanNothingFailTheBuild(@TempDir Path folder) throws IOException {
        Path reports = Files.createDirectories(folder.resolve("reports"));
        Path engines = Files.createDirectories(folder.resolve("engines"));
        for (String name : ReportGuard.testClasses(TEST_CLASSES)) {
            if (!name.equals(ReportGuardTest.class.getName())) {
                Files.writeString(reports.resolve("TEST-" + name + ".xml"),
                    "<testsuite name=\"" + name + "\" tests=\"1\"><testcase name=\"t\" classname=\"" + name + "\"/></testsuite>");
            }
        }
        Files.writeString(engines.resolve("engines-1.properties"), "junit-jupiter=5\nsome-engine=0\n");
        Files.writeString(engines.resolve("engines-2.properties"), "junit-jupiter=1\n");

        List<String> problems = ReportGuard.problems(TEST_CLASSES, reports, engines);

        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).endsWith(":\n    " + ReportGuardTest.class.getName()), problems.get(0));
        assertEquals("the test engine 'some-engine' is on the class path but ran zero tests", problems.get(1));
    }

    @Test
    void aCompleteRunPasses(@TempDir Path folder) throws IOException {
        Path reports = Files.createDirectories(folder.resolve("reports"));
        Path engines = Files.createDirectories(folder.resolve("engines"));
        for (String name : ReportGuard.testClasses(TEST_CLASSES)) {
            Files.writeString(reports.resolve("TEST-" + name + ".xml"), "<testsuite name=\"" + name + "\" tests=\"1\"/>");
        }
        Files.writeString(engines.resolve("engines-1.properties"), "junit-jupiter=5\n");
        assertEquals(List.of(), ReportGuard.problems(TEST_CLASSES, reports, engines));
        assertEquals(List.of("no test JVM recorded its engines' counts in " + folder.resolve("none")
            + " (is EngineCountListener still registered in META-INF/services?)"),
            ReportGuard.problems(TEST_CLASSES, reports, folder.resolve("none")));
    }

    @Test
    void surefireReportsAddUpAndTheFailingOnesAreNamed(@TempDir Path reports) throws IOException {
        Files.writeString(reports.resolve("TEST-a.ATest.xml"), "<?xml version=\"1.0\"?>\n<testsuite xmlns:xsi=\"x\""
            + " name=\"a.ATest\" time=\"1.2\" tests=\"5\" errors=\"0\" skipped=\"1\" failures=\"0\">\n"
            + "<testcase name=\"t\" classname=\"a.ATest\"/></testsuite>");
        Files.writeString(reports.resolve("TEST-b.BTest.xml"),
            "<testsuite name=\"b.BTest\" tests=\"3\" errors=\"1\" skipped=\"0\" failures=\"1\"></testsuite>");
        Files.writeString(reports.resolve("b.BTest-output.txt"), "not a report");

        SurefireTotals totals = SurefireTotals.read(reports);

        assertEquals(new SurefireTotals(2, 8, 1, 1, 1, List.of("b.BTest")), totals);
        assertEquals("8 tests in 2 reports: 5 passed, 1 failed, 1 erred, 1 skipped; failing: b.BTest", totals.summary());
        assertEquals("0 tests in 0 reports: 0 passed, 0 failed, 0 erred, 0 skipped",
            SurefireTotals.read(reports.resolve("none")).summary());
    }

    @Test
    void theLeakCheckVerdictsAreReadAndAreNoEngineCounts(@TempDir Path engines) throws IOException {
        Files.writeString(engines.resolve("engines-7.properties"), "junit-jupiter=2\n");
        Files.writeString(engines.resolve(ReportGuard.LEAK_CHECK_PREFIX + "7.txt"), "around each of the 2 tests run\n");
        assertEquals(List.of("around each of the 2 tests run"), ReportGuard.leakCheckVerdicts(engines));
        assertEquals(java.util.Map.of("junit-jupiter", 2), ReportGuard.engineCounts(engines));
    }
}
