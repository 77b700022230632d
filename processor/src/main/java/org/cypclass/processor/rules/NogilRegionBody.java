package org.cypclass.processor.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

import com.sun.source.tree.AssertTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

/**
 * {@code cypclass:nogil}: the compile-time half of Cython+'s {@code with nogil:}. Lexically
 * inside the block of a try-with-resources that opens a {@code NogilRegion}, these allocate on
 * the Java heap or take a monitor, and are errors: {@code new} (objects, arrays, anonymous
 * classes), autoboxing (a primitive passed, assigned or returned where a reference type is
 * expected), string concatenation that is not a constant, a lambda or method reference that
 * captures (a non-capturing one is a constant), and {@code synchronized}. What a called method
 * does is the run-time check's to see ({@code -Dcypclass.nogil.check=true}). A {@code throw}
 * or {@code assert} statement is not checked: its allocation is on the path that leaves the
 * region with an exception. Bodies of lambdas and local classes are not checked either: they
 * run when called, not where they are written.
 */
final class NogilRegionBody {

    static final String RULE = "nogil";

    private final Rules rules;

    NogilRegionBody(Rules rules) {
        this.rules = rules;
    }

    void visitTry(TreePath path) {
        TryTree t = (TryTree) path.getLeaf();
        String region = null;
        for (Tree resource : t.getResources()) {
            TreePath at = new TreePath(path, resource);
            TypeMirror type = rules.trees.getTypeMirror(at);
            if (rules.isSubtype(type, Rules.NOGIL_REGION)) {
                region = resource instanceof VariableTree v && v.getInitializer() != null ? Rules.text(v.getInitializer()) : Rules.text((ExpressionTree) resource);
            }
        }
        if (region != null) {
            String name = region;
            new Body(name).scan(new TreePath(path, t.getBlock()), null);
        }
    }

    private final class Body extends TreePathScanner<Void, Void> {
        private final String region;

        Body(String region) {
            this.region = region;
        }

        private void report(String what, String fix) {
            rules.report(RULE, getCurrentPath(), what + " inside the nogil region opened by " + region
                + " allocates on the Java heap or takes a monitor; " + fix);
        }

        @Override
        public Void visitNewClass(NewClassTree node, Void unused) {
            report("new " + node.getIdentifier() + (node.getClassBody() == null ? "(...)" : "(...) { ... }"),
                "allocate before entering the region, or use an off-heap cypclass");
            // The arguments are checked too; an anonymous body runs later.
            scan(node.getEnclosingExpression(), null);
            scan(node.getArguments(), null);
            arguments(node.getArguments());
            return null;
        }

        @Override
        public Void visitNewArray(NewArrayTree node, Void unused) {
            report("a new array", "allocate it before entering the region (or use a flexible array member)");
            return super.visitNewArray(node, unused);
        }

        @Override
        public Void visitSynchronized(SynchronizedTree node, Void unused) {
            report("synchronized", "use the object's lock (Locked.write()/read()), which holds no Java monitor");
            return super.visitSynchronized(node, unused);
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
            if (captures(getCurrentPath())) {
                report("a capturing lambda", "a lambda that captures a variable is a new object each time; make it"
                    + " capture nothing, or create it before the region");
            }
            return null;
        }

        @Override
        public Void visitMemberReference(MemberReferenceTree node, Void unused) {
            Element qualifier = rules.trees.getElement(new TreePath(getCurrentPath(), node.getQualifierExpression()));
            if (!(qualifier instanceof javax.lang.model.element.TypeElement)) {
                report("the bound method reference " + node, "a method reference bound to a receiver is a new object"
                    + " each time; create it before the region");
            }
            return super.visitMemberReference(node, unused);
        }

        @Override
        public Void visitClass(ClassTree node, Void unused) {
            return null;
        }

        @Override
        public Void visitThrow(ThrowTree node, Void unused) {
            return null;
        }

        @Override
        public Void visitAssert(AssertTree node, Void unused) {
            return null;
        }

        @Override
        public Void visitBinary(BinaryTree node, Void unused) {
            if (node.getKind() == Tree.Kind.PLUS && isString(rules.trees.getTypeMirror(getCurrentPath()))
                    && !constant(getCurrentPath())) {
                report("the string concatenation " + Rules.text(node), "build strings outside the region");
                return null;
            }
            return super.visitBinary(node, unused);
        }

        @Override
        public Void visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
            if (node.getKind() == Tree.Kind.PLUS_ASSIGNMENT
                    && isString(rules.trees.getTypeMirror(new TreePath(getCurrentPath(), node.getVariable())))) {
                report("the string concatenation " + Rules.text(node), "build strings outside the region");
                return null;
            }
            return super.visitCompoundAssignment(node, unused);
        }

        @Override
        public Void visitVariable(VariableTree node, Void unused) {
            if (node.getInitializer() != null) {
                boxing(node.getInitializer(), rules.trees.getTypeMirror(getCurrentPath()));
            }
            return super.visitVariable(node, unused);
        }

