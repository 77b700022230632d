package org.cypclass.tests.objects;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.cypclass.processor.CypclassProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Declaration errors are compile errors that point at the offending element. */
class ProcessorErrorsTest {

    @TempDir
    Path output;

    private List<Diagnostic<? extends JavaFileObject>> compile(String name, String source) {
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics(name, source, "-proc:only")) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d);
            }
        }
        return errors;
    }

    /** Every diagnostic of compiling one source file with the processor and the given options. */
    private List<Diagnostic<? extends JavaFileObject>> diagnostics(String name, String source, String... options) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///demo/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
            Stream.concat(Stream.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString(),
                "-s", output.toString()), Stream.of(options)).toList(),
            null, List.of(file));
        task.setProcessors(List.of(new CypclassProcessor()));
        task.call();
        return diagnostics.getDiagnostics();
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
    void anExportedMethodWithAParameterCHasNoTwinForIsAnError() {
        assertError("Exp1", cypclass("Exp1", "        int x();", "    @CExport int m(String name) { return 0; }"),
            "has no C twin", "@CExport int m(String name)");
    }

    @Test
    void anExportedStaticOrPrivateMethodIsAnError() {
        assertError("Exp2", cypclass("Exp2", "        int x();", "    @CExport static int m() { return 0; }"),
            "is an instance method", "@CExport static int m()");
        assertError("Exp3", cypclass("Exp3", "        int x();", "    @CExport private int m() { return 0; }"),
            "is an instance method", "@CExport private int m()");
    }

    @Test
    void twoExportsOfOneCNameOrACKeywordAreErrors() {
        assertError("Exp4", cypclass("Exp4", "        int x();",
            "    @CExport int m() { return 0; }\n    @CExport(name = \"m\") int n() { return 0; }"),
            "the C name m is taken", "int n()");
        assertError("Exp5", cypclass("Exp5", "        int x();", "    @CExport(name = \"register\") int m() { return 0; }"),
            "not a C identifier", "int m()");
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
    void aReferenceArrayWithoutLengthIsAnError() {
        // Without @Length an array is the flexible array member, which holds primitives only.
        assertError("Bad3", cypclass("Bad3", "        Bad3[] xs();", ""), "needs its length", "Bad3[] xs()");
    }

    @Test
    void anArrayOfZeroLengthIsAnError() {
        assertError("Bad3z", cypclass("Bad3z", "        @Length(0) int[] xs();", ""), "must be at least 1", "int[] xs()");
    }

    @Test
    void aReferenceArrayOfANonCypclassIsAnError() {
        assertError("Bad3r", cypclass("Bad3r", "        @Length(2) Object[] xs();", ""), "is not a @Cypclass", "Object[] xs()");
    }

    @Test
    void aFlexibleArrayMemberThatIsNotLastIsAnError() {
        assertError("Fam1", cypclass("Fam1", "        double[] data();\n        int count();", ""),
            "flexible array member data[] must be the last field", "double[] data()");
    }

    @Test
    void twoFlexibleArrayMembersAreAnError() {
        assertError("Fam2", cypclass("Fam2", "        double[] xs();\n        long[] ys();", ""),
            "at most one flexible array member", "long[] ys()");
    }

    @Test
    void aFlexibleArrayOfBooleanIsAnError() {
        assertError("Fam3", cypclass("Fam3", "        boolean[] flags();", ""), "cannot hold boolean", "boolean[] flags()");
    }

    @Test
    void extendingACypclassWithAFlexibleArrayMemberIsAnError() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass(base = FamBase.class)
            public class Fam4 extends Cy_Fam4 {
            }
            @Cypclass
            class FamBase extends Cy_FamBase {
                interface Fields {
                    double[] data();
                }
            }
            """;
        assertError("Fam4", source, "cannot extend demo.FamBase: it ends with the flexible array member data[]", "public class Fam4");
    }

    @Test
    void aFieldTakingAFlexibleArrayAccessorNameIsAnError() {
        assertError("Fam5", cypclass("Fam5", "        long dataLength();\n        double[] data();", ""),
            "needs the name dataLength", "double[] data()");
        assertError("Fam6", cypclass("Fam6", "        int data_length();\n        double[] data();", ""),
            "needs the name data_length", "double[] data()");
    }

    @Test
    void aMethodTakingAFlexibleArrayAccessorNameIsAnError() {
        assertError("Fam7", cypclass("Fam7", "        double[] data();", "    public int dataView() { return 1; }"),
            "clashes with the accessors of the field data", "public int dataView()");
    }

    @Test
    void anInitParameterNamedLikeTheElementCountIsAnError() {
        assertError("Fam8", cypclass("Fam8", "        double[] data();", "    @Init void init(long dataLength) { }"),
            "clashes with the element count", "void init(long dataLength)");
    }

    @Test
    void flexibleArrayMembersAndReferenceArraysCompileCleanly() {
        assertEquals(List.of(), compile("Good2", cypclass("Good2",
            "        int x();\n        @Length(2) Good2[] kids();\n        float[] data();", "    @Init void init(int x) { }")));
        assertEquals(List.of(), compile("Good3", cypclass("Good3", "        char[] text();", "")), "a flexible array member alone");
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

    @Test
    void anUnboundedTypeParameterIsAnError() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class Box<T> extends Cy_Box<T> {
            }
            """;
        assertError("Box", source, "the type parameter T of @Cypclass Box must extend CyObject or a non-generic cypclass",
            "public class Box<T>");
        assertError("Box", source, "primitives cannot be type arguments, so a primitive field needs a concrete type", "Box<T>");
        // Not the misleading complaint about the superclass.
        assertTrue(compile("Box", source).stream().noneMatch(d -> d.getMessage(Locale.ROOT).contains("must extend the generated")));
    }

    @Test
    void aTypeParameterBoundedByANonCypclassIsAnError() {
        // A boxed primitive, the closest Java has to a primitive type argument, and a plain class.
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class NumBox<N extends Number, S extends java.io.Serializable> extends Cy_NumBox<N, S> {
            }
            """;
        assertError("NumBox", source, "the type parameter N of @Cypclass NumBox must extend CyObject", "NumBox<N extends Number");
        assertError("NumBox", source, "not java.lang.Number", "NumBox<N extends Number");
        assertError("NumBox", source, "the type parameter S of @Cypclass NumBox must extend CyObject", "NumBox<N extends Number");
        // One error per type parameter (and javac's own about Cy_NumBox, which was not generated).
        List<Diagnostic<? extends JavaFileObject>> errors = compile("NumBox", source);
        assertEquals(2, errors.stream().filter(d -> d.getMessage(Locale.ROOT).contains("type parameter")).count(), errors::toString);
    }

    @Test
    void aGenericCypclassCompilesCleanly() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class Duo2<A extends CyObject, B extends Duo2Leaf> extends Cy_Duo2<A, B> {
                interface Fields<A extends CyObject, B extends Duo2Leaf> {
                    A first();
                    B second();
                    @Length(2) A[] more();
                    long weight();
                    double[] data();
                }
                @Init void init(A first, B second) { first(first); second(second); }
                static long use(Duo2Leaf leaf) {
                    try (Duo2<Duo2Leaf, Duo2Leaf> duo = Duo2.create(3, leaf, leaf)) {
                        duo.data(2, 1.5);
                        Duo2Leaf typed = duo.first();
                        return typed.x() + duo.second().x();
                    }
                }
            }
            @Cypclass
            class Duo2Leaf extends Cy_Duo2Leaf {
                interface Fields {
                    long x();
                }
            }
            """;
        List<Diagnostic<? extends JavaFileObject>> all = diagnostics("Duo2", source, "-Xlint:all", "-Xlint:-processing",
            "-Xlint:-auxiliaryclass");
        assertEquals(List.of(), all.stream().filter(d -> d.getKind() != Diagnostic.Kind.NOTE).toList(), "no error, no warning");
    }

    @Test
    void aFieldsInterfaceWithoutTheTypeParametersIsAnError() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class Duo3<A extends CyObject> extends Cy_Duo3<A> {
                interface Fields<A> {
                    A first();
                }
            }
            """;
        assertError("Duo3", source, "the field first has type A, which is not a type parameter of Duo3 with the same bound",
            "A first();");
        assertError("Duo3", source, "interface Fields<A extends org.cypclass.objects.CyObject>", "A first();");
    }

    @Test
    void aFieldWhoseTypeArgumentsNameATypeParameterIsAnError() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class Duo4<A extends CyObject> extends Cy_Duo4<A> {
                interface Fields<A extends CyObject> {
                    A first();
                    Duo4<A> next();
                }
            }
            """;
        assertError("Duo4", source, "the field next has type demo.Duo4<A>, whose type arguments name a type parameter",
            "Duo4<A> next();");
    }

    @Test
    void aTypeVariableFieldInAPlainCypclassIsAnError() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class Plain extends Cy_Plain {
                interface Fields<T extends CyObject> {
                    T first();
                }
            }
            """;
        assertError("Plain", source, "the field first has type T, but Plain has no type parameter", "T first();");
    }

    @Test
    void aGenericCypclassCannotBeAbstract() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public abstract class AbsGen<T extends CyObject> extends Cy_AbsGen<T> {
            }
            """;
        assertError("AbsGen", source, "a generic cypclass cannot be abstract", "public abstract class AbsGen");
    }

    @Test
    void aGenericCypclassCannotExtendOrBeABase() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass(base = GenBase.class)
            public class GenSub extends Cy_GenSub {
            }
            @Cypclass
            class GenBase<T extends CyObject> extends Cy_GenBase<T> {
            }
            """;
        assertError("GenSub", source, "a generic cypclass can neither extend nor be the base of another cypclass",
            "public class GenSub");
    }

    @Test
    void creatingAnAbstractCypclassIsACompileError() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public abstract class Fig extends Cy_Fig {
                interface Fields {
                    double scale();
                }
                @Init void init(double scale) { scale(scale); }
                public abstract double area();
                static void use() {
                    try (Fig fig = Fig.create(2.0)) { }
                    try (Sq sq = Sq.create(2.0, 3.0)) { }
                }
            }
            @Cypclass(base = Fig.class)
            class Sq extends Cy_Sq {
                interface Fields {
                    double side();
                }
                @Init void init(double scale, double side) { init(scale); side(side); }
                @Override public double area() { return scale() * side() * side(); }
            }
            """;
        List<Diagnostic<? extends JavaFileObject>> all = diagnostics("Fig", source, "-Xlint:-try");
        List<Diagnostic<? extends JavaFileObject>> errors = all.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
        assertEquals(1, errors.size(), all::toString);
        assertTrue(errors.getFirst().getMessage(Locale.ROOT).startsWith("Fig is an abstract cypclass: it has no factory"),
            errors::toString);
        assertTrue(source.lines().toList().get((int) errors.getFirst().getLineNumber() - 1).contains("Fig.create(2.0)"));
    }

    @Test
    void anInstanceFieldIsAnErrorAndAStaticFieldIsNot() {
        String source = cypclass("Fld", "        int x();", "    int count;\n    static int shared;\n    static final String NAME = \"f\";");
        assertError("Fld", source, "may not have the instance field count", "int count;");
        assertError("Fld", source, "declare it in the nested Fields interface, as int count();", "int count;");
        // One error for the one instance field, none for the static ones.
        assertEquals(1, compile("Fld", source).stream().filter(d -> d.getMessage(Locale.ROOT).contains("field")).count());
    }

    @Test
    void aSubclassCallingItsBaseFactoryIsACompileError() {
        // Java inherits static methods: without a hiding factory, Sub.create(7) would compile and
        // return a Base. Sub's own factory, create(int, double), is fine.
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass(base = Base.class)
            public class Sub extends Cy_Sub {
                interface Fields {
                    double r();
                }
                @Init void init(int id, double r) { init(id); r(r); }
                static void use() {
                    try (Sub sub = Sub.create(7)) { }
                    try (Sub sub = Sub.create(7, 1.0)) { }
                    java.util.function.IntFunction<Sub> factory = Sub::create;
                    try (Base base = Base.create(7)) { }
                }
            }
            @Cypclass
            class Base extends Cy_Base {
                interface Fields {
                    int id();
                }
                @Init void init(int id) { id(id); }
            }
            """;
        List<Diagnostic<? extends JavaFileObject>> all = diagnostics("Sub", source, "-Xlint:-try");
        List<Diagnostic<? extends JavaFileObject>> errors = all.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
        assertEquals(2, errors.size(), all::toString);
        assertTrue(errors.getFirst().getMessage(Locale.ROOT).startsWith("Sub.create(int) is not a factory of Sub: Java inherits"
            + " static methods"), errors::toString);
        assertTrue(source.lines().toList().get((int) errors.get(0).getLineNumber() - 1).contains("Sub.create(7))"), errors::toString);
        assertTrue(source.lines().toList().get((int) errors.get(1).getLineNumber() - 1).contains("Sub::create"), errors::toString);
        // Any compiler also warns: the hiding factory is deprecated for removal.
        assertTrue(all.stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.MANDATORY_WARNING
            && d.getMessage(Locale.ROOT).contains("create(int) in demo.Cy_Sub has been deprecated and marked for removal")),
            all::toString);
    }

    @Test
    void aHashMethodWithAnArgumentIsAnError() {
        assertError("Key1", cypclass("Key1", "        long x();",
            "    @Hash long hash(int seed) { return x(); }\n    @Equals boolean equals(Key1 other) { return x() == other.x(); }"),
            "a @Hash method takes no argument, returns long or int", "long hash(int seed)");
    }

    @Test
    void aHashMethodReturningAnotherTypeIsAnError() {
        assertError("Key2", cypclass("Key2", "        long x();",
            "    @Hash double hash() { return x(); }\n    @Equals boolean equals(Key2 other) { return x() == other.x(); }"),
            "a @Hash method takes no argument, returns long or int", "double hash()");
    }

    @Test
    void aPrivateOrStaticHashMethodIsAnError() {
        assertError("Key3", cypclass("Key3", "        long x();",
            "    @Hash private long hash() { return x(); }\n    @Equals boolean equals(Key3 other) { return x() == other.x(); }"),
            "is neither private nor static: long hash()", "private long hash()");
        assertError("Key4", cypclass("Key4", "        long x();",
            "    @Hash static long hash() { return 1; }\n    @Equals boolean equals(Key4 other) { return x() == other.x(); }"),
            "is neither private nor static: long hash()", "static long hash()");
    }

    @Test
    void anEqualsMethodOfAnotherTypeIsAnError() {
        assertError("Key5", cypclass("Key5", "        long x();",
            "    @Hash long hash() { return x(); }\n    @Equals boolean equals(Object other) { return false; }"),
            "an @Equals method takes one argument of its own class, returns boolean", "boolean equals(Object other)");
        assertError("Key6", cypclass("Key6", "        long x();",
            "    @Hash long hash() { return x(); }\n    @Equals int equals(Key6 other) { return 0; }"),
            "boolean equals(Key6 other)", "int equals(Key6 other)");
        assertError("Key7", cypclass("Key7", "        long x();",
            "    @Hash long hash() { return x(); }\n    @Equals boolean same(Key7 a, Key7 b) { return a == b; }"),
            "an @Equals method takes one argument of its own class", "boolean same(Key7 a, Key7 b)");
    }

    @Test
    void aHashWithoutEqualsAndAnEqualsWithoutHashAreErrors() {
        assertError("Key8", cypclass("Key8", "        long x();", "    @Hash long hash() { return x(); }"),
            "a @Hash method needs an @Equals method beside it", "long hash()");
        assertError("Key9", cypclass("Key9", "        long x();", "    @Equals boolean equals(Key9 other) { return true; }"),
            "an @Equals method needs a @Hash method beside it", "boolean equals(Key9 other)");
    }

    @Test
    void twoHashMethodsAreAnError() {
        assertError("KeyA", cypclass("KeyA", "        long x();",
            "    @Hash long hash() { return x(); }\n    @Hash int other() { return 1; }\n"
                + "    @Equals boolean equals(KeyA other) { return x() == other.x(); }"),
            "at most one @Hash method", "int other()");
    }

    @Test
    void keyMethodsOfAPlainAndOfAGenericCypclassCompileWithoutWarnings() {
        String source = """
            package demo;
            import org.cypclass.objects.*;
            @Cypclass
            public class KeyB<T extends CyObject> extends Cy_KeyB<T> {
                interface Fields<T extends CyObject> {
                    T item();
                    long id();
                }
                @Hash int hash() { return (int) id(); }
                @Equals boolean equals(KeyB<T> other) { return id() == other.id(); }
            }
            @Cypclass
            class KeyC extends Cy_KeyC {
                interface Fields {
                    long id();
                }
                @Hash protected long hash() { return id(); }
                @Equals public boolean same(KeyC other) { return id() == other.id(); }
            }
            """;
        List<Diagnostic<? extends JavaFileObject>> all = diagnostics("KeyB", source, "-Xlint:all", "-Xlint:-processing",
            "-Xlint:-auxiliaryclass");
        assertEquals(List.of(), all.stream().filter(d -> d.getKind() != Diagnostic.Kind.NOTE).toList(), "no error, no warning");
    }
}
