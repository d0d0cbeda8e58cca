package io.jasyncio;

import io.jasyncio.diagnostics.Deadlock;
import io.jasyncio.diagnostics.TaskInfo;
import io.jasyncio.diagnostics.TaskRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds deadlocks in a dump: cycles in the graph "parked task → the tasks its wait can only end
 * through" (an awaited task, a lock's holder, a group's children). Tarjan's strongly connected
 * components, iterative so that a chain of 100,000 awaits does not overflow the stack; one cycle
 * is reported per component.
 */
final class Cycles {

    private Cycles() {
    }

    static List<Deadlock> find(List<TaskInfo> tasks) {
        int n = tasks.size();
        Map<Long, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(tasks.get(i).id(), i);
        }
        int[][] edges = new int[n][];
        for (int i = 0; i < n; i++) {
            TaskInfo t = tasks.get(i);
            List<TaskRef> to = t.waitingOn() == null ? List.of() : t.waitingOn().waitsFor();
            int[] e = new int[to.size()];
            int k = 0;
            for (TaskRef r : to) {
                Integer j = index.get(r.id());
                if (j != null) {
                    e[k++] = j;
                }
            }
            edges[i] = k == e.length ? e : java.util.Arrays.copyOf(e, k);
        }
        int[] idx = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        java.util.Arrays.fill(idx, -1);
        int[] stack = new int[n];
        int sp = 0;
        int[] callNode = new int[n];
        int[] callEdge = new int[n];
        int counter = 0;
        List<Deadlock> out = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (idx[root] != -1 || edges[root].length == 0) {
                continue;
            }
            int depth = 0;
            callNode[0] = root;
            callEdge[0] = 0;
            idx[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = callNode[depth];
                if (callEdge[depth] < edges[v].length) {
                    int w = edges[v][callEdge[depth]++];
                    if (idx[w] == -1) {
                        idx[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        depth++;
                        callNode[depth] = w;
                        callEdge[depth] = 0;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], idx[w]);
                    }
                } else {
                    if (low[v] == idx[v]) {
                        List<Integer> comp = new ArrayList<>();
                        int w;
                        do {
                            w = stack[--sp];
                            onStack[w] = false;
                            comp.add(w);
                        } while (w != v);
                        boolean selfLoop = comp.size() == 1 && contains(edges[v], v);
                        if (comp.size() > 1 || selfLoop) {
                            out.add(cycle(tasks, edges, comp));
                        }
                    }
                    depth--;
                    if (depth >= 0) {
                        int parent = callNode[depth];
                        low[parent] = Math.min(low[parent], low[v]);
                    }
                }
            }
        }
        return out;
    }

    private static boolean contains(int[] a, int x) {
        for (int y : a) {
            if (y == x) {
                return true;
            }
        }
        return false;
    }

    /** One cycle inside a strongly connected component: walk edges inside it until a node repeats. */
    private static Deadlock cycle(List<TaskInfo> tasks, int[][] edges, List<Integer> comp) {
        java.util.Set<Integer> in = new java.util.HashSet<>(comp);
        Map<Integer, Integer> seenAt = new HashMap<>();
        List<Integer> path = new ArrayList<>();
        int v = comp.stream().min(Integer::compare).orElseThrow();
        while (!seenAt.containsKey(v)) {
            seenAt.put(v, path.size());
            path.add(v);
            int next = -1;
            for (int w : edges[v]) {
                if (in.contains(w)) {
                    next = w;
                    break;
                }
            }
            v = next;
        }
        List<Integer> loop = path.subList(seenAt.get(v), path.size());
        List<TaskRef> refs = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i : loop) {
            TaskInfo t = tasks.get(i);
            refs.add(t.ref());
            lines.add(t.ref() + " " + t.waitingOn().describe());
        }
        return new Deadlock(refs, lines);
    }
}
