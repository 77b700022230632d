package org.cypclass.processor.rules;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

import com.sun.source.tree.AssertTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DefaultCaseLabelTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

/**
 * {@code cypclass:use-after-consume} and {@code cypclass:use-after-close}: a local variable used
 * after {@code Isolated.consume} took it, or after its {@code close()}, on every path that
 * reaches the use. A must-analysis over one method body, as Java's definite assignment: the
 * state is the set of locals that are consumed or closed on every path to a point; branches
 * meet by intersection, a loop iterates its body to a fixpoint before reporting anything, an
 * assignment or declaration of the variable revives it, a catch or finally block starts from
 * what held before the try (minus what the try assigns), and a {@code try (x) {...}} closes
 * {@code x} after the block. Only a close that closes counts: of a capability holder, or of a
 * visibly owned reference ({@link ThreadLocality}); a borrowed reference's {@code close()} does
 * nothing, and the reference stays usable. Lambdas see the state where they are written; local classes are
 * methods of their own. A use is a mention that reaches the object: a call on the variable
 * (but {@code close()}, {@code isOpen()}, {@code toString()}, {@code equals}, {@code hashCode}),
 * an argument where a cypclass or a capability holder is expected, or the iterable of a
 * for-each; storing a released reference in a list or comparing it is not one.
 *
 * <p>Where a path escapes this view (a variable used after a consume on one branch only), the
 * run-time check remains: such a use is not reported.
 */
final class UseAfterRelease {

    static final String CONSUME = "use-after-consume";
    static final String CLOSE = "use-after-close";

    private static final Set<String> HARMLESS = Set.of("close", "isOpen", "toString", "equals", "hashCode", "getClass");

    /** Why a variable is dead at a point. */
    private record Kill(String rule, String how, long line) {
    }

    private final Rules rules;
    private final ThreadLocality locality;

    UseAfterRelease(Rules rules, ThreadLocality locality) {
        this.rules = rules;
        this.locality = locality;
    }

    /** Checks one method body, initializer or other block that starts with nothing released. */
    void check(TreePath body) {
        Flow flow = new Flow();
        flow.state = new HashMap<>();
        flow.scan(body, null);
    }

    private boolean tracked(Element v) {
        if (v == null || !Rules.LOCALS.contains(v.getKind())) {
            return false;
        }
        return rules.isCypclass(v.asType()) || holder(v.asType());
    }

    private boolean holder(TypeMirror type) {
        return rules.isSubtype(type, Rules.ISOLATED) || rules.isSubtype(type, Rules.FROZEN)
            || rules.isSubtype(type, Rules.LOCKED) || rules.isSubtype(type, Rules.GUARD) || rules.isSubtype(type, Rules.ACTIVE);
    }

    /** Where break, continue and yield go. */
    private static final class Target {
        final String label;
        final boolean loop;
        final boolean switchy;
        final boolean barrier;
        Map<Element, Kill> breaks;
        Map<Element, Kill> continues;

        Target(String label, boolean loop, boolean switchy, boolean barrier) {
            this.label = label;
            this.loop = loop;
            this.switchy = switchy;
            this.barrier = barrier;
        }
    }

    /** Meet of two states: what is released on both; null (unreachable) is the identity. */
    private static Map<Element, Kill> join(Map<Element, Kill> a, Map<Element, Kill> b) {
        if (a == null) {
            return b == null ? null : new HashMap<>(b);
        }
        if (b == null) {
            return new HashMap<>(a);
        }
        Map<Element, Kill> both = new HashMap<>(a);
        both.keySet().retainAll(b.keySet());
        return both;
    }

    private static Map<Element, Kill> copy(Map<Element, Kill> s) {
        return s == null ? null : new HashMap<>(s);
    }

    private final class Flow extends TreePathScanner<Void, Void> {
        /** Released locals on every path to here; null where nothing reaches. */
        Map<Element, Kill> state;
        private int silent;
        private final Deque<Target> targets = new ArrayDeque<>();
        private String pendingLabel;
        private final Set<Tree> reported = new HashSet<>();

        // ---- uses and effects ----

