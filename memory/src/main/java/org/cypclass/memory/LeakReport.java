package org.cypclass.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.CycleFinder;
import org.cypclass.memory.internal.LeakTracker;
import org.cypclass.memory.internal.Orphans;

/**
 * The live blocks of the whole process, listed by type, each with its address and size and,
 * when leak tracking is on ({@code -D}{@value MemoryStats#LEAK_TRACKING_PROPERTY}{@code =true}),
 * the stack trace of its allocation; and, apart, the {@linkplain #orphans() orphans} (objects
 * whose owner thread has ended and that no thread has adopted yet) and the
 * {@linkplain #cycles() unreachable reference cycles} among them.
 *
 * <p>Building a report walks the allocator's memory twice (the blocks, then the references
 * between objects, see {@code CycleFinder} in the internal package), on the calling thread and
 * in constant Java stack. It is exact only while no other thread allocates, frees or moves a
 * count, such as at the end of a test or at shutdown. Nothing else in the library runs it.
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

    /**
     * One reference inside a cycle: the slot of {@code from} named {@code field} holds a count
     * of {@code to}.
     *
     * @param from the object holding the reference
     * @param field the slot's name: a field, {@code children[1]} for an array element
     * @param to the object it refers to
     */
    public record Link(LiveBlock from, String field, LiveBlock to) {
        /**
         * Returns the link as one line.
         *
         * @return for example {@code com.example.Node at 0x7f3a12c0 .next -> com.example.Node at 0x7f3a1300}
         */
        @Override
        public String toString() {
            return String.format("%s at 0x%x .%s -> %s at 0x%x", from.type, from.address, field, to.type, to.address);
        }
    }

    /**
     * Objects that hold one another and that nothing else holds: every count of each comes
     * from another object of the cycle (or of another such cycle), so no thread can ever
     * reach them and reference counting alone never frees them.
     *
     * @param objects the objects of the cycle
     * @param links the references between them that close it
     */
    public record Cycle(List<LiveBlock> objects, List<Link> links) {
        /**
         * Copies the lists.
         *
         * @param objects the objects of the cycle
         * @param links the references between them that close it
         */
        public Cycle {
            objects = List.copyOf(objects);
            links = List.copyOf(links);
        }
    }

    /**
     * A live object thread-local to a thread that has ended, which no thread has adopted yet.
     * Any thread may still use it (and so adopt it) or release it; the report lists it apart
     * because only its references, wherever they are, can free it.
     *
     * @param block the object's block
     * @param ownerThreadId the {@link Thread#threadId()} of the thread that owned it
     */
    public record Orphan(LiveBlock block, long ownerThreadId) {
    }

    private final Map<String, List<LiveBlock>> byType;
    private final List<Orphan> orphans;
    private final List<Cycle> cycles;

    private LeakReport(Map<String, List<LiveBlock>> byType, List<Orphan> orphans, List<Cycle> cycles) {
        this.byType = byType;
        this.orphans = orphans;
        this.cycles = cycles;
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
        List<Orphan> orphans = new ArrayList<>();
        Orphans.forEach((object, typeId, size, owner) -> orphans.add(new Orphan(
            new LiveBlock(BlockTypes.name(typeId), object, size, LeakTracker.siteOf(object)), owner)));
        return new LeakReport(Collections.unmodifiableMap(byType), Collections.unmodifiableList(orphans), cyclesNow());
    }

    /**
     * Returns the orphans among the live blocks: objects whose owner thread has ended and that
     * no thread has adopted yet (they are in {@link #blocksByType()} too).
     *
     * @return the orphans, in heap order
     */
    public List<Orphan> orphans() {
        return orphans;
    }

    private static List<Cycle> cyclesNow() {
        List<Cycle> cycles = new ArrayList<>();
        for (CycleFinder.Cycle found : CycleFinder.find()) {
            List<LiveBlock> objects = new ArrayList<>(found.objects().length);
            for (long object : found.objects()) {
                objects.add(blockAt(object));
            }
            List<Link> links = new ArrayList<>(found.from().length);
            for (int i = 0; i < found.from().length; i++) {
                long from = found.from()[i];
                links.add(new Link(blockAt(from), BlockTypes.slotName(from, found.slot()[i]), blockAt(found.to()[i])));
            }
            cycles.add(new Cycle(objects, links));
        }
        return Collections.unmodifiableList(cycles);
    }

    private static LiveBlock blockAt(long object) {
        int typeId = Allocator.typeOf(object);
        return new LiveBlock(BlockTypes.name(typeId), object, Allocator.usableSize(object), LeakTracker.siteOf(object));
    }

    /**
     * Returns the unreachable reference cycles among the live objects, largest first: each
     * one's objects with their types and the fields that close it. Objects that only a cycle
     * holds are freed with it and are not listed as cycles of their own. A cycle made by a back
     * reference (a child's pointer to its parent) is avoided by holding that pointer as an
     * {@code org.cypclass.objects.WeakRef}, which owns no count.
     *
     * @return the cycles, empty when there is none
     */
    public List<Cycle> cycles() {
        return cycles;
    }

    /**
     * {@return whether no block is live}
     */
    public boolean isEmpty() {
        return byType.isEmpty();
    }

    /**
     * {@return the live blocks, grouped by type name in name order}
     */
    public Map<String, List<LiveBlock>> blocksByType() {
        return byType;
    }

    /**
     * {@return the number of live blocks listed}
     */
    public int size() {
        return byType.values().stream().mapToInt(List::size).sum();
    }

    /**
     * {@return a readable report: a section per type, the first blocks of each, with allocation
     * sites}
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
        if (!orphans.isEmpty()) {
            text.append(orphans.size()).append(" orphan(s): thread-local to a thread that has ended, adopted by no"
                + " thread yet; using one of their references adopts them, closing it releases them\n");
            for (int i = 0; i < Math.min(orphans.size(), BLOCKS_SHOWN_PER_TYPE); i++) {
                Orphan orphan = orphans.get(i);
                text.append(String.format("  %s at 0x%x, owner thread id %d%n", orphan.block.type(), orphan.block.address(),
                    orphan.ownerThreadId));
            }
            if (orphans.size() > BLOCKS_SHOWN_PER_TYPE) {
                text.append("  ... and ").append(orphans.size() - BLOCKS_SHOWN_PER_TYPE).append(" more\n");
            }
        }
        if (!cycles.isEmpty()) {
            text.append(cycles.size()).append(" unreachable reference cycle(s): every count of their objects comes from"
                + " another leaked object; break one of the links below before the last outside reference goes, or,"
                + " for a back reference (a parent pointer), hold it as an org.cypclass.objects.WeakRef, which owns no"
                + " count\n");
            for (Cycle cycle : cycles) {
                text.append("  cycle of ").append(cycle.objects.size()).append(" object(s):\n");
                for (int i = 0; i < Math.min(cycle.links.size(), BLOCKS_SHOWN_PER_TYPE); i++) {
                    text.append("    ").append(cycle.links.get(i)).append('\n');
                }
                if (cycle.links.size() > BLOCKS_SHOWN_PER_TYPE) {
                    text.append("    ... and ").append(cycle.links.size() - BLOCKS_SHOWN_PER_TYPE).append(" more links\n");
                }
            }
        }
        return text.toString();
    }
}
