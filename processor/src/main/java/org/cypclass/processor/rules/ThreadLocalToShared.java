package org.cypclass.processor.rules;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;

/**
 * {@code cypclass:thread-local-to-shared}: {@code Locked.from}, {@code Frozen.from} and
 * {@code Active.from} take another reference to an object that is already locked, frozen or
 * active; given a visibly thread-local one (the talk's {@code cdef lock Adder b = a}) they can
 * only throw. The way to share a thread-local graph is {@code Isolated.consume(a)} and then
 * {@code lock()}, {@code freeze()} or {@code activate(system)}.
 */
final class ThreadLocalToShared {

    static final String RULE = "thread-local-to-shared";

    private final Rules rules;
    private final ThreadLocality locality;

    ThreadLocalToShared(Rules rules, ThreadLocality locality) {
        this.rules = rules;
        this.locality = locality;
    }

    void visitCall(TreePath call) {
        ExecutableElement m = rules.method(call);
        if (m == null || !m.getSimpleName().contentEquals("from") || !m.getModifiers().contains(Modifier.STATIC)
                || m.getParameters().size() != 1) {
            return;
        }
        String holder;
        String spend;
        if (Rules.declaredIn(m, Rules.LOCKED)) {
            holder = "Locked";
            spend = "lock()";
        } else if (Rules.declaredIn(m, Rules.FROZEN)) {
            holder = "Frozen";
            spend = "freeze()";
        } else if (Rules.declaredIn(m, Rules.ACTIVE)) {
            holder = "Active";
            spend = "activate(system)";
        } else {
            return;
        }
        MethodInvocationTree invocation = (MethodInvocationTree) call.getLeaf();
        TreePath argument = new TreePath(call, invocation.getArguments().getFirst());
        if (locality.isThreadLocal(argument)) {
            String arg = Rules.text(invocation.getArguments().getFirst());
            rules.report(RULE, argument, "'" + arg + "' is thread-local (" + locality.origin(argument) + "), and "
                + holder + ".from only takes another reference to an object that is already " + holder.toLowerCase(java.util.Locale.ROOT)
                + "; share a thread-local graph with Isolated.consume(" + arg + ")." + spend, rules.trees.getElement(argument));
        }
    }
}
