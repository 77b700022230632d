package org.cypclass.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The totals of a folder of Surefire XML reports ({@code TEST-*.xml}, one per test class and
 * test JVM): what {@link ReportGuard} prints at the end of a test run, so that the run's outcome
 * reads in one line after Maven's per-class lines.
 *
 * @param classes  the reports read (a class run in two test JVMs counts twice)
 * @param tests    the tests they count
 * @param failures the tests that failed an assertion
 * @param errors   the tests that threw
 * @param skipped  the tests skipped (disabled or aborted by an assumption)
 * @param failing  the reports ({@code testsuite} names) with a failure or an error, in name order
 */
public record SurefireTotals(int classes, long tests, long failures, long errors, long skipped, List<String> failing) {

    /** A {@code <testsuite ...>} start tag. */
    private static final Pattern SUITE = Pattern.compile("<testsuite\\s([^>]*)>");

    /** The list of failing reports is copied. */
    public SurefireTotals {
        failing = List.copyOf(failing);
    }

    /**
     * Adds up the reports of a folder.
     *
     * @param reports Surefire's reports folder; a missing folder counts as no report
     * @return the totals
     * @throws IOException if a report cannot be read
     * @throws IllegalArgumentException if a report has no {@code testsuite} element
     */
    public static SurefireTotals read(Path reports) throws IOException {
        if (!Files.isDirectory(reports)) {
            return new SurefireTotals(0, 0, 0, 0, 0, List.of());
        }
        int classes = 0;
        long[] totals = new long[4];
        List<String> failing = new ArrayList<>();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                Matcher suite = SUITE.matcher(Files.readString(file));
                if (!suite.find()) {
                    throw new IllegalArgumentException(file + " is not a Surefire report: no <testsuite> element");
                }
                String attributes = suite.group(1);
                long failures = attribute(attributes, "failures");
                long errors = attribute(attributes, "errors");
                totals[0] += attribute(attributes, "tests");
                totals[1] += failures;
                totals[2] += errors;
                totals[3] += attribute(attributes, "skipped");
                classes++;
                if (failures + errors > 0) {
                    Matcher name = Pattern.compile("\\bname=\"([^\"]*)\"").matcher(attributes);
                    failing.add(name.find() ? name.group(1) : file.getFileName().toString());
                }
            }
        }
        return new SurefireTotals(classes, totals[0], totals[1], totals[2], totals[3], failing);
    }

    private static long attribute(String attributes, String name) {
        Matcher value = Pattern.compile("\\b" + name + "=\"(\\d+)\"").matcher(attributes);
        return value.find() ? Long.parseLong(value.group(1)) : 0;
    }

    /** {@return the totals in one line, naming the failing classes if there are any} */
    public String summary() {
        String counts = String.format(Locale.ROOT, "%,d tests in %d reports: %,d passed, %,d failed, %,d erred, %,d skipped",
            tests, classes, tests - failures - errors - skipped, failures, errors, skipped);
        return failing.isEmpty() ? counts : counts + "; failing: " + String.join(", ", failing);
    }
}
