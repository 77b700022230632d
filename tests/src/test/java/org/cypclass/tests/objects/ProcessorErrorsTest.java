package org.cypclass.tests.objects;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.cypclass.objects.processor.CypclassProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Declaration errors are compile errors that point at the offending element. */
class ProcessorErrorsTest {

    @TempDir
    Path output;

    private List<Diagnostic<? extends JavaFileObject>> compile(String name, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///demo/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
            List.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString(), "-s", output.toString(),
                "-proc:only"),
            null, List.of(file));
        task.setProcessors(List.of(new CypclassProcessor()));
        task.call();
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d);
            }
        }
        return errors;
    }

    private void assertError(String name, String source, String expected, String atLineContaining) {
        List<Diagnostic<? extends JavaFileObject>> errors = compile(name, source);
        Diagnostic<? extends JavaFileObject> error = errors.stream()
            .filter(d -> d.getMessage(Locale.ROOT).contains(expected)).findFirst()
            .orElseThrow(() -> new AssertionError("no error containing '" + expected + "' in " + errors));
        String line = source.lines().toList().get((int) error.getLineNumber() - 1);
        assertTrue(line.contains(atLineContaining), "the error points at '" + line + "', expected the line with '" + atLineContaining + "'");
    }

    private static String cypclass(String name, String fields, String body) {
        return """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class %1$s extends Cy_%1$s {
                interface Fields {
            %2$s
                }
            %3$s
            }
            """.formatted(name, fields, body);
    }

    @Test
    void aFieldOfANonCypclassTypeIsAnError() {
        assertError("Bad1", cypclass("Bad1", "        String name();", ""), "not a @Cypclass", "String name()");
    }

    @Test
    void anUnsupportedArrayTypeIsAnError() {
        assertError("Bad2", cypclass("Bad2", "        @Length(2) String[] names();", ""), "unsupported field type", "String[] names()");
    }

    @Test
    void anArrayWithoutLengthIsAnError() {
        assertError("Bad3", cypclass("Bad3", "        int[] xs();", ""), "needs its length", "int[] xs()");
    }

    @Test
    void aMethodClashingWithAFieldIsAnError() {
        assertError("Bad4", cypclass("Bad4", "        int value();", "    public int value() { return 1; }"),
            "clashes with the accessors", "public int value()");
    }

    @Test
    void aReservedFieldNameIsAnError() {
        assertError("Bad5", cypclass("Bad5", "        int close();", ""), "reserved", "int close()");
    }

    @Test
    void aWrongSuperclassIsAnError() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class Bad6 {
            }
            """;
        assertError("Bad6", source, "must extend the generated class Cy_Bad6", "public class Bad6");
    }

    @Test
    void aBadInitIsAnError() {
        assertError("Bad7", cypclass("Bad7", "        int x();", "    @Init private void init(int x) { }"),
            "an @Init method returns void", "private void init");
    }

    @Test
    void aValidDeclarationCompilesCleanly() {
        assertEquals(List.of(), compile("Good", cypclass("Good", "        int x();\n        @Length(4) byte[] b();\n        Good next();",
            "    @Init void init(int x) { }")));
    }
}
