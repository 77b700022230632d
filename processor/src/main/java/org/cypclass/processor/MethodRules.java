package org.cypclass.processor;

import java.util.ArrayList;
import java.util.List;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;

/**
 * The rules on the methods a cypclass declares: the {@code @Init} methods (one generated factory
 * each) and the {@code @Dealloc} method are instance methods that return void and are not
 * private, an {@code @Init} parameter does not take the name of the element count, there is at
 * most one {@code @Dealloc} method and it takes no argument, and no method takes the name of a
 * field accessor. A class declares an {@code @Hash} method ({@code long} or {@code int}, no
 * argument) if and only if it declares an {@code @Equals} method ({@code boolean}, one argument
 * of the class itself), at most one of each, neither private nor static. Reading the methods
 * yields the {@code @Init}, {@code @Dealloc}, {@code @Hash} and {@code @Equals} methods.
 */
final class MethodRules {

    private final Problems problems;
    private final Types types;
    private final FieldRules fields;
    private final List<CypclassModel.InitModel> inits = new ArrayList<>();
    private String dealloc;
    private ExecutableElement hash;
    private ExecutableElement equals;
    private boolean keyErrors;

    /**
     * @param problems where to report
     * @param types javac's type utilities, for erasures
     * @param fields the fields of the class, already read: the names they take
     */
    MethodRules(Problems problems, Types types, FieldRules fields) {
        this.problems = problems;
        this.types = types;
        this.fields = fields;
    }

    /** Checks each method a cypclass declares, in order; {@link #inits()} and {@link #dealloc()} give what was found. */
    void read(TypeElement type) {
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (Annotations.has(method, Annotations.INIT)) {
                init(method);
            }
            if (Annotations.has(method, Annotations.DEALLOC)) {
                dealloc(method);
            }
            if (Annotations.has(method, Annotations.HASH)) {
                hash(method);
            }
            if (Annotations.has(method, Annotations.EQUALS)) {
                equals(type, method);
            }
            notAnAccessor(method);
        }
        if (!keyErrors && (hash == null) != (equals == null)) {
            ExecutableElement present = hash != null ? hash : equals;
            problems.error(present, hash != null
                ? "a @Hash method needs an @Equals method beside it (boolean equals(" + type.getSimpleName() + " other)):"
                    + " containers keyed by content call both"
                : "an @Equals method needs a @Hash method beside it (long hash()): containers keyed by content call both");
        }
    }

    /** {@return the name of the {@code @Hash} method, or null (none, or the class breaks a key rule)} */
    String hash() {
        return hash == null || equals == null || keyErrors ? null : hash.getSimpleName().toString();
    }

    /** {@return the name of the {@code @Equals} method, or null (none, or the class breaks a key rule)} */
    String equalsMethod() {
        return hash == null || equals == null || keyErrors ? null : equals.getSimpleName().toString();
    }

    /** The {@code @Hash} method is the only one, takes no argument and returns long or int. */
    private void hash(ExecutableElement method) {
        TypeKind result = method.getReturnType().getKind();
        if (hash != null) {
            problems.error(method, "a @Cypclass has at most one @Hash method");
            keyErrors = true;
        } else if (!callable(method) || !method.getParameters().isEmpty()
                || (result != TypeKind.LONG && result != TypeKind.INT)) {
            problems.error(method, "a @Hash method takes no argument, returns long or int, and is neither private nor"
                + " static: long hash()");
            keyErrors = true;
        }
        hash = method;
    }

    /** The {@code @Equals} method is the only one, takes one argument of the class itself and returns boolean. */
    private void equals(TypeElement type, ExecutableElement method) {
        if (equals != null) {
            problems.error(method, "a @Cypclass has at most one @Equals method");
            keyErrors = true;
        } else if (!callable(method) || method.getReturnType().getKind() != TypeKind.BOOLEAN
                || method.getParameters().size() != 1
                || !types.isSameType(types.erasure(method.getParameters().get(0).asType()), types.erasure(type.asType()))) {
            problems.error(method, "an @Equals method takes one argument of its own class, returns boolean, and is neither"
                + " private nor static: boolean equals(" + type.getSimpleName() + " other)");
            keyErrors = true;
        }
        equals = method;
    }

    /** {@return the well-formed {@code @Init} methods, in order} */
    List<CypclassModel.InitModel> inits() {
        return inits;
    }

    /** {@return the name of the {@code @Dealloc} method, or null} */
    String dealloc() {
        return dealloc;
    }

    /** An {@code @Init} method is a hook, and no parameter takes the name of the element count its factory takes first. */
    private void init(ExecutableElement method) {
        String count = fields.countParameter();
        for (VariableElement parameter : method.getParameters()) {
            if (count != null && parameter.getSimpleName().contentEquals(count)) {
                problems.error(parameter, "the parameter " + parameter.getSimpleName() + " clashes with the element count that"
                    + " the generated factory takes first; rename it");
            }
        }
        if (!isHook(method)) {
            problems.error(method, "an @Init method returns void and is neither private nor static");
            return;
        }
        List<String> parameters = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> erasures = new ArrayList<>();
        for (VariableElement parameter : method.getParameters()) {
            parameters.add(parameter.asType() + " " + parameter.getSimpleName());
            names.add(parameter.getSimpleName().toString());
            erasures.add(types.erasure(parameter.asType()).toString());
        }
        List<String> thrown = method.getThrownTypes().stream().map(TypeMirror::toString).toList();
        inits.add(new CypclassModel.InitModel(method.getSimpleName().toString(), parameters, names, erasures, thrown));
    }

    /** The {@code @Dealloc} method is the only one, is a hook and takes no argument. */
    private void dealloc(ExecutableElement method) {
        if (dealloc != null) {
            problems.error(method, "a @Cypclass has at most one @Dealloc method");
        } else if (!isHook(method) || !method.getParameters().isEmpty()) {
            problems.error(method, "a @Dealloc method takes no argument, returns void, and is neither private nor static");
        } else {
            dealloc = method.getSimpleName().toString();
        }
    }

    /** No method takes the name of a field accessor: the generated class declares them. */
    private void notAnAccessor(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        String field = fields.clashingField(name);
        if (field != null) {
            problems.error(method, "method " + name + " clashes with the accessors of the field " + field + "; rename one of them");
        }
    }

    /** {@return whether a method can be called by generated code on an instance: void, not private, not static} */
    private static boolean isHook(ExecutableElement method) {
        return method.getReturnType().getKind() == TypeKind.VOID && callable(method);
    }

    /** {@return whether generated code can call a method on an instance: not private, not static} */
    private static boolean callable(ExecutableElement method) {
        return !method.getModifiers().contains(Modifier.PRIVATE) && !method.getModifiers().contains(Modifier.STATIC);
    }
}
