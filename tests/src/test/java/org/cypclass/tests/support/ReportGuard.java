package org.cypclass.tests.support;

import java.io.IOException;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.platform.commons.annotation.Testable;

/**
 * The build's check that every test ran: run after all test JVMs of the module (Maven's
 * {@code verify} phase), it fails the build when
 * <ul>
 *   <li>a top-level, concrete class of the test classes declares tests (methods annotated
 *       {@code @Test}, {@code @TestFactory}, {@code @ParameterizedTest} or anything else
 *       meta-annotated {@link Testable}, its own, inherited, or of its {@link Nested} classes) but
 *       no Surefire report names it: the class never ran, for example because its name matches
 *       none of Surefire's patterns;</li>
 *   <li>a test engine on the class path ran zero tests in all test JVMs together (counted by
 *       {@link EngineCountListener}).</li>
 * </ul>
 * Both folders of results are emptied before the tests run (see the module's pom), so a report
 * of an earlier build cannot stand in for a class that did not run.
 *
 * <p>Before checking, it prints what the run did: the totals of the Surefire reports
 * ({@link SurefireTotals}) and the verdict of the leak check of each test JVM (the
 * {@code leak-check-PID.txt} files {@link LeakCheckSessionListener} writes beside the engine
 * counts).
 *
 * <p>Arguments: the test classes folder, the Surefire reports folder, the engine counts folder,
 * then the values of {@code -Dtest} and {@code -DskipTests}: when either is set the run was
 * chosen by hand and the check is skipped, saying so.
 */
public final class ReportGuard {

    /** A report's suite name and its test cases' class names. */
    private static final Pattern REPORTED_CLASS = Pattern.compile("(?:<testsuite[^>]*\\sname|classname)=\"([^\"]+)\"");

    /** How the leak check's verdict files of the engine counts folder begin. */
    static final String LEAK_CHECK_PREFIX = "leak-check-";

    private ReportGuard() {
    }

    /**
     * Prints what the test run did and fails the build (exit status 1) if the checks of the
     * class documentation fail.
     *
     * @param args see the class documentation
     * @throws IOException if a folder cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        Path reports = Path.of(args[1]);
        Path engineCounts = Path.of(args[2]);
        String test = args.length > 3 ? args[3] : "";
        String skipTests = args.length > 4 ? args[4] : "";
        if ("true".equals(skipTests)) {
            System.out.println("cypclass report guard: skipped (-DskipTests)");
            return;
        }
        System.out.println("cypclass tests: " + SurefireTotals.read(reports).summary());
        leakCheckVerdicts(engineCounts).forEach(verdict -> System.out.println("cypclass leak check: " + verdict));
        if (isSet(test)) {
            System.out.println("cypclass report guard: skipped (-Dtest chose the tests to run)");
            return;
        }
        List<String> problems = problems(classes, reports, engineCounts);
        if (!problems.isEmpty()) {
            System.err.println("*** CYPCLASS REPORT GUARD FAILED: " + String.join("\n*** ", problems));
            System.exit(1);
        }
        System.out.printf("cypclass report guard: every test class has a report; tests run per engine: %s%n",
            engineCounts(engineCounts));
    }

    /** {@return what is wrong with a test run: unreported test classes, engines that ran nothing; empty if all is well} */
    static List<String> problems(Path classes, Path reports, Path engineCounts) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> reported = reportedClasses(reports);
        List<String> unreported = testClasses(classes).stream().filter(name -> !ran(name, reported)).toList();
        if (!unreported.isEmpty()) {
            problems.add("these test classes declare tests but have no Surefire report: no execution ran them"
                + " (does the name match Surefire's *Test, Test*, *Tests or *TestCase? do its tags match an"
                + " execution's groups?):\n    " + String.join("\n    ", unreported));
        }
        Map<String, Integer> engines = engineCounts(engineCounts);
        if (engines.isEmpty()) {
            problems.add("no test JVM recorded its engines' counts in " + engineCounts
                + " (is EngineCountListener still registered in META-INF/services?)");
        }
        engines.forEach((engine, count) -> {
            if (count == 0) {
                problems.add("the test engine '" + engine + "' is on the class path but ran zero tests");
            }
        });
        return problems;
    }

    private static boolean isSet(String property) {
        return property != null && !property.isBlank() && !property.startsWith("${");
    }

    /** A class ran if a report names it or one of its nested classes. */
    private static boolean ran(String className, Set<String> reported) {
        return reported.contains(className)
            || reported.stream().anyMatch(name -> name.startsWith(className + "$"));
    }

    static Set<String> reportedClasses(Path reports) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(reports)) {
            return names;
        }
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                Matcher matcher = REPORTED_CLASS.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    /** {@return the leak check's verdict of each test JVM that recorded one in {@code folder}} */
    static List<String> leakCheckVerdicts(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> verdicts = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(LEAK_CHECK_PREFIX)).sorted().toList()) {
                verdicts.add(Files.readString(file).strip());
            }
            return verdicts;
        }
    }

    static Map<String, Integer> engineCounts(Path folder) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return counts;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("engines-.*\\.properties")).toList()) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                }
                properties.forEach((engine, count) -> counts.merge((String) engine, Integer.parseInt((String) count), Integer::sum));
            }
        }
        return counts;
    }

    /** The top-level concrete classes under {@code root} that declare tests, by binary name. */
    static List<String> testClasses(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$")).toList()) {
                String relative = root.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".class".length()).replace(file.getFileSystem().getSeparator(), ".");
                Class<?> type;
                try {
                    type = Class.forName(name, false, ReportGuard.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load test class " + name + " to see whether it declares tests", e);
                }
                if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && declaresTests(type)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static boolean declaresTests(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (isTestable(method)) {
                    return true;
                }
            }
        }
        for (Class<?> member : type.getDeclaredClasses()) {
            if (member.isAnnotationPresent(Nested.class) && declaresTests(member)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTestable(AnnotatedElement element) {
        for (Annotation annotation : element.getAnnotations()) {
            Class<? extends Annotation> kind = annotation.annotationType();
            if (kind == Testable.class || kind.isAnnotationPresent(Testable.class)) {
                return true;
            }
        }
        return false;
    }
}
