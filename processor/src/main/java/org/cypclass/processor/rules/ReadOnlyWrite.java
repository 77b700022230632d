package org.cypclass.processor.rules;

import java.util.HashSet;
import java.util.Set;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;

/**
 * {@code cypclass:read-only-write}: a generated setter called on a receiver that is visibly
 * read-only throws {@code CapabilityException}. Visibly read-only: {@code Frozen.get()}, the
 * {@code get()} of a guard opened by {@code Locked.read()} or {@code tryRead}, a reference-field
 * getter called on either, or a local variable that only ever holds one of these. A read guard
 * opened inside a write guard may write, so a read guard with any write guard open around it
 * (lexically) is not reported. Methods of the user's own that write are checked at run time.
 */
final class ReadOnlyWrite {

    static final String RULE = "read-only-write";

    private final Rules rules;
    private final Definitions definitions;

    ReadOnlyWrite(Rules rules, Definitions definitions) {
        this.rules = rules;
        this.definitions = definitions;
    }

    void visitCall(TreePath call) {
        ExecutableElement m = rules.method(call);
        if (!rules.isGeneratedSetter(m)) {
            return;
        }
        TreePath receiver = Rules.receiver(call);
        if (receiver == null) {
            return;
        }
        String why = readOnly(receiver, new HashSet<>());
        if (why != null && !(why.startsWith("read") && insideWriteGuard(call))) {
            rules.report(RULE, call, Rules.text((ExpressionTree) call.getLeaf()) + " writes the field " + m.getSimpleName()
                + " through " + why + ", which is read-only, so it would throw CapabilityException; "
                + (why.startsWith("read")
                    ? "take a write guard (locked.write()) to write"
                    : "a frozen graph never changes: copy what you need into a new object, or write before Isolated.consume(...).freeze()"));
        }
    }

    /** {@return why the expression is a read-only view, or null if it is not visibly one} */
    private String readOnly(TreePath path, Set<Element> visiting) {
        TreePath p = Rules.strip(path);
        if (p.getLeaf() instanceof MethodInvocationTree) {
            ExecutableElement m = rules.method(p);
            if (m == null) {
                return null;
            }
            TreePath receiver = Rules.receiver(p);
            if (m.getSimpleName().contentEquals("get") && m.getParameters().isEmpty()) {
                if (Rules.declaredIn(m, Rules.FROZEN)) {
                    return "the view of a Frozen (Frozen.get())";
                }
                if (Rules.declaredIn(m, Rules.GUARD) && receiver != null && isReadGuard(receiver, new HashSet<>())) {
                    return "read guard's view (opened by Locked.read())";
                }
                return null;
            }
            if (rules.isGeneratedReferenceGetter(m) && receiver != null) {
                String inner = readOnly(receiver, visiting);
                return inner == null || inner.startsWith("read") || inner.startsWith("an object") ? inner
                    : "an object of a frozen graph, read through " + inner;
            }
            return null;
        }
        if (p.getLeaf() instanceof IdentifierTree) {
            Element v = rules.trees.getElement(p);
            if (v == null || !visiting.add(v)) {
                return null;
            }
            var values = definitions.valuesOf(v);
            if (values == null || values.isEmpty()) {
                return null;
            }
            String first = null;
            for (TreePath value : values) {
                String why = readOnly(value, visiting);
                if (why == null) {
                    return null;
                }
                first = first == null ? why : first;
            }
            return first;
        }
        return null;
    }

    private boolean isReadGuard(TreePath path, Set<Element> visiting) {
        TreePath p = Rules.strip(path);
        if (p.getLeaf() instanceof MethodInvocationTree) {
            return rules.calls(p, Rules.LOCKED, "read", 0) || rules.calls(p, Rules.LOCKED, "tryRead", 1);
        }
        if (p.getLeaf() instanceof IdentifierTree) {
            Element v = rules.trees.getElement(p);
            var values = v == null || !visiting.add(v) ? null : definitions.valuesOf(v);
            return values != null && !values.isEmpty() && values.stream().allMatch(value -> isReadGuard(value, visiting));
        }
        return false;
    }

    /** {@return whether a try-with-resources around the call opens a write guard} */
    private boolean insideWriteGuard(TreePath call) {
        for (TreePath p = call; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof TryTree t) {
                for (Tree resource : t.getResources()) {
                    Tree value = resource instanceof VariableTree v ? v.getInitializer() : resource;
                    if (value != null) {
                        TreePath at = new TreePath(p, value);
                        if (rules.calls(Rules.strip(at), Rules.LOCKED, "write", 0) || rules.calls(Rules.strip(at), Rules.LOCKED, "tryWrite", 1)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
