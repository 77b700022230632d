package org.cypclass.stress.run;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading jcstress's console report, as jcstress 0.16 prints it, and the progress line. */
class JcstressReportTest {

    private static final List<String> PASSED = List.of(
        "  Attached the non-interactive output stream.",
        "(Sanity test mode)",
        "(Results: 112 planned; 23 passed, 0 failed, 0 soft errs, 0 hard errs)",
        "",
        "(Results: 112 planned; 112 passed, 0 failed, 0 soft errs, 0 hard errs)",
        "",
        "RUN RESULTS:",
        "  Interesting tests: No matches.",
        "",
        "  Failed tests: No matches.",
        "",
        "  Error tests: No matches.",
        "",
        "  All remaining tests: 8 matching test results.",
        "",
        "  HTML report generated at /tmp/results/index.html");

    private static final List<String> FAILED = List.of(
        "(Results: 16 planned; 15 passed, 1 failed, 0 soft errs, 0 hard errs)",
        "RUN RESULTS:",
        "  Interesting tests: No matches.",
        "",
        "  Failed tests: 1 matching test results.",
        "",
        ".......... [FAILED] org.cypclass.stress.ReleaseRace",
        "",
        "  Results across all configurations:",
        "",
        "  RESULT      SAMPLES     FREQ      EXPECT  DESCRIPTION",
        "    0, 0          12    0.01%   Forbidden  nobody destroyed it",
        "",
        "  Error tests: No matches.");

    @Test
    void aPassingRunPasses() {
        JcstressReport report = JcstressReport.parse(PASSED);
        assertEquals(new JcstressReport(112, 112, 0, 0, 0, true, 0, 0, PASSED.subList(6, PASSED.size())), report);
        assertTrue(report.passedAll());
        assertEquals("jcstress passed: 112 of 112 planned results passed, 0 failed, 0 soft errors, 0 hard errors",
            report.summary());
    }

    @Test
    void aForbiddenOutcomeFailsTheRunAndItsTableIsKept() {
        JcstressReport report = JcstressReport.parse(FAILED);
        assertFalse(report.passedAll());
        assertEquals(1, report.failedTests());
        assertEquals(0, report.errorTests());
        assertTrue(report.runResults().contains(".......... [FAILED] org.cypclass.stress.ReleaseRace"), report.toString());
        assertEquals("jcstress FAILED: 1 test with FORBIDDEN outcomes, 0 with errors (15 of 16 planned results passed,"
            + " 1 failed, 0 soft errors, 0 hard errors)", report.summary());
    }

    @Test
    void anErringTestFailsTheRun() {
        List<String> lines = PASSED.stream()
            .map(line -> line.equals("  Error tests: No matches.") ? "  Error tests: 2 matching test results." : line).toList();
        JcstressReport report = JcstressReport.parse(lines);
        assertEquals(2, report.errorTests());
        assertFalse(report.passedAll());
    }

    @Test
    void aRunThatDidNotFinishFails() {
        JcstressReport report = JcstressReport.parse(PASSED.subList(0, 4));
        assertFalse(report.finished());
        assertFalse(report.passedAll());
        assertEquals(List.of(), report.runResults());
        assertEquals("jcstress did not finish (23 of 112 planned results passed, 0 failed, 0 soft errors, 0 hard errors)",
            report.summary());
        assertFalse(JcstressReport.parse(List.of()).passedAll(), "nothing printed at all");
    }

    @Test
    void onlyTheCountsLineIsProgress() {
        assertTrue(JcstressReport.isProgress(PASSED.get(2)));
        assertFalse(JcstressReport.isProgress("(Sanity test mode)"));
        assertFalse(JcstressReport.isProgress("  (Results: 1 planned; 1 passed, 0 failed, 0 soft errs, 0 hard errs)"));
    }

    @Test
    void progressRewritesItsLineOnlyOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JcstressRun.Progress terminal = new JcstressRun.Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 0);
        terminal.show("stress: a longer line");
        terminal.show("stress: short");
        terminal.done();
        assertEquals("\rstress: a longer line\rstress: short        \n", bytes.toString(StandardCharsets.UTF_8));

        bytes.reset();
        JcstressRun.Progress pipe = new JcstressRun.Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 0);
        pipe.show("stress: one");
        pipe.show("stress: two");
        pipe.done();
        assertEquals("stress: one\nstress: two\n", bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));

        bytes.reset();
        JcstressRun.Progress quiet = new JcstressRun.Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
            java.util.concurrent.TimeUnit.HOURS.toNanos(1));
        quiet.show("stress: first, printed");
        quiet.show("stress: too soon");
        quiet.show("stress: last, printed at the end");
        quiet.done();
        assertEquals("stress: first, printed\nstress: last, printed at the end\n",
            bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
