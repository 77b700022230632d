package org.cypclass.tests.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Wide;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.objects.containers.RefList;

/**
 * The forked side of {@link TrimRssTest}: a spike of instances created and closed, then the
 * resident set watched while the process is idle. Prints {@code key=value} lines and exits 0
 * when every check held, 1 otherwise (the lines say which).
 */
public final class TrimChild {

    /** Whether the spike interleaves two sizes (the {@code mixed} scenario). */
    private static boolean mixed;

    private TrimChild() {
    }

    /**
     * Runs one scenario.
     *
     * @param args {@code decay instances} (wait up to 5 s for the decay to give the spike back),
     *        {@code mixed instances} (the same, with a larger instance allocated after every fifth
     *        one, so that two sizes interleave) or {@code explicit instances} (run with the decay
     *        off: {@code MemoryStats.trim()} gives it back)
     * @throws Exception if /proc cannot be read or the sleep is interrupted
     */
    public static void main(String[] args) throws Exception {
        boolean explicit = args[0].equals("explicit");
        mixed = args[0].equals("mixed");
        int instances = Integer.parseInt(args[1]);
        spike(100_000);                   // warm-up: compiled code, grown code cache, reached steady Java heap
        System.gc();
        Thread.sleep(explicit ? 0 : 1500);
        // Lives through the spike and the trims: the heap walk must step over the trimmed
        // regions (zeros, no prefix) and still find it.
        Adder witness = Adder.create(-7);
        long before = rssKb();
        spike(instances);
        long peak = rssKb();
        System.out.println("before_kb=" + before + " peak_kb=" + peak);
        boolean ok = true;
        if (explicit) {
            long start = System.nanoTime();
            long given = MemoryStats.trim();
            long took = (System.nanoTime() - start) / 1_000_000;
            long after = rssKb();
            System.out.println("trim_bytes=" + given + " trim_ms=" + took + " after_kb=" + after);
            ok &= given > 0 && after - before <= 64 * 1024;
        } else {
            long start = System.nanoTime();
            long after = peak;
            while (after - before > 64 * 1024 && System.nanoTime() - start < 5_000_000_000L) {
                Thread.sleep(100);
                after = rssKb();
            }
            System.out.println("after_kb=" + after + " idle_ms=" + (System.nanoTime() - start) / 1_000_000);
            ok &= after - before <= 64 * 1024;
        }
        // The leak checks still add up after trims: one live block, found by the heap walk.
        LeakReport report = LeakReport.create();
        long live = MemoryStats.snapshot().liveBlocks();
        int walked = report.size();
        System.out.println("live with the witness=" + live + " walked=" + walked + " witness=" + witness.value());
        ok &= live == 1 && walked == 1 && report.blocksByType().keySet().stream().allMatch(type -> type.endsWith("Adder"))
            && witness.value() == -7;
        witness.close();
        ok &= checkNothingLive("after the spike");
        ok &= reuse(instances / 10);
        ok &= checkNothingLive("after the reuse");
        System.out.println(ok ? "ok" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static void spike(int instances) {
        try (RefList<Adder> adders = RefList.create(Adder.class, instances);
                RefList<Wide> wides = RefList.create(Wide.class, mixed ? instances / 5 : 0)) {
            for (int i = 0; i < instances; i++) {
                try (Adder adder = Adder.create(i)) {
                    adders.add(adder);
                }
                if (mixed && i % 5 == 0) {
                    try (Wide wide = Wide.create()) {
                        wides.add(wide);
                    }
                }
            }
        }
    }

    /** Allocates again over the given-back memory; every instance reads back what it was given. */
    private static boolean reuse(int instances) {
        try (RefList<Adder> adders = RefList.create(Adder.class, instances)) {
            for (int i = 0; i < instances; i++) {
                try (Adder adder = Adder.create(i)) {
                    adders.add(adder);
                }
            }
            for (int i = 0; i < instances; i++) {
                Adder adder = adders.get(i);    // borrowed: no count taken, none to give back
                if (adder.value() != i || adder.add(1) != i + 1) {
                    System.out.println("reuse: element " + i + " reads " + adder.value());
                    return false;
                }
            }
        }
        System.out.println("reused=" + instances);
        return true;
    }

    private static boolean checkNothingLive(String when) {
        long live = MemoryStats.snapshot().liveBlocks();
        LeakReport report = LeakReport.create();
        boolean walkClean = report.isEmpty();
        System.out.println("live " + when + "=" + live + " walk_clean=" + walkClean);
        if (live != 0 || !walkClean) {
            System.out.println(report);
            return false;
        }
        return true;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
