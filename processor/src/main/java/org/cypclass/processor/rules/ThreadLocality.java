package org.cypclass.processor.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;

/**
 * Decides whether an expression is visibly thread-local: a {@code create} factory's result, a
 * {@code newReference()} taken on a visibly thread-local reference, an {@code Isolated.adopt()}
 * result, or a local variable every one of whose values (initializer and assignments) is one of
 * these. Nothing else is (a parameter, a field, a borrowed reference read from a field, a view):
 * the rules that use this answer report only what they can see, never a guess.
 */
final class ThreadLocality {

    private final Rules rules;
    private final Definitions definitions;

    ThreadLocality(Rules rules, Definitions definitions) {
        this.rules = rules;
        this.definitions = definitions;
    }

    /** {@return whether the expression at {@code path} is visibly a thread-local reference} */
    boolean isThreadLocal(TreePath path) {
        return isThreadLocal(path, new HashSet<>());
    }

    /** {@return whether a local variable holds visibly thread-local references only} */
    boolean isThreadLocal(Element variable) {
        return isThreadLocal(variable, new HashSet<>());
    }

    /** {@return what made the expression thread-local, for a message: "created", "a new reference" or "adopted"} */
    String origin(TreePath path) {
        TreePath p = Rules.strip(path);
        if (p.getLeaf() instanceof MethodInvocationTree) {
            ExecutableElement m = rules.method(p);
            return m == null ? "thread-local" : switch (m.getSimpleName().toString()) {
                case "create" -> "made by " + m.getEnclosingElement().getSimpleName().toString().replaceFirst("^Cy_", "") + ".create";
                case "adopt" -> "adopted from an Isolated graph";
                default -> "a new owned reference";
            };
        }
        if (p.getLeaf() instanceof com.sun.source.tree.IdentifierTree) {
            Element v = rules.trees.getElement(p);
            List<TreePath> values = v == null ? null : definitions.valuesOf(v);
            if (values != null && !values.isEmpty()) {
                return "it holds a reference " + origin(values.getFirst()).replace("a new owned reference", "newly owned");
            }
        }
        return "thread-local";
    }

    private boolean isThreadLocal(TreePath path, Set<Element> visiting) {
        TreePath p = Rules.strip(path);
        if (p.getLeaf() instanceof MethodInvocationTree) {
            ExecutableElement m = rules.method(p);
            if (m == null || !rules.isCypclass(rules.trees.getTypeMirror(p))) {
                return false;
            }
            String name = m.getSimpleName().toString();
            if (name.equals("create") && m.getModifiers().contains(Modifier.STATIC)
                    && m.getEnclosingElement() instanceof TypeElement owner && rules.isCypclass(owner.asType())) {
                return true;
            }
            if (name.equals("adopt") && m.getParameters().isEmpty() && Rules.declaredIn(m, Rules.ISOLATED)) {
                return true;
            }
            if (name.equals("newReference") && m.getParameters().isEmpty() && !m.getModifiers().contains(Modifier.STATIC)) {
                TreePath receiver = Rules.receiver(p);
                return receiver != null && isThreadLocal(receiver, visiting);
            }
            return false;
        }
        if (p.getLeaf() instanceof IdentifierTree) {
            Element v = rules.trees.getElement(p);
            return v != null && isThreadLocal(v, visiting);
        }
        return false;
    }

    private boolean isThreadLocal(Element variable, Set<Element> visiting) {
        if (!rules.isCypclass(variable.asType()) || !visiting.add(variable)) {
            return false;
        }
        try {
            List<TreePath> list = definitions.valuesOf(variable);
            return list != null && !list.isEmpty() && list.stream().allMatch(v -> isThreadLocal(v, visiting));
        } finally {
            visiting.remove(variable);
        }
    }
}
