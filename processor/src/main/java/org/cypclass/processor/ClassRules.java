package org.cypclass.processor;

import java.util.List;
import java.util.stream.Collectors;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * The rules on the class that carries {@code @Cypclass}, apart from its fields and methods: its
 * shape (top level, concrete, not generic, no instance field), its superclass, its constructor
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

    /** The class is not abstract: the generated factories instantiate it. */
    void concrete() {
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            problems.error(type, "a @Cypclass may not be abstract: its references are made by the generated factories");
        }
    }

    /** {@return whether the class has no type parameter} */
    boolean notGeneric() {
        if (!type.getTypeParameters().isEmpty()) {
            problems.error(type, "a @Cypclass cannot be generic (" + type.getSimpleName() + "<" + type.getTypeParameters().stream()
                .map(Object::toString).collect(Collectors.joining(", ")) + ">): the generated class, its"
                + " CyType and its factories are per class, not per type argument; declare one cypclass per element type,"
                + " or hold references to a common base cypclass");
            return false;
        }
        return true;
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
        String superName = type.getSuperclass().toString();
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
