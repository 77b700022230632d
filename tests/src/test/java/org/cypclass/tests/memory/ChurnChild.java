package org.cypclass.tests.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cypclass.examples.Adder;
import org.cypclass.memory.MemoryStats;

/**
 * The forked side of {@link ThreadChurnRssTest}: many short-lived virtual threads, each making
 * and closing ten instances (mode {@code cyp}) or ten small Java arrays (mode {@code java}),
 * after a warm-up; prints the growth of the resident set ({@code growth_kb=...}) and exits 1 if
 * an off-heap block is left.
 */
public final class ChurnChild {

    private static volatile Object sink;

    private ChurnChild() {
    }

    /**
     * Runs the churn.
     *
     * @param args {@code cyp|java threads}
     * @throws Exception if a thread cannot be joined or /proc cannot be read
     */
    public static void main(String[] args) throws Exception {
        boolean cyp = args[0].equals("cyp");
        int threads = Integer.parseInt(args[1]);
        Runnable body = cyp ? ChurnChild::cypBody : ChurnChild::javaBody;
        churn(body, 10_000);
        System.gc();
        long before = rssKb();
        churn(body, threads);
        long after = rssKb();
        System.out.println("growth_kb=" + (after - before) + " live=" + MemoryStats.snapshot().liveBlocks());
        System.exit(MemoryStats.snapshot().liveBlocks() == 0 ? 0 : 1);
    }

    private static void churn(Runnable body, int threads) throws InterruptedException {
        Thread[] inFlight = new Thread[64];
        for (int i = 0; i < threads; i++) {
            int slot = i % inFlight.length;
            if (inFlight[slot] != null) {
                inFlight[slot].join();
            }
            inFlight[slot] = Thread.ofVirtual().start(body);
        }
        for (Thread thread : inFlight) {
            if (thread != null) {
                thread.join();
            }
        }
    }

    private static void cypBody() {
        Adder[] adders = new Adder[10];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = Adder.create(i);
        }
        for (Adder adder : adders) {
            adder.close();
        }
    }

    private static void javaBody() {
        int[][] arrays = new int[10][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new int[] {i};
        }
        sink = arrays[arrays.length - 1];
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
