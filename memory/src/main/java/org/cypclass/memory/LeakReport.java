package org.cypclass.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LeakTracker;

/**
 * The live blocks of the whole process, listed by type, each with its address and size and,
 * when leak tracking is on ({@code -D}{@value MemoryStats#LEAK_TRACKING_PROPERTY}{@code =true}),
 * the stack trace of its allocation.
 *
 * <p>Building a report walks the allocator's memory. It is exact only while no other thread
 * allocates or frees, such as at the end of a test or at shutdown.
 *
 * <p>Thread-safety: immutable; safe to share between threads.
 */
public final class LeakReport {

    /** How many blocks of one type {@link #toString()} lists before summarizing the rest. */
    public static final int BLOCKS_SHOWN_PER_TYPE = 10;

    /**
     * One live block.
     *
     * @param type the block's type name
     * @param address the block's address, for correlating with native tools
     * @param size its usable size in bytes
     * @param allocationSite where it was allocated, or {@code null} when tracking is off
     */
    public record LiveBlock(String type, long address, long size, Throwable allocationSite) {
    }

    private final Map<String, List<LiveBlock>> byType;

    private LeakReport(Map<String, List<LiveBlock>> byType) {
        this.byType = byType;
    }

    /**
     * Lists every live block now.
     *
     * @return the report
     */
    public static LeakReport create() {
        Map<String, List<LiveBlock>> byType = new TreeMap<>();
        Allocator.forEachLiveBlock((block, typeId, size) -> byType
            .computeIfAbsent(BlockTypes.name(typeId), name -> new ArrayList<>())
            .add(new LiveBlock(BlockTypes.name(typeId), block, size, LeakTracker.siteOf(block))));
        byType.replaceAll((type, blocks) -> Collections.unmodifiableList(blocks));
        return new LeakReport(Collections.unmodifiableMap(byType));
    }

    /**
     * Returns whether no block is live.
     *
     * @return whether no block is live
     */
    public boolean isEmpty() {
        return byType.isEmpty();
    }

    /**
     * Returns the live blocks, grouped by type name in name order.
     *
     * @return the live blocks, grouped by type name in name order
     */
    public Map<String, List<LiveBlock>> blocksByType() {
        return byType;
    }

    /**
     * Returns the number of live blocks listed.
     *
     * @return the number of live blocks listed
     */
    public int size() {
        return byType.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Returns a readable report: a section per type, the first blocks of each, with allocation sites.
     *
     * @return a readable report: a section per type, the first blocks of each, with allocation sites
     */
    @Override
    public String toString() {
        if (byType.isEmpty()) {
            return "no live off-heap blocks";
        }
        StringBuilder text = new StringBuilder().append(size()).append(" live off-heap blocks");
        if (!LeakTracker.enabled()) {
            text.append(" (run with -D").append(MemoryStats.LEAK_TRACKING_PROPERTY)
                .append("=true to see where each was allocated)");
        }
        text.append('\n');
        byType.forEach((type, blocks) -> {
            text.append("  ").append(type).append(": ").append(blocks.size()).append(" blocks\n");
            for (int i = 0; i < Math.min(blocks.size(), BLOCKS_SHOWN_PER_TYPE); i++) {
                LiveBlock block = blocks.get(i);
                text.append(String.format("    at 0x%x, %d bytes%n", block.address(), block.size()));
                if (block.allocationSite() != null) {
                    text.append("      ").append(block.allocationSite().getMessage()).append('\n');
                    for (StackTraceElement frame : block.allocationSite().getStackTrace()) {
                        text.append("        at ").append(frame).append('\n');
                    }
                }
            }
            if (blocks.size() > BLOCKS_SHOWN_PER_TYPE) {
                text.append("    ... and ").append(blocks.size() - BLOCKS_SHOWN_PER_TYPE).append(" more\n");
            }
        });
        return text.toString();
    }
}