        @Override
        public Void visitAssignment(AssignmentTree node, Void unused) {
            boxing(node.getExpression(), rules.trees.getTypeMirror(new TreePath(getCurrentPath(), node.getVariable())));
            return super.visitAssignment(node, unused);
        }

        @Override
        public Void visitReturn(ReturnTree node, Void unused) {
            if (node.getExpression() != null) {
                for (TreePath p = getCurrentPath(); p != null; p = p.getParentPath()) {
                    if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof ClassTree) {
                        break;
                    }
                    if (p.getLeaf() instanceof MethodTree method) {
                        Element m = rules.trees.getElement(p);
                        if (m instanceof ExecutableElement e) {
                            boxing(node.getExpression(), e.getReturnType());
                        }
                        break;
                    }
                }
            }
            return super.visitReturn(node, unused);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
            arguments(node.getArguments(), new TreePath(getCurrentPath(), node.getMethodSelect()));
            return super.visitMethodInvocation(node, unused);
        }

        private void arguments(List<? extends ExpressionTree> arguments) {
            arguments(arguments, getCurrentPath());
        }

        private void arguments(List<? extends ExpressionTree> arguments, TreePath methodPath) {
            TypeMirror type = rules.trees.getTypeMirror(methodPath);
            Element element = rules.trees.getElement(methodPath);
            if (!(type instanceof ExecutableType executable) || !(element instanceof ExecutableElement method)) {
                return;
            }
            List<? extends TypeMirror> parameters = executable.getParameterTypes();
            for (int i = 0; i < arguments.size() && !parameters.isEmpty(); i++) {
                TypeMirror target;
                boolean last = i >= parameters.size() - 1;
                TypeMirror argument = rules.trees.getTypeMirror(new TreePath(getCurrentPath(), arguments.get(i)));
                if (method.isVarArgs() && last && !(arguments.size() == parameters.size()
                        && argument != null && argument.getKind() == TypeKind.ARRAY)) {
                    TypeMirror array = parameters.getLast();
                    target = array instanceof javax.lang.model.type.ArrayType a ? a.getComponentType() : array;
                } else {
                    target = parameters.get(Math.min(i, parameters.size() - 1));
                }
                boxing(arguments.get(i), target);
            }
        }

        /** Reports {@code value} if it is of a primitive type and goes where a reference is expected. */
        private void boxing(ExpressionTree value, TypeMirror target) {
            if (target == null || target.getKind().isPrimitive() || target.getKind() == TypeKind.ERROR) {
                return;
            }
            TreePath at = new TreePath(getCurrentPath(), value);
            TypeMirror type = rules.trees.getTypeMirror(at);
            if (type != null && type.getKind().isPrimitive() && !constant(at)) {
                rules.report(RULE, at, "'" + Rules.text(value) + "' is boxed to " + target + " inside the nogil region opened by "
                    + region + ", which allocates on the Java heap; keep it primitive (a primitive overload or field)");
            }
        }
    }

    private boolean isString(TypeMirror type) {
        return type != null && type.getKind() == TypeKind.DECLARED && type.toString().equals("java.lang.String");
    }

    /** {@return whether an expression is a compile-time constant (javac folds it; nothing is allocated)} */
    private boolean constant(TreePath path) {
        Tree leaf = path.getLeaf();
        if (leaf instanceof LiteralTree) {
            return true;
        }
        if (leaf instanceof ParenthesizedTree p) {
            return constant(new TreePath(path, p.getExpression()));
        }
        if (leaf instanceof BinaryTree b) {
            return constant(new TreePath(path, b.getLeftOperand())) && constant(new TreePath(path, b.getRightOperand()));
        }
        if (leaf instanceof IdentifierTree || leaf instanceof MemberSelectTree) {
            Element e = rules.trees.getElement(path);
            return e instanceof VariableElement v && v.getConstantValue() != null;
        }
        return false;
    }

    /** {@return whether a lambda captures a local variable from outside it, or this} */
    private boolean captures(TreePath lambda) {
        Set<Element> inside = new HashSet<>();
        boolean[] found = {false};
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree node, Void unused) {
                inside.add(rules.trees.getElement(getCurrentPath()));
                return super.visitVariable(node, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                Element e = rules.trees.getElement(getCurrentPath());
                if (e == null) {
                    return null;
                }
                if (node.getName().contentEquals("this") || node.getName().contentEquals("super")
                        || Rules.LOCALS.contains(e.getKind()) && !inside.contains(e)
                        || (e.getKind() == ElementKind.FIELD || e.getKind() == ElementKind.METHOD)
                            && !e.getModifiers().contains(Modifier.STATIC)) {
                    found[0] = true;
                }
                return null;
            }
        }.scan(lambda, null);
        return found[0];
    }
}
