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
 * {@code CyType}, static final var handles, accessors, factories, the field dump, the upcall
 * targets of its {@code @CExport} methods) and {@code X.h}, the C view of the instance struct
 * and of its table of exported methods ({@link ExportRules}), next to the generated sources.
 *
 * <p>Declaration errors are compile errors on the offending element: an unsupported field
 * type, a reference to a type that is not a cypclass, a name clash, a wrong superclass, a
 * missing no-argument constructor, a malformed {@code @Init} or {@code @Dealloc} method, a
 * flexible array member that is not the last field, not primitive or not alone, a
 * cypclass extending one that has a flexible array member, a type parameter not bounded by
 * {@code CyObject} or a cypclass (primitives cannot be type arguments: a primitive field needs a
 * concrete type), a generic cypclass with a base, as a base or abstract, and an instance field (its value
 * would live in one Java reference, not in the instance). {@link ModelReader} runs the rules.
 *
 * <p>A generic cypclass, {@code Pair<T extends CyObject, U extends CyObject> extends
 * Cy_Pair<T, U>}, has one layout, one {@code CyType} and one C struct whatever its type
 * arguments: a field typed {@code T} (declared in {@code interface Fields<T extends CyObject,
 * U extends CyObject>}, the nested interface being static) is a reference slot, a pointer in C
 * to the bound's struct. Its store is checked against the bound, as every reference field's is
 * against its declared class, and its getter returns {@code T} by an unchecked cast. The
 * instance records no type arguments: Java erases them, so checking each store against the
 * class of the type argument would need it stored per instance (4 bytes per parameter, a
 * changed C struct, a factory taking {@code Class} arguments) and looked up on every store.
 * Java code cannot pass a non-{@code T} to the setter without a raw type or an unchecked cast,
 * which javac warns of; then, as with any Java generic class, the typed read fails with a
 * {@code ClassCastException} at the caller, and the slot still holds a counted reference.
 *
 * <p>An abstract cypclass (a base whose methods its subclasses implement, Cython+'s pure
 * virtual methods) gets no factory: the generated class declares each one it would have as
 * deprecated for removal, throwing, and {@link InheritedFactoryCheck} makes a call of one a
 * compile error that says the class is abstract. Its subclasses have their own factories.
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
    Annotations.CEXPORT, Annotations.GENERATED})
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