        @Override
        public Void visitIdentifier(IdentifierTree node, Void unused) {
            if (state == null || silent > 0) {
                return null;
            }
            Element v = rules.trees.getElement(getCurrentPath());
            Kill kill = v == null ? null : state.get(v);
            if (kill != null && isUse(getCurrentPath()) && reported.add(node)) {
                String name = node.getName().toString();
                String message = kill.rule.equals(CONSUME)
                    ? "'" + name + "' was " + kill.how + " at line " + kill.line + ", which closed it; use the Isolated holder"
                        + " that consume returned (adopt(), lock(), freeze() or activate(system)), or take " + name
                        + ".newReference() before consuming if this thread still needs the object"
                    : "'" + name + "' was " + kill.how + " at line " + kill.line + ", and a closed reference throws"
                        + " IllegalStateException on any use; use it before closing it, or keep an open one with newReference()";
                rules.report(kill.rule, getCurrentPath(), message, v);
            }
            return null;
        }

        /**
         * {@return whether a mention of a variable uses its object: a call on it or a method reference to one (but close(),
         * isOpen(), toString(), equals, hashCode), a field of it, an argument where a cypclass
         * or a capability holder is expected, or the iterable of a for-each}
         */
        private boolean isUse(TreePath identifier) {
            TreePath parent = identifier.getParentPath();
            Tree leaf = parent.getLeaf();
            if (leaf instanceof MemberSelectTree select) {
                return !(parent.getParentPath().getLeaf() instanceof MethodInvocationTree call && call.getMethodSelect() == select
                    && HARMLESS.contains(select.getIdentifier().toString()));
            }
            if (leaf instanceof com.sun.source.tree.MemberReferenceTree reference) {
                return !HARMLESS.contains(reference.getName().toString());
            }
            if (leaf instanceof EnhancedForLoopTree loop) {
                return loop.getExpression() == identifier.getLeaf();
            }
            java.util.List<? extends ExpressionTree> arguments = leaf instanceof MethodInvocationTree call ? call.getArguments()
                : leaf instanceof NewClassTree created ? created.getArguments() : null;
            int index = arguments == null ? -1 : arguments.indexOf(identifier.getLeaf());
            if (index < 0 || !(rules.method(parent) instanceof ExecutableElement m) || m.getParameters().isEmpty()) {
                return false;
            }
            TypeMirror parameter = m.getParameters().get(Math.min(index, m.getParameters().size() - 1)).asType();
            if (m.isVarArgs() && index >= m.getParameters().size() - 1 && parameter instanceof javax.lang.model.type.ArrayType array) {
                parameter = array.getComponentType();
            }
            parameter = rules.types.erasure(parameter);
            return rules.isCypclass(parameter) || holder(parameter);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
            ExpressionTree select = node.getMethodSelect();
            Element receiver = null;
            String name = null;
            if (select instanceof MemberSelectTree member) {
                name = member.getIdentifier().toString();
                if (member.getExpression() instanceof IdentifierTree) {
                    receiver = rules.trees.getElement(new TreePath(new TreePath(getCurrentPath(), select), member.getExpression()));
                }
            }
            scan(select, null);
            for (ExpressionTree argument : node.getArguments()) {
                scan(argument, null);
            }
            if (state == null) {
                return null;
            }
            ExecutableElement m = rules.method(getCurrentPath());
            long line = rules.line(node);
            if (m != null && m.getSimpleName().contentEquals("consume") && Rules.declaredIn(m, Rules.ISOLATED)
                    && node.getArguments().size() == 1 && node.getArguments().getFirst() instanceof IdentifierTree) {
                Element v = rules.trees.getElement(new TreePath(getCurrentPath(), node.getArguments().getFirst()));
                if (tracked(v)) {
                    state.put(v, new Kill(CONSUME, "consumed by Isolated.consume", line));
                }
            } else if ("close".equals(name) && node.getArguments().isEmpty() && tracked(receiver)
                    && (holder(receiver.asType()) || locality.isThreadLocal(receiver))) {
                // Only an owned reference or a holder is closed by close(): a borrowed one's does nothing.
                state.put(receiver, new Kill(CLOSE, "closed (" + receiver.getSimpleName() + ".close())", line));
            }
            return null;
        }

