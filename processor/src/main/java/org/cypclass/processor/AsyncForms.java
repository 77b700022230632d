package org.cypclass.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The rules of the actor methods: which public methods of a cypclass get an asynchronous form in
 * its generated {@code Async} class. A method that breaks one is not an error: it gets no such
 * form, and a note on it says why.
 */
final class AsyncForms {

    /** Immutable JDK values and the library's shareable capabilities. */
    private static final Set<String> SENDABLE = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Byte",
        "java.lang.Short", "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
        "java.lang.Double", "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID",
        "org.cypclass.objects.capabilities.Isolated", "org.cypclass.objects.capabilities.Frozen",
        "org.cypclass.objects.capabilities.Locked", "org.cypclass.objects.actors.Active");

    private final Problems problems;
    private final Types types;
    private final Elements elements;

    AsyncForms(Problems problems, Types types, Elements elements) {
        this.problems = problems;
        this.types = types;
        this.elements = elements;
    }

    /**
     * {@return the asynchronous forms of the public instance methods declared in {@code type}}
     * Those are the methods that are neither hooks nor generic, whose every parameter can be sent
     * to another thread (see {@link #sendable}) and that throw no checked exception. A cypclass
     * result is exported at the end of the message ({@code ActorMessages.export}: frozen, locked
     * or active only).
     */
    List<CypclassModel.AsyncModel> of(TypeElement type) {
        List<CypclassModel.AsyncModel> asyncs = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            Set<Modifier> modifiers = method.getModifiers();
            if (!modifiers.contains(Modifier.PUBLIC) || modifiers.contains(Modifier.STATIC)
                    || Annotations.has(method, Annotations.INIT) || Annotations.has(method, Annotations.DEALLOC)
                    || !method.getTypeParameters().isEmpty()) {
                continue;
            }
            String why = null;
            List<String> parameters = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> checked = new ArrayList<>();
            for (VariableElement parameter : method.getParameters()) {
                TypeMirror parameterType = parameter.asType();
                if (!sendable(parameterType, 0)) {
                    why = "its parameter " + parameter.getSimpleName() + " (" + parameterType + ") cannot be sent to another"
                        + " thread (send primitives, immutable values, or Isolated, Frozen, Locked or Active references)";
                    break;
                }
                if (Annotations.isCypclass(parameterType)) {
                    checked.add(parameter.getSimpleName().toString());
                }
                parameters.add(parameterType + " " + parameter.getSimpleName());
                names.add(parameter.getSimpleName().toString());
            }
            TypeMirror result = method.getReturnType();
            if (why == null && method.getThrownTypes().stream().anyMatch(this::isChecked)) {
                why = "it declares a checked exception";
            }
            if (why != null) {
                problems.note(method, "no asynchronous form for " + method.getSimpleName() + ": " + why);
                continue;
            }
            boolean isVoid = result.getKind() == TypeKind.VOID;
            String boxed = isVoid ? "java.lang.Void" : result.getKind().isPrimitive()
                ? types.boxedClass((PrimitiveType) result).getQualifiedName().toString()
                : result.toString();
            asyncs.add(new CypclassModel.AsyncModel(method.getSimpleName().toString(), boxed, isVoid,
                Annotations.isCypclass(result), parameters, names, checked));
        }
        return asyncs;
    }

    /** {@return whether values of a type may cross to an actor's thread: immutable, or capabilities that allow it} */
    private boolean sendable(TypeMirror type, int depth) {
        if (type.getKind().isPrimitive()) {
            return true;
        }
        if (type.getKind() != TypeKind.DECLARED || depth > 3) {
            return false;
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        String name = element.getQualifiedName().toString();
        if (SENDABLE.contains(name) || name.startsWith("java.time.") || element.getKind() == ElementKind.ENUM
                || Annotations.isCypclass(type)) {
            return true;
        }
        if (element.getKind() == ElementKind.RECORD) {
            for (RecordComponentElement component : element.getRecordComponents()) {
                if (!sendable(component.asType(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private boolean isChecked(TypeMirror thrown) {
        return !types.isSubtype(thrown, elements.getTypeElement("java.lang.RuntimeException").asType())
            && !types.isSubtype(thrown, elements.getTypeElement("java.lang.Error").asType());
    }
}
