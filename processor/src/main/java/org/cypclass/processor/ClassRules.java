package org.cypclass.processor;

import java.util.List;
import java.util.stream.Collectors;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.ElementFilter;

/**
 * The rules on the class that carries {@code @Cypclass}, apart from its fields and methods: its
 * shape (top level, type parameters bounded by cypclasses, no instance field), its superclass, its constructor
 * and its base cypclass. Each rule reports what breaks it to the {@link Problems} of the class;
 * those that return a boolean return whether the rule held.
 */
final class ClassRules {

    private final Problems problems;
    private final TypeElement type;

    ClassRules(Problems problems, TypeElement type) {
        this.problems = problems;
        this.type = type;
    }

    /** {@return whether the class is top level} */
    boolean topLevel() {
        if (type.getNestingKind() != NestingKind.TOP_LEVEL) {
            problems.error(type, "a @Cypclass must be a top-level class");
            return false;
        }
        return true;
    }

    /**
     * {@return the type parameters of a generic cypclass as declared in the generated class,
     * {@code T extends org.cypclass.objects.CyObject}, or none; null if one breaks the rule}
     * Each must have one bound, {@code CyObject} or a cypclass that is not generic itself: a
     * field typed {@code T} is a reference slot, a pointer whatever {@code T} is, and the store
     * checks its value against that bound (Java erases {@code T}, so the bound is all a static
     * accessor can know). A primitive cannot be a type argument in Java, so a primitive field
     * needs a concrete type.
     */
    List<String> typeParameters() {
        List<String> declared = new java.util.ArrayList<>();
        boolean valid = true;
        for (TypeParameterElement parameter : type.getTypeParameters()) {
            String bound = cypclassBound(parameter);
            if (bound == null) {
                problems.error(parameter, "the type parameter " + parameter.getSimpleName() + " of @Cypclass "
                    + type.getSimpleName() + " must extend CyObject or a non-generic cypclass (" + parameter.getSimpleName()
                    + " extends CyObject), not " + parameter.getBounds().stream().map(Object::toString)
                    .collect(Collectors.joining(" & ")) + ": a field typed " + parameter.getSimpleName() + " is a reference"
                    + " slot, checked against that bound on store; primitives cannot be type arguments, so a primitive field"
                    + " needs a concrete type (int, double, ...)");
                valid = false;
            } else {
                declared.add(parameter.getSimpleName() + " extends " + bound);
            }
        }
        return valid ? declared : null;
    }

    /**
     * {@return whether the class is not both abstract and generic} An abstract cypclass is only
     * useful as a base, and a generic one cannot be a base (yet).
     */
    boolean notAbstractAndGeneric() {
        if (type.getModifiers().contains(Modifier.ABSTRACT) && !type.getTypeParameters().isEmpty()) {
            problems.error(type, "a generic cypclass cannot be abstract: an abstract cypclass is made to be a base, and a"
                + " generic cypclass cannot be a base (yet)");
            return false;
        }
        return true;
    }

    /** {@return the qualified name of a type parameter's one bound if it is CyObject or a non-generic cypclass, else null} */
    static String cypclassBound(TypeParameterElement parameter) {
        if (parameter.getBounds().size() != 1 || !(parameter.getBounds().getFirst() instanceof DeclaredType bound)
                || !bound.getTypeArguments().isEmpty()) {
            return null;
        }
        TypeElement element = (TypeElement) bound.asElement();
        String name = element.getQualifiedName().toString();
        return name.equals(Annotations.CYOBJECT) || Annotations.has(element, Annotations.CYPCLASS) ? name : null;
    }

    /** Every field of the class is static: the state of an instance lives off-heap, in the Fields interface. */
    void noInstanceFields() {
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (!field.getModifiers().contains(Modifier.STATIC)) {
                problems.error(field, "a @Cypclass may not have the instance field " + field.getSimpleName() + ": a Java field"
                    + " lives in one reference, not in the off-heap instance, so its value is lost between references; declare"
                    + " it in the nested Fields interface, as " + field.asType() + " " + field.getSimpleName() + "();"
                    + " (static fields are allowed)");
            }
        }
    }

    /** The class extends its generated class, {@code Cy_} and its simple name. */
    void extendsGenerated() {
        String generated = "Cy_" + type.getSimpleName();
        // A generic cypclass extends Cy_Pair<T, U>: the type arguments are not part of the name.
        String superName = type.getSuperclass().toString().replaceFirst("<.*", "");
        if (!superName.equals(generated) && !superName.endsWith("." + generated)) {
            problems.error(type, "@Cypclass " + type.getSimpleName() + " must extend the generated class " + generated
                + " (found: extends " + superName + ")");
        }
    }

    /** The class has a no-argument constructor that is not private: the generated factories call it. */
    void constructor() {
        List<ExecutableElement> constructors = ElementFilter.constructorsIn(type.getEnclosedElements());
        if (constructors.stream().noneMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE))) {
            problems.error(type, "a @Cypclass needs a no-argument constructor that is not private (the default one will do);"
                + " put initialization in an @Init method");
        }
    }

    /**
     * {@return whether the base cypclass was read without error}
     *
     * @param base the base that {@code @Cypclass(base = ...)} names
     * @param model its model, or null if reading it failed (its errors are reported on it)
     */
    boolean validBase(TypeElement base, CypclassModel model) {
        if (model == null) {
            problems.error(type, "its base " + base.getQualifiedName() + " is not a valid @Cypclass");
            return false;
        }
        if (model.isGeneric() || !type.getTypeParameters().isEmpty()) {
            // The generated class would extend a raw or a parameterized base, and the factories
            // it hides would clash in their type parameters: not supported yet.
            problems.error(type, "a generic cypclass can neither extend nor be the base of another cypclass (yet):"
                + " hold the other cypclass in a field instead");
            return false;
        }
        return true;
    }

    /** {@return whether the base has no flexible array member, which C allows only at the end of the outermost struct} */
    boolean baseWithoutFlexibleArray(CypclassModel base) {
        if (base.flexible() != null) {
            problems.error(type, "@Cypclass " + type.getSimpleName() + " cannot extend " + base.qualifiedName() + ": it ends with"
                + " the flexible array member " + base.flexible().name() + "[], and C forbids a struct with a flexible"
                + " array member inside another struct");
            return false;
        }
        return true;
    }
}
