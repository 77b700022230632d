package org.cypclass.processor.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

/**
 * Every value each local variable of a class takes: its initializer and the right-hand side of
 * every plain assignment to it. A local whose value also comes from elsewhere (a parameter, a
 * for-each element, a pattern, a catch) has none, so no rule infers anything about it.
 */
final class Definitions {

    private final Map<Element, List<TreePath>> values = new HashMap<>();
    private final Set<Element> opaque = new HashSet<>();

    Definitions(Rules rules, TreePath type) {
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree node, Void unused) {
                Element v = rules.trees.getElement(getCurrentPath());
                if (v != null && Rules.LOCALS.contains(v.getKind())) {
                    List<TreePath> list = values.computeIfAbsent(v, k -> new ArrayList<>());
                    if (node.getInitializer() != null) {
                        list.add(new TreePath(getCurrentPath(), node.getInitializer()));
                    } else if (v.getKind() != ElementKind.LOCAL_VARIABLE
                            || getCurrentPath().getParentPath().getLeaf() instanceof EnhancedForLoopTree) {
                        opaque.add(v);
                    }
                }
                return super.visitVariable(node, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree node, Void unused) {
                if (node.getVariable() instanceof IdentifierTree) {
                    Element v = rules.trees.getElement(new TreePath(getCurrentPath(), node.getVariable()));
                    if (v != null && Rules.LOCALS.contains(v.getKind())) {
                        values.computeIfAbsent(v, k -> new ArrayList<>()).add(new TreePath(getCurrentPath(), node.getExpression()));
                    }
                }
                return super.visitAssignment(node, unused);
            }
        }.scan(type, null);
    }

    /** {@return every value a local variable takes, or null if some of them are not written in the class} */
    List<TreePath> valuesOf(Element variable) {
        return opaque.contains(variable) || !Rules.LOCALS.contains(variable.getKind()) ? null : values.get(variable);
    }
}
