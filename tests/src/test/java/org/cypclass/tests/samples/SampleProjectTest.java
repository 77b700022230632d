package org.cypclass.tests.samples;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.checkerframework.checker.mustcall.qual.Owning;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample project {@code samples/hello} as an application would build it: compiled with
 * {@code -Xlint:all -Werror} against the library's artifacts, with {@code cypclass-processor}
 * on the processor path, once as a module (its {@code module-info.java} requires only
 * {@code org.cypclass.objects}) and once on the class path, then run; and once more with the
 * processor on the processor module path. The artifacts are the
 * reactor's jars when {@code verify} packaged them, else its class folders (same content), so
 * the test needs no local Maven repository and no network. README's "Use it in your project"
 * shows the sample's pom and sources; the last tests check that it still does.
 */
class SampleProjectTest {

    private static final Path ROOT = Gcc.repoRoot();
    private static final Path SAMPLE = ROOT.resolve("samples/hello");
    private static final String MAIN = "org.example.hello.Hello";
    private static final String OUTPUT = "count: 42\nservice count: 3\nlive blocks: 0\n";

    @TempDir
    Path output;

    /** The reactor's artifact of a module: its jar if packaged, else its class folder. */
    private static Path artifact(String module) throws IOException {
        Path target = ROOT.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().matches("cypclass-" + module + "-[^-]+(-SNAPSHOT)?\\.jar"))
                .toList();
            if (jars.size() == 1) {
                return jars.getFirst();
            }
        }
        Path classes = target.resolve("classes");
        assertTrue(Files.isDirectory(classes), "build the library first: no " + classes);
        return classes;
    }

    /** The annotations' jar (checker-qual), which the generated code and the sample's own service name. */
    private static Path checkerQual() throws URISyntaxException {
        return Path.of(Owning.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String path(Path... entries) {
        return String.join(java.io.File.pathSeparator, Stream.of(entries).map(Path::toString).toList());
    }

    private static List<Path> sources(boolean withModuleInfo) throws IOException {
        try (Stream<Path> files = Files.walk(SAMPLE.resolve("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                .filter(f -> withModuleInfo || !f.getFileName().toString().equals("module-info.java")).sorted().toList();
        }
    }

    /** Compiles the sample as the sample's pom does (-Xlint:all -Werror) and fails on any warning or error. */
    private void compile(Path classes, List<String> libraryOptions, boolean withModuleInfo) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path generated = output.resolve("generated-" + classes.getFileName());
        List<String> options = new ArrayList<>(List.of("--release", "25", "-Xlint:all", "-Werror", "-d", classes.toString(),
            "-s", generated.toString(), "--processor-path", artifact("processor").toString()));
        options.addAll(libraryOptions);
        Files.createDirectories(generated);
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, options, null,
                files.getJavaFileObjectsFromPaths(sources(withModuleInfo))).call();
            List<String> reported = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                .map(d -> d.getKind() + ": " + d.getMessage(Locale.ROOT)).toList();
            assertEquals(List.of(), reported, "the sample compiles without a warning");
            assertTrue(ok, diagnostics.getDiagnostics()::toString);
        }
        assertTrue(Files.isRegularFile(classes.resolve("org/example/hello/Cy_Counter.class")), "the processor ran");
    }

    /** Runs the sample in a JVM of its own and returns what it printed. */
    private static String run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the sample ended");
        assertEquals(0, process.exitValue(), printed);
        return printed;
    }

    @Test
    void theSampleCompilesAndRunsAsAModule() throws Exception {
        Path classes = output.resolve("module");
        String library = path(artifact("memory"), artifact("objects"), checkerQual());
        compile(classes, List.of("--module-path", library), true);
        String printed = run(List.of("--enable-native-access=org.cypclass.memory", "--module-path", path(classes) + java.io.File.pathSeparator
            + library, "--module", "org.example.hello/" + MAIN));
        assertEquals(OUTPUT, printed.replace("\r\n", "\n"));
    }

    @Test
    void theSampleCompilesAndRunsOnTheClassPath() throws Exception {
        Path classes = output.resolve("classpath");
        String library = path(artifact("memory"), artifact("objects"), checkerQual());
        compile(classes, List.of("-classpath", library), false);
        String printed = run(List.of("--enable-native-access=ALL-UNNAMED", "-cp", path(classes) + java.io.File.pathSeparator + library,
            MAIN));
        assertEquals(OUTPUT, printed.replace("\r\n", "\n"));
    }

    @Test
    void theProcessorAlsoWorksFromTheProcessorModulePath() throws Exception {
        // As a module, the processor is found through its module-info's provides clause. The
        // javac command, not the compiler API: through the API, in this test JVM, javac did not
        // find the processor on --processor-module-path (the javac command does; not looked into).
        Path classes = output.resolve("processor-module-path");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
            "--release", "25", "-Xlint:all", "-Werror", "-d", classes.toString(), "-s", output.resolve("generated-pmp").toString(),
            "--module-path", path(artifact("memory"), artifact("objects"), checkerQual()),
            "--processor-module-path", artifact("processor").toString()));
        sources(true).forEach(source -> command.add(source.toString()));
        Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(javac.waitFor(120, TimeUnit.SECONDS), "javac ended");
        assertEquals(0, javac.exitValue(), printed);
        assertEquals("", printed, "no warning");
        assertTrue(Files.isRegularFile(classes.resolve("org/example/hello/Cy_Counter.class")), "the processor ran");
    }

    /** The fenced blocks of a language under README's "Use it in your project" heading. */
    private static List<String> readmeBlocks(String language) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Use it in your project\n");
        assertTrue(start >= 0, "README has a section 'Use it in your project'");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertTrue(!blocks.isEmpty(), "README's section shows " + language);
        return blocks;
    }

    private static List<String> trimmedLines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void readmeShowsTheSamplesPom() throws IOException {
        List<String> pom = trimmedLines(Files.readString(SAMPLE.resolve("pom.xml")));
        for (String block : readmeBlocks("xml")) {
            List<String> shown = trimmedLines(block);
            assertTrue(java.util.Collections.indexOfSubList(pom, shown) >= 0,
                "README's pom snippet is not in samples/hello/pom.xml as shown:\n" + block);
        }
        // The sample uses the library's current version.
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>cypclass-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(parent);
        assertTrue(version.find());
        assertTrue(pom.contains("<cypclass.version>" + version.group(1) + "</cypclass.version>"),
            "samples/hello/pom.xml uses cypclass.version " + version.group(1));
    }

    @Test
    void readmeShowsTheSamplesSources() throws IOException {
        List<String> sourceLines = new ArrayList<>();
        for (Path source : sources(true)) {
            sourceLines.addAll(trimmedLines(Files.readString(source)));
        }
        for (String block : readmeBlocks("java")) {
            for (String line : trimmedLines(block)) {
                if (!line.startsWith("//") && !line.equals("...")) {
                    assertTrue(sourceLines.contains(line), "README shows '" + line + "', which is in no source of samples/hello");
                }
            }
        }
    }
}