        @Override
        public Void visitAssignment(AssignmentTree node, Void unused) {
            if (node.getVariable() instanceof IdentifierTree) {
                Element v = rules.trees.getElement(new TreePath(getCurrentPath(), node.getVariable()));
                scan(node.getExpression(), null);
                if (state != null && v != null) {
                    state.remove(v);
                }
                return null;
            }
            return super.visitAssignment(node, unused);
        }

        @Override
        public Void visitVariable(VariableTree node, Void unused) {
            if (node.getInitializer() != null) {
                scan(node.getInitializer(), null);
            }
            if (state != null) {
                state.remove(rules.trees.getElement(getCurrentPath()));
            }
            return null;
        }

        @Override
        public Void visitBinary(BinaryTree node, Void unused) {
            switch (node.getKind()) {
                case CONDITIONAL_AND, CONDITIONAL_OR -> {
                    scan(node.getLeftOperand(), null);
                    Map<Element, Kill> left = copy(state);
                    scan(node.getRightOperand(), null);
                    state = join(left, state);
                }
                case EQUAL_TO, NOT_EQUAL_TO -> {
                    // Comparing a released reference is not a use of its object.
                    if (!(node.getLeftOperand() instanceof IdentifierTree)) {
                        scan(node.getLeftOperand(), null);
                    }
                    if (!(node.getRightOperand() instanceof IdentifierTree)) {
                        scan(node.getRightOperand(), null);
                    }
                }
                default -> super.visitBinary(node, unused);
            }
            return null;
        }

        @Override
        public Void visitConditionalExpression(ConditionalExpressionTree node, Void unused) {
            scan(node.getCondition(), null);
            Map<Element, Kill> before = copy(state);
            scan(node.getTrueExpression(), null);
            Map<Element, Kill> whenTrue = state;
            state = before;
            scan(node.getFalseExpression(), null);
            state = join(whenTrue, state);
            return null;
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
            Map<Element, Kill> saved = state;
            state = copy(saved);
            targets.push(new Target(null, false, false, true));
            scan(node.getBody(), null);
            targets.pop();
            state = saved;
            return null;
        }

        @Override
        public Void visitClass(ClassTree node, Void unused) {
            // A local or anonymous class: its methods are checked on their own.
            return null;
        }

        @Override
        public Void visitNewClass(NewClassTree node, Void unused) {
            if (node.getEnclosingExpression() != null) {
                scan(node.getEnclosingExpression(), null);
            }
            for (ExpressionTree argument : node.getArguments()) {
                scan(argument, null);
            }
            return null;
        }

        // ---- branches ----

        @Override
        public Void visitIf(IfTree node, Void unused) {
            scan(node.getCondition(), null);
            Map<Element, Kill> before = copy(state);
            scan(node.getThenStatement(), null);
            Map<Element, Kill> afterThen = state;
            state = before;
            if (node.getElseStatement() != null) {
                scan(node.getElseStatement(), null);
            }
            state = join(afterThen, state);
            return null;
        }

        @Override
        public Void visitAssert(AssertTree node, Void unused) {
            Map<Element, Kill> before = copy(state);
            super.visitAssert(node, unused);
            state = join(before, state);
            return null;
        }

        @Override
        public Void visitSwitch(SwitchTree node, Void unused) {
            cases(node.getExpression(), node.getCases(), false);
            return null;
        }

        @Override
        public Void visitSwitchExpression(SwitchExpressionTree node, Void unused) {
            cases(node.getExpression(), node.getCases(), true);
            return null;
        }

