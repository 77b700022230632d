package org.cypclass.processor;

import java.util.List;
import java.util.Map;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The library's annotations, read from javac's elements by their qualified names: the processor
 * depends on no module of the library, so it never loads the annotation classes themselves.
 */
final class Annotations {

    static final String CYPCLASS = "org.cypclass.objects.Cypclass";
    static final String INIT = "org.cypclass.objects.Init";
    static final String DEALLOC = "org.cypclass.objects.Dealloc";
    static final String LENGTH = "org.cypclass.objects.Length";
    static final String HASH = "org.cypclass.objects.Hash";
    static final String EQUALS = "org.cypclass.objects.Equals";
    static final String CEXPORT = "org.cypclass.objects.CExport";
    static final String GENERATED = "org.cypclass.objects.generated.Generated";
    /**
     * The Resource Leak Checker's annotations: {@code @NotOwning} on generated getters,
     * {@code @InheritableMustCall} (inherited from {@code CyObject}) on every cypclass, and what
     * users write ({@code @Owning}, {@code @EnsuresCalledMethods}).
     */
    static final List<String> LEAK_CHECKER = List.of("org.checkerframework.checker.mustcall.qual.*",
        "org.checkerframework.checker.calledmethods.qual.*");
    /** A class of every Checker Framework checker, found on the processor path when one is there. */
    static final String CHECKER_FRAMEWORK = "org/checkerframework/framework/source/SourceChecker.class";
    static final String CYOBJECT = "org.cypclass.objects.CyObject";

    private Annotations() {
    }

    /** {@return the annotation of that qualified name on an element, or null} */
    static AnnotationMirror find(Element element, String name) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(name)) {
                return mirror;
            }
        }
        return null;
    }

    /** {@return whether an element carries the annotation of that qualified name} */
    static boolean has(Element element, String name) {
        return find(element, name) != null;
    }

    /**
     * Whether a type is a cypclass: annotated {@code @Cypclass}, as the field check decides it.
     * Never a subtype test: asking javac for the supertypes of a class whose generated superclass
     * does not exist yet would fix its superclass as erroneous for the rest of the compilation.
     */
    static boolean isCypclass(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED && has(((DeclaredType) type).asElement(), CYPCLASS);
    }

    /** {@return the base cypclass named by {@code @Cypclass(base = ...)}, or null for none or {@code CyObject}} */
    static TypeElement baseOf(TypeElement type) {
        AnnotationMirror cypclass = find(type, CYPCLASS);
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : cypclass.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("base") && entry.getValue().getValue() instanceof DeclaredType declared) {
                TypeElement base = (TypeElement) declared.asElement();
                return base.getQualifiedName().contentEquals(CYOBJECT) ? null : base;
            }
        }
        return null;
    }

    /** {@return the value of {@code @Length} on an accessor, or null without one} */
    static Integer lengthOf(ExecutableElement method) {
        AnnotationMirror length = find(method, LENGTH);
        if (length == null) {
            return null;
        }
        for (AnnotationValue value : length.getElementValues().values()) {
            return (Integer) value.getValue();
        }
        return null;
    }
}
