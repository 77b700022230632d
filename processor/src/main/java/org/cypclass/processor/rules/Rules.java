package org.cypclass.processor.rules;

import java.util.List;
import java.util.Set;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;

/**
 * What every capability rule needs while it checks one compilation unit: javac's views of the
 * attributed trees, the library's types (looked up by name, so the processor depends on no
 * library module), the suppression check and the report.
 */
final class Rules {

    static final String CYOBJECT = "org.cypclass.objects.CyObject";
    static final String ISOLATED = "org.cypclass.objects.capabilities.Isolated";
    static final String FROZEN = "org.cypclass.objects.capabilities.Frozen";
    static final String LOCKED = "org.cypclass.objects.capabilities.Locked";
    static final String GUARD = "org.cypclass.objects.capabilities.Locked.Guard";
    static final String ACTIVE = "org.cypclass.objects.actors.Active";
    static final String NOGIL_REGION = "org.cypclass.memory.NogilRegion";
    static final String GENERATED = "org.cypclass.objects.generated.Generated";

    final Trees trees;
    final Types types;
    final Elements elements;
    final CompilationUnitTree unit;
    private final TypeMirror cyObject;
    private final SourcePositions positions;

    Rules(Trees trees, Types types, Elements elements, CompilationUnitTree unit, TypeElement cyObject) {
        this.trees = trees;
        this.types = types;
        this.elements = elements;
        this.unit = unit;
        this.cyObject = types.erasure(cyObject.asType());
        this.positions = trees.getSourcePositions();
    }

    /** {@return whether a value of this type is a cypclass reference (a CyObject)} */
    boolean isCypclass(TypeMirror type) {
        return type != null && type.getKind() == TypeKind.DECLARED && types.isSubtype(types.erasure(type), cyObject);
    }

    /** {@return whether {@code element} is a member of the class named {@code owner} (its qualified name)} */
    static boolean declaredIn(Element element, String owner) {
        return element != null && element.getEnclosingElement() instanceof TypeElement type
            && type.getQualifiedName().contentEquals(owner);
    }

    /** {@return whether a type is, or extends, the class or interface named {@code name}} */
    boolean isSubtype(TypeMirror type, String name) {
        TypeElement target = elements.getTypeElement(name);
        return target != null && type != null && type.getKind() == TypeKind.DECLARED
            && types.isSubtype(types.erasure(type), types.erasure(target.asType()));
    }

    /** {@return the method a call invokes, or null} */
    ExecutableElement method(TreePath call) {
        Element element = call.getLeaf() instanceof MethodInvocationTree invocation
            ? trees.getElement(new TreePath(call, invocation.getMethodSelect())) : trees.getElement(call);
        return element instanceof ExecutableElement executable ? executable : null;
    }

    /** {@return whether a call invokes the method {@code name} of the class {@code owner}, with this many parameters} */
    boolean calls(TreePath call, String owner, String name, int parameters) {
        ExecutableElement m = method(call);
        return m != null && m.getSimpleName().contentEquals(name) && declaredIn(m, owner) && m.getParameters().size() == parameters;
    }

    /** {@return the receiver of a call {@code r.m(...)}, or null if it has none written} */
    static TreePath receiver(TreePath call) {
        if (call.getLeaf() instanceof MethodInvocationTree invocation
                && invocation.getMethodSelect() instanceof MemberSelectTree select) {
            return new TreePath(new TreePath(call, select), select.getExpression());
        }
        return null;
    }

    /** {@return the expression under parentheses and casts} */
    static TreePath strip(TreePath path) {
        while (true) {
            Tree leaf = path.getLeaf();
            if (leaf instanceof ParenthesizedTree p) {
                path = new TreePath(path, p.getExpression());
            } else if (leaf instanceof TypeCastTree c) {
                path = new TreePath(path, c.getExpression());
            } else {
                return path;
            }
        }
    }

    /** {@return whether a generated accessor writes a field: a void method of a generated Cy_ class that has a getter of its name} */
    boolean isGeneratedSetter(ExecutableElement m) {
        if (m == null || m.getModifiers().contains(Modifier.STATIC) || m.getReturnType().getKind() != TypeKind.VOID
                || !(m.getEnclosingElement() instanceof TypeElement owner) || !isGenerated(owner)) {
            return false;
        }
        String name = m.getSimpleName().toString();
        if (name.endsWith("CopyFrom")) {
            return true;
        }
        return owner.getEnclosedElements().stream().anyMatch(e -> e.getKind() == ElementKind.METHOD
            && e.getSimpleName().contentEquals(name) && ((ExecutableElement) e).getReturnType().getKind() != TypeKind.VOID);
    }

    /** {@return whether a generated getter reads a reference field: a non-void method of a generated class returning a cypclass} */
    boolean isGeneratedReferenceGetter(ExecutableElement m) {
        return m != null && !m.getModifiers().contains(Modifier.STATIC) && isCypclass(m.getReturnType())
            && m.getEnclosingElement() instanceof TypeElement owner && isGenerated(owner)
            && !m.getSimpleName().contentEquals("newReference");
    }

    private static boolean isGenerated(TypeElement type) {
        return type.getSimpleName().toString().startsWith("Cy_") && type.getAnnotationMirrors().stream()
            .anyMatch(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(GENERATED));
    }

    /** {@return the line of a tree, for messages} */
    long line(Tree tree) {
        LineMap lines = unit.getLineMap();
        return lines.getLineNumber(positions.getStartPosition(unit, tree));
    }

    /**
     * Reports a broken rule as a compile error on {@code at}, unless a declaration around it
     * says {@code @SuppressWarnings("cypclass:<rule>")}.
     */
    void report(String rule, TreePath at, String message) {
        report(rule, at, message, null);
    }

    /**
     * Reports a broken rule about a local variable: suppressed as {@link #report(String, TreePath, String)}
     * is, or by {@code @SuppressWarnings("cypclass:<rule>")} on the variable's own declaration.
     */
    void report(String rule, TreePath at, String message, Element variable) {
        if (!suppressed(rule, at) && (variable == null || !suppresses(variable, "cypclass:" + rule))) {
            trees.printMessage(Diagnostic.Kind.ERROR, "cypclass:" + rule + ": " + message, at.getLeaf(), unit);
        }
    }

    /** {@return whether a local variable, method or class around {@code path} suppresses {@code rule}} */
    boolean suppressed(String rule, TreePath path) {
        String token = "cypclass:" + rule;
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            Tree leaf = p.getLeaf();
            if (leaf instanceof VariableTree || leaf instanceof MethodTree || leaf instanceof ClassTree) {
                Element element = trees.getElement(p);
                if (element != null && suppresses(element, token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean suppresses(Element element, String token) {
        for (AnnotationMirror a : element.getAnnotationMirrors()) {
            if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals("java.lang.SuppressWarnings")) {
                for (AnnotationValue value : a.getElementValues().values()) {
                    if (value.getValue() instanceof List<?> values
                            && values.stream().anyMatch(v -> token.equals(((AnnotationValue) v).getValue()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Kinds of element that name a local variable of a method body, lambda or initializer. */
    static final Set<ElementKind> LOCALS = Set.of(ElementKind.LOCAL_VARIABLE, ElementKind.RESOURCE_VARIABLE,
        ElementKind.PARAMETER, ElementKind.EXCEPTION_PARAMETER, ElementKind.BINDING_VARIABLE);

    /** {@return a short form of an expression for a message} */
    static String text(ExpressionTree tree) {
        String s = tree.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
