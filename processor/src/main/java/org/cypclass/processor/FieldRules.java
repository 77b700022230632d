package org.cypclass.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * The rules on the nested {@code Fields} interface of a cypclass, whose abstract methods name the
 * fields: each method is a parameterless accessor with a name of its own (not reserved, not a
 * field of this class or a base, not an accessor name of the flexible array member) and a type
 * {@link FieldTypes} accepts; at most one flexible array member, and it comes last. Reading the
 * interface yields the declared fields and the names they take, against which
 * {@link MethodRules} checks the class's methods.
 *
 * <p>One object reads one interface, accessor by accessor: the rules on an accessor see only the
 * fields before it.
 */
final class FieldRules {

    /** Names the generated class or CyObject already use: a field may not take them. */
    private static final Set<String> RESERVED = Set.of("close", "isOpen", "newReference", "gcReference", "pointer",
        "cyType", "dump", "dumpFields", "create", "toString", "equals", "hashCode", "getClass", "notify", "notifyAll",
        "wait", "finalize", "clone", "releaseCollected", "TYPE");

    private final Problems problems;
    private final FieldTypes types;
    /** The fields of the bases and those read so far. */
    private final Set<String> taken;
    /** The accessor and C names a flexible array member adds, each mapped to the member. */
    private final Map<String, String> derived = new HashMap<>();
    private final List<FieldModel> declared = new ArrayList<>();
    /** The last flexible array member read, or null. */
    private ExecutableElement flexible;
    /** Whether "must be the last field" was reported: once is enough. */
    private boolean flexibleNotLast;
    /** The generated factories' first parameter, the element count of the flexible array member. */
    private String countParameter;

    /**
     * @param problems where to report
     * @param owner the cypclass whose interface this reads
     * @param inherited the field names of its bases
     */
    FieldRules(Problems problems, TypeElement owner, Set<String> inherited) {
        this.problems = problems;
        this.types = new FieldTypes(problems, owner);
        this.taken = new HashSet<>(inherited);
    }

    /**
     * {@return the fields the {@code Fields} interface of a cypclass declares, in order, without
     * offsets; none if it has no such interface} Accessors that break a rule are reported and
     * left out.
     */
    List<FieldModel> read(TypeElement type) {
        TypeElement fields = ElementFilter.typesIn(type.getEnclosedElements()).stream()
            .filter(t -> t.getSimpleName().contentEquals("Fields")).findFirst().orElse(null);
        if (fields == null) {
            return declared;
        }
        if (fields.getKind() != ElementKind.INTERFACE) {
            problems.error(fields, "Fields must be an interface whose methods name the fields");
            return declared;
        }
        for (ExecutableElement method : ElementFilter.methodsIn(fields.getEnclosedElements())) {
            FieldModel field = field(method);
            notAFlexibleArrayAccessor(method);
            afterFlexibleArray(method, field);
            if (field != null) {
                add(method, field);
            }
        }
        return declared;
    }

    /** {@return the name of the element count the generated factories take first, or null without a flexible array member} */
    String countParameter() {
        return countParameter;
    }

    /** {@return the field whose accessors a method of that name would clash with, or null} */
    String clashingField(String methodName) {
        if (derived.containsKey(methodName)) {
            return derived.get(methodName);
        }
        return taken.contains(methodName) ? methodName : null;
    }

    /** {@return the field an accessor declares, or null if it is not a parameterless accessor of a free name and a supported type} */
    private FieldModel field(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        if (!method.getParameters().isEmpty() || method.getModifiers().contains(Modifier.STATIC)
                || method.getModifiers().contains(Modifier.DEFAULT)) {
            problems.error(method, "a field is declared as an abstract method without parameters, such as int " + name + "();");
            return null;
        }
        if (RESERVED.contains(name) || name.contains("$")) {
            problems.error(method, "the field name " + name + " is reserved by the generated class; choose another");
            return null;
        }
        if (taken.contains(name)) {
            problems.error(method, "the field " + name + " is declared twice (here and in this class or a base cypclass)");
            return null;
        }
        return types.field(method, name);
    }

    /** An accessor does not take a name that a flexible array member read before it adds. */
    private void notAFlexibleArrayAccessor(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        if (derived.containsKey(name)) {
            problems.error(method, "the field " + name + " clashes with the accessors of the flexible array"
                + " member " + derived.get(name) + "[]; rename one of them");
        }
    }

    /**
     * The flexible array member is the last field: the first accessor after it is reported on
     * the member, once; a second flexible array member is also reported on itself.
     */
    private void afterFlexibleArray(ExecutableElement method, FieldModel field) {
        if (flexible == null) {
            return;
        }
        if (!flexibleNotLast) {
            flexibleNotLast = true;
            problems.error(flexible, "the flexible array member " + flexible.getSimpleName() + "[] must be the last field"
                + " (as in C); move it to the end, or give it a fixed size with @Length");
        }
        if (field != null && field.isFlexible()) {
            problems.error(method, "a cypclass has at most one flexible array member, and " + flexible.getSimpleName()
                + "[] is one already; give the other a fixed size with @Length");
        }
    }

    /** Takes a field's name; a flexible array member also takes its accessor names, which no field may have. */
    private void add(ExecutableElement method, FieldModel field) {
        declared.add(field);
        taken.add(field.name());
        if (!field.isFlexible()) {
            return;
        }
        flexible = method;
        countParameter = field.name() + "Length";
        for (String suffix : FieldModel.FLEXIBLE_SUFFIXES) {
            derived.put(field.name() + suffix, field.name());
        }
        derived.put(field.lengthName(), field.name());
        for (String name : derived.keySet()) {
            if (taken.contains(name)) {
                problems.error(method, "the flexible array member " + field.name() + "[] needs the name " + name
                    + " for its accessors, but a field has it; rename one of them");
            }
        }
    }
}
