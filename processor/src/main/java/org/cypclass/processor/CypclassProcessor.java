package org.cypclass.processor;

import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.Set;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * The annotation processor behind {@code @Cypclass}: for each annotated class {@code X} it
 * checks the declaration and generates {@code Cy_X} (the layout in C ABI order, the
 * {@code CyType}, static final var handles, accessors, factories, the field dump) and
 * {@code X.h}, the C view of the instance struct, next to the generated sources.
 *
 * <p>Declaration errors are compile errors on the offending element: an unsupported field
 * type, a reference to a type that is not a cypclass, a name clash, a wrong superclass, a
 * missing no-argument constructor, a malformed {@code @Init} or {@code @Dealloc} method, a
 * flexible array member that is not the last field, not primitive or not alone, a
 * cypclass extending one that has a flexible array member, a generic cypclass, and an instance
 * field (its value would live in one Java reference, not in the instance). {@link ModelReader}
 * runs the rules.
 *
 * <p>Java inherits static methods, so a subclass would inherit its bases' factories:
 * {@code Circle.create(7)} would make a {@code Shape}. The generated class hides each such
 * factory with one that is deprecated for removal and throws
 * {@code UnsupportedOperationException}, and {@link InheritedFactoryCheck} makes every call of
 * one a compile error (under javac; elsewhere the removal warning remains).
 *
 * <p>It claims the library's annotations, {@code @Generated} on its own output included, and the
 * Resource Leak Checker's, which every cypclass carries ({@code @InheritableMustCall} inherited
 * from {@code CyObject}, {@code @NotOwning} on generated getters), so a build with
 * {@code -Xlint:all -Werror} gets no "no processor claimed" warning for them. It claims nothing
 * when a Checker Framework checker is on the processor path: javac offers a round to the
 * processors in turn only while some annotation is unclaimed, and a checker that misses the first
 * round never checks the sources of that round, whatever order {@code -processor} lists. It
 * lives in its own module and artifact ({@code cypclass-processor}), which goes on the
 * compiler's processor path only: the runtime module does not read {@code java.compiler}.
 *
 * <p>Thread-safety: javac drives a processor from one thread.
 */
@SupportedAnnotationTypes({Annotations.CYPCLASS, Annotations.INIT, Annotations.DEALLOC, Annotations.LENGTH,
    Annotations.GENERATED})
public final class CypclassProcessor extends AbstractProcessor {

    private ModelReader reader;
    /** Whether {@link #process} claims its annotations: unless a Checker Framework checker may run. */
    private final boolean claims;

    /** Creates the processor; javac does this. */
    public CypclassProcessor() {
        ClassLoader path = CypclassProcessor.class.getClassLoader();
        claims = path == null || path.getResource(Annotations.CHECKER_FRAMEWORK) == null;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        reader = new ModelReader(env);
        InheritedFactoryCheck.install(env);
        org.cypclass.processor.rules.CapabilityChecks.install(env);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> types = new HashSet<>(super.getSupportedAnnotationTypes());
        if (claims) {
            types.addAll(Annotations.LEAK_CHECKER);
        }
        return Set.copyOf(types);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement cypclass = processingEnv.getElementUtils().getTypeElement(Annotations.CYPCLASS);
        if (cypclass == null) {
            // The processor is on the processor path, but the library is not on the compile path.
            return false;
        }
        Problems problems = new Problems(processingEnv.getMessager());
        for (Element element : round.getElementsAnnotatedWith(cypclass)) {
            if (element.getKind() != ElementKind.CLASS) {
                problems.error(element, "@Cypclass applies to classes only");
                continue;
            }
            CypclassModel model = reader.read((TypeElement) element);
            if (model != null) {
                write(model, (TypeElement) element, problems);
            }
        }
        return claims;
    }

    /** Writes {@code Cy_X.java} and {@code X.h} for a cypclass {@code X}, each with {@code X} as its originating element. */
    private void write(CypclassModel model, TypeElement type, Problems problems) {
        String prefix = model.packageName().isEmpty() ? "" : model.packageName() + ".";
        try {
            JavaFileObject source = processingEnv.getFiler().createSourceFile(prefix + model.generatedName(), type);
            try (Writer out = source.openWriter()) {
                out.write(new SourceWriter(model).write());
            }
            FileObject header = processingEnv.getFiler().createResource(StandardLocation.SOURCE_OUTPUT,
                model.packageName(), model.simpleName() + ".h", type);
            try (Writer out = header.openWriter()) {
                out.write(new CHeaderWriter(model).write());
            }
        } catch (IOException e) {
            problems.error(type, "cannot write the generated files of " + model.qualifiedName() + ": " + e.getMessage());
        }
    }
}
