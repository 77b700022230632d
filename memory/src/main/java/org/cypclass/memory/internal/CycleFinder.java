package org.cypclass.memory.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds reference cycles that nothing outside them holds: garbage that reference counting
 * alone never frees (Cython+ leaks them silently). Trial deletion over every live object, the
 * way CPython's cycle collector and Cython+'s {@code CyObject_iso} decide reachability from
 * counts:
 * <ol>
 *   <li>List the live objects (a heap walk; a block is an object when its {@code ob_type}
 *       word is its type's type object) and, through each type's {@link ReferenceVisitor},
 *       the references they hold to one another: a graph in compressed rows, ints only.</li>
 *   <li>Subtract from each object's nogil count the references other listed objects hold to
 *       it. What remains is held from outside the graph (an owned reference, the garbage-collected
 *       references together, C, a thread's stack through any of them): those objects are
 *       roots.</li>
 *   <li>Mark everything reachable from a root. The unmarked objects have every count from
 *       other unmarked objects: nothing can ever reach them again.</li>
 *   <li>Split the unmarked objects into strongly connected components (Tarjan's algorithm);
 *       each component with more than one object, or one object referring to itself, is a
 *       cycle. Unmarked objects outside any cycle hang off one and are freed with it.</li>
 * </ol>
 * Every step is a loop over arrays (the depth-first search keeps its own stack), so a cycle of
 * a million objects is found in constant Java stack. An object of a type registered without a
 * visitor counts as holding nothing, which can only make the objects it holds look held from
 * outside: such a type hides cycles through it, it never invents one.
 *
 * <p>Never called on a hot path: only {@code LeakReport} runs it. Like the heap walk it rests
 * on, it is exact only while no other thread allocates, frees or moves a count.
 */
public final class CycleFinder {

    /**
     * One cycle found.
     *
     * @param objects its objects' addresses, in the order the search met them
     * @param from for each reference inside the cycle, the object holding it
     * @param slot the slot's offset as its type's visitor reported it ({@link BlockTypes#slotName})
     * @param to the object it refers to
     */
    public record Cycle(long[] objects, long[] from, long[] slot, long[] to) {
    }

    private CycleFinder() {
    }

    /**
     * Finds every unreachable cycle among the live objects now.
     *
     * @return the cycles, largest first
     */
    public static List<Cycle> find() {
        long[] nodes = liveObjects();
        Graph graph = Graph.of(nodes);
        boolean[] reachable = markFromRoots(nodes, graph);
        List<Cycle> cycles = stronglyConnected(nodes, graph, reachable);
        cycles.sort((a, b) -> Integer.compare(b.objects.length, a.objects.length));
        return cycles;
    }

    /** Every live block that is an object not yet dead, sorted by address. */
    private static long[] liveObjects() {
        long[][] list = {new long[1024]};
        int[] size = {0};
        Allocator.forEachLiveBlock((block, typeId, bytes) -> {
            if (RefCount.isObject(block, typeId, bytes) && RefCount.owner(block) != 0) {
                if (size[0] == list[0].length) {
                    list[0] = Arrays.copyOf(list[0], 2 * size[0]);
                }
                list[0][size[0]++] = block;
            }
        });
        long[] nodes = Arrays.copyOf(list[0], size[0]);
        Arrays.sort(nodes);
        return nodes;
    }

    /** References between listed objects, compressed rows: node i's edges are first[i] to first[i + 1] - 1. */
    private static final class Graph implements ReferenceVisitor.Slot {
        final int[] first;
        int[] to = new int[1024];
        long[] slot = new long[1024];
        int edges;
        private final long[] nodes;

        private Graph(long[] nodes) {
            this.nodes = nodes;
            this.first = new int[nodes.length + 1];
        }

        static Graph of(long[] nodes) {
            Graph graph = new Graph(nodes);
            for (int i = 0; i < nodes.length; i++) {
                graph.first[i] = graph.edges;
                BlockTypes.references(Allocator.typeOf(nodes[i])).forEachReference(nodes[i], graph);
            }
            graph.first[nodes.length] = graph.edges;
            return graph;
        }

        @Override
        public void visit(long offset, long target) {
            int index = Arrays.binarySearch(nodes, target);
            if (index < 0) {
                return;     // not a live object: a dangling slot is for the debug allocator to find
            }
            if (edges == to.length) {
                to = Arrays.copyOf(to, 2 * edges);
                slot = Arrays.copyOf(slot, 2 * edges);
            }
            to[edges] = index;
            slot[edges] = offset;
            edges++;
        }
    }

    /** Marks the objects held from outside the graph and everything they reach. */
    private static boolean[] markFromRoots(long[] nodes, Graph graph) {
        int n = nodes.length;
        int[] heldInside = new int[n];
        for (int e = 0; e < graph.edges; e++) {
            heldInside[graph.to[e]]++;
        }
        boolean[] reachable = new boolean[n];
        int[] work = new int[n];
        int top = 0;
        for (int i = 0; i < n; i++) {
            if (RefCount.count(nodes[i]) > heldInside[i]) {
                reachable[i] = true;
                work[top++] = i;
            }
        }
        while (top > 0) {
            int v = work[--top];
            for (int e = graph.first[v]; e < graph.first[v + 1]; e++) {
                int w = graph.to[e];
                if (!reachable[w]) {
                    reachable[w] = true;
                    work[top++] = w;
                }
            }
        }
        return reachable;
    }

    /** Tarjan's algorithm over the unreachable objects, with explicit stacks. */
    private static List<Cycle> stronglyConnected(long[] nodes, Graph graph, boolean[] reachable) {
        int n = nodes.length;
        int[] index = new int[n];
        Arrays.fill(index, -1);
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int sp = 0;
        int[] callNode = new int[n];
        int[] callEdge = new int[n];
        int counter = 0;
        List<Cycle> cycles = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (reachable[root] || index[root] >= 0) {
                continue;
            }
            int depth = 0;
            callNode[0] = root;
            callEdge[0] = graph.first[root];
            index[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = callNode[depth];
                int e = callEdge[depth];
                if (e < graph.first[v + 1]) {
                    callEdge[depth]++;
                    int w = graph.to[e];
                    if (reachable[w]) {
                        continue;
                    }
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        depth++;
                        callNode[depth] = w;
                        callEdge[depth] = graph.first[w];
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                depth--;
                if (depth >= 0) {
                    int parent = callNode[depth];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    int start = sp;
                    do {
                        start--;
                        onStack[stack[start]] = false;
                    } while (stack[start] != v);
                    int[] members = Arrays.copyOfRange(stack, start, sp);
                    sp = start;
                    Cycle cycle = cycleOf(nodes, graph, members);
                    if (cycle != null) {
                        cycles.add(cycle);
                    }
                }
            }
        }
        return cycles;
    }

    /** The component as a cycle with its inner references, or null if it is one object that does not refer to itself. */
    private static Cycle cycleOf(long[] nodes, Graph graph, int[] members) {
        int[] sorted = members.clone();
        Arrays.sort(sorted);
        int inner = 0;
        for (int v : members) {
            for (int e = graph.first[v]; e < graph.first[v + 1]; e++) {
                if (Arrays.binarySearch(sorted, graph.to[e]) >= 0) {
                    inner++;
                }
            }
        }
        if (inner == 0) {
            return null;
        }
        long[] objects = new long[members.length];
        long[] from = new long[inner];
        long[] slot = new long[inner];
        long[] to = new long[inner];
        int k = 0;
        for (int m = 0; m < members.length; m++) {
            int v = members[m];
            objects[m] = nodes[v];
            for (int e = graph.first[v]; e < graph.first[v + 1]; e++) {
                if (Arrays.binarySearch(sorted, graph.to[e]) >= 0) {
                    from[k] = nodes[v];
                    slot[k] = graph.slot[e];
                    to[k] = nodes[graph.to[e]];
                    k++;
                }
            }
        }
        return new Cycle(objects, from, slot, to);
    }
}