        private void cases(ExpressionTree selector, java.util.List<? extends CaseTree> cases, boolean expression) {
            scan(selector, null);
            Map<Element, Kill> entry = copy(state);
            Target target = new Target(pendingLabel, false, true, false);
            pendingLabel = null;
            targets.push(target);
            boolean hasDefault = false;
            Map<Element, Kill> fallthrough = null;
            Map<Element, Kill> exits = null;
            boolean anyExit = false;
            for (CaseTree c : cases) {
                hasDefault |= c.getLabels().stream().anyMatch(l -> l instanceof DefaultCaseLabelTree);
                state = c.getCaseKind() == CaseTree.CaseKind.STATEMENT ? join(copy(entry), fallthrough) : copy(entry);
                if (c.getGuard() != null) {
                    scan(c.getGuard(), null);
                }
                if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
                    scan(c.getBody(), null);
                    exits = anyExit ? join(exits, state) : copy(state);
                    anyExit |= state != null;
                    fallthrough = null;
                } else {
                    if (c.getStatements() != null) {
                        for (StatementTree s : c.getStatements()) {
                            scan(s, null);
                        }
                    }
                    fallthrough = state;
                }
            }
            targets.pop();
            // The end of the last group, the breaks, the rules' ends, and no case at all.
            Map<Element, Kill> out = join(fallthrough, target.breaks);
            out = join(out, exits);
            if (!hasDefault) {
                out = join(out, entry);
            }
            state = out;
        }

        // ---- loops ----

        private interface Iteration {
            /** Runs one iteration from {@code state}; {@return the state where the loop ends normally}; leaves the back edge in {@code state}. */
            Map<Element, Kill> run(Target target);
        }

        private void loop(Iteration iteration) {
            String label = pendingLabel;
            pendingLabel = null;
            Map<Element, Kill> entry = copy(state);
            Map<Element, Kill> head = copy(entry);
            silent++;
            for (int round = 0; round < 50; round++) {
                state = copy(head);
                Target target = new Target(label, true, false, false);
                targets.push(target);
                iteration.run(target);
                targets.pop();
                Map<Element, Kill> next = join(entry, state);
                if (next == null || next.keySet().equals(head == null ? null : head.keySet())) {
                    break;
                }
                head = next;
            }
            silent--;
            state = copy(head);
            Target target = new Target(label, true, false, false);
            targets.push(target);
            Map<Element, Kill> exit = iteration.run(target);
            targets.pop();
            state = join(exit, target.breaks);
        }

        @Override
        public Void visitWhileLoop(WhileLoopTree node, Void unused) {
            loop(target -> {
                scan(node.getCondition(), null);
                Map<Element, Kill> exit = copy(state);
                scan(node.getStatement(), null);
                state = join(state, target.continues);
                return exit;
            });
            return null;
        }

        @Override
        public Void visitDoWhileLoop(DoWhileLoopTree node, Void unused) {
            loop(target -> {
                scan(node.getStatement(), null);
                state = join(state, target.continues);
                scan(node.getCondition(), null);
                return copy(state);
            });
            return null;
        }

        @Override
        public Void visitForLoop(ForLoopTree node, Void unused) {
            String label = pendingLabel;
            pendingLabel = null;
            for (StatementTree s : node.getInitializer()) {
                scan(s, null);
            }
            pendingLabel = label;
            loop(target -> {
                if (node.getCondition() != null) {
                    scan(node.getCondition(), null);
                }
                Map<Element, Kill> exit = copy(state);
                scan(node.getStatement(), null);
                state = join(state, target.continues);
                for (var update : node.getUpdate()) {
                    scan(update, null);
                }
                return exit;
            });
            return null;
        }

        @Override
        public Void visitEnhancedForLoop(EnhancedForLoopTree node, Void unused) {
            String label = pendingLabel;
            pendingLabel = null;
            scan(node.getExpression(), null);
            pendingLabel = label;
            loop(target -> {
                Map<Element, Kill> exit = copy(state);
                scan(node.getVariable(), null);
                scan(node.getStatement(), null);
                state = join(state, target.continues);
                return exit;
            });
            return null;
        }

        @Override
        public Void visitLabeledStatement(LabeledStatementTree node, Void unused) {
            Tree statement = node.getStatement();
            String label = node.getLabel().toString();
            if (statement instanceof WhileLoopTree || statement instanceof DoWhileLoopTree || statement instanceof ForLoopTree
                    || statement instanceof EnhancedForLoopTree || statement instanceof SwitchTree) {
                pendingLabel = label;
                scan(statement, null);
                pendingLabel = null;
                return null;
            }
            Target target = new Target(label, false, false, false);
            targets.push(target);
            scan(statement, null);
            targets.pop();
            state = join(state, target.breaks);
            return null;
        }

