package org.cypclass.stress.run;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a jcstress run printed, read from its console report (the text jcstress writes to its
 * standard output, kept by {@link JcstressRun} in {@code output.txt}): the counts of its last
 * progress line and, once the run has finished, the sizes of the "Failed tests" and "Error
 * tests" sections of its {@code RUN RESULTS}.
 *
 * <p>A run passed when it finished (printed {@code RUN RESULTS:}), both sections say
 * "No matches.", and its last progress line counts no failure and no error.
 *
 * @param planned     the test results jcstress planned (last progress line; 0 if none was printed)
 * @param passed      the results that passed so far
 * @param failed      the results with a FORBIDDEN outcome
 * @param softErrors  the results that erred without losing the test JVM
 * @param hardErrors  the results whose test JVM failed
 * @param finished    whether jcstress printed its {@code RUN RESULTS}
 * @param failedTests the tests listed under "Failed tests" (0 if the run did not finish)
 * @param errorTests  the tests listed under "Error tests" (0 if the run did not finish)
 * @param runResults  the lines from {@code RUN RESULTS:} to the end, with each failing test's
 *                    outcome table (empty if the run did not finish)
 */
public record JcstressReport(long planned, long passed, long failed, long softErrors, long hardErrors,
                             boolean finished, long failedTests, long errorTests, List<String> runResults) {

    private static final Pattern PROGRESS = Pattern.compile(
        "^\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)$");

    private static final Pattern SECTION = Pattern.compile("^  (Failed|Error) tests: (No matches\\.|(\\d+) matching test results?\\..*)$");

    /** The lines of {@code runResults} are kept as given; the list is copied. */
    public JcstressReport {
        runResults = List.copyOf(runResults);
    }

    /**
     * {@return whether {@code line} is one of jcstress's progress lines (the one with the counts)}
     *
     * @param line a line of jcstress's console output
     */
    public static boolean isProgress(String line) {
        return PROGRESS.matcher(line).matches();
    }

    /**
     * Reads a jcstress console report.
     *
     * @param lines the lines jcstress printed, in order
     * @return what they say; a report of a run that never printed a progress line has all counts 0
     */
    public static JcstressReport parse(List<String> lines) {
        long[] counts = new long[5];
        int runResultsAt = -1;
        long failedTests = 0;
        long errorTests = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher progress = PROGRESS.matcher(line);
            if (progress.matches()) {
                for (int c = 0; c < counts.length; c++) {
                    counts[c] = Long.parseLong(progress.group(c + 1));
                }
            } else if (line.equals("RUN RESULTS:")) {
                runResultsAt = i;
            } else if (runResultsAt >= 0) {
                Matcher section = SECTION.matcher(line);
                if (section.matches()) {
                    long count = section.group(3) == null ? 0 : Long.parseLong(section.group(3));
                    if (section.group(1).equals("Failed")) {
                        failedTests = count;
                    } else {
                        errorTests = count;
                    }
                }
            }
        }
        List<String> runResults = runResultsAt < 0 ? List.of() : lines.subList(runResultsAt, lines.size());
        return new JcstressReport(counts[0], counts[1], counts[2], counts[3], counts[4], runResultsAt >= 0,
            failedTests, errorTests, runResults);
    }

    /** {@return whether the run finished with no failed and no erring test} */
    public boolean passedAll() {
        return finished && failedTests == 0 && errorTests == 0 && failed == 0 && softErrors == 0 && hardErrors == 0;
    }

    /** {@return one line saying how the run went, with its counts} */
    public String summary() {
        String counts = String.format(Locale.ROOT, "%d of %d planned results passed, %d failed, %d soft errors, %d hard errors",
            passed, planned, failed, softErrors, hardErrors);
        if (!finished) {
            return "jcstress did not finish (" + counts + ")";
        }
        if (passedAll()) {
            return "jcstress passed: " + counts;
        }
        return String.format(Locale.ROOT, "jcstress FAILED: %d test%s with FORBIDDEN outcomes, %d with errors (%s)", failedTests,
            failedTests == 1 ? "" : "s", errorTests, counts);
    }
}