        // ---- jumps ----

        @Override
        public Void visitBreak(BreakTree node, Void unused) {
            String label = node.getLabel() == null ? null : node.getLabel().toString();
            for (Target t : targets) {
                if (t.barrier) {
                    break;
                }
                if (label == null ? t.loop || t.switchy : label.equals(t.label)) {
                    t.breaks = join(t.breaks, state);
                    break;
                }
            }
            state = null;
            return null;
        }

        @Override
        public Void visitContinue(ContinueTree node, Void unused) {
            String label = node.getLabel() == null ? null : node.getLabel().toString();
            for (Target t : targets) {
                if (t.barrier) {
                    break;
                }
                if (t.loop && (label == null || label.equals(t.label))) {
                    t.continues = join(t.continues, state);
                    break;
                }
            }
            state = null;
            return null;
        }

        @Override
        public Void visitYield(YieldTree node, Void unused) {
            scan(node.getValue(), null);
            for (Target t : targets) {
                if (t.switchy || t.barrier) {
                    if (t.switchy) {
                        t.breaks = join(t.breaks, state);
                    }
                    break;
                }
            }
            state = null;
            return null;
        }

        @Override
        public Void visitReturn(ReturnTree node, Void unused) {
            super.visitReturn(node, unused);
            state = null;
            return null;
        }

        @Override
        public Void visitThrow(ThrowTree node, Void unused) {
            super.visitThrow(node, unused);
            state = null;
            return null;
        }

        // ---- try ----

        @Override
        public Void visitTry(TryTree node, Void unused) {
            TreePath here = getCurrentPath();
            Map<Element, Kill> start = copy(state);
            Set<Element> assigned = assignedIn(here, node.getBlock());
            for (Tree resource : node.getResources()) {
                scan(resource, null);
                assigned.addAll(assignedIn(here, resource));
            }
            scan(node.getBlock(), null);
            if (state != null) {
                for (Tree resource : node.getResources()) {
                    if (resource instanceof IdentifierTree id) {
                        Element v = rules.trees.getElement(new TreePath(here, id));
                        if (tracked(v) && (holder(v.asType()) || locality.isThreadLocal(v))) {
                            state.put(v, new Kill(CLOSE, "closed by the try-with-resources", rules.line(node)));
                        }
                    }
                }
            }
            Map<Element, Kill> normal = state;
            Map<Element, Kill> catchEntry = without(start, assigned);
            for (CatchTree c : node.getCatches()) {
                state = copy(catchEntry);
                scan(c, null);
                normal = join(normal, state);
                assigned.addAll(assignedIn(here, c));
            }
            if (node.getFinallyBlock() != null) {
                // Report from what holds on every way in (an exception may come from anywhere in the try).
                state = without(start, assigned);
                scan(node.getFinallyBlock(), null);
                boolean completes = state != null;
                silent++;
                state = copy(normal);
                scan(node.getFinallyBlock(), null);
                silent--;
                if (!completes) {
                    state = null;
                }
            } else {
                state = normal;
            }
            return null;
        }

        private Map<Element, Kill> without(Map<Element, Kill> s, Set<Element> assigned) {
            Map<Element, Kill> out = copy(s);
            if (out != null) {
                out.keySet().removeAll(assigned);
            }
            return out;
        }

        private Set<Element> assignedIn(TreePath parent, Tree tree) {
            Set<Element> out = new HashSet<>();
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitAssignment(AssignmentTree node, Void unused) {
                    if (node.getVariable() instanceof IdentifierTree) {
                        out.add(rules.trees.getElement(new TreePath(getCurrentPath(), node.getVariable())));
                    }
                    return super.visitAssignment(node, unused);
                }

                @Override
                public Void visitVariable(VariableTree node, Void unused) {
                    out.add(rules.trees.getElement(getCurrentPath()));
                    return super.visitVariable(node, unused);
                }
            }.scan(new TreePath(parent, tree), null);
            return out;
        }
    }
}
