package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * One thread's allocator: a LIFO free list per size class, the regions it carves fresh blocks
 * from, its accounting counters and its destruction queue; and the per-thread slots of the
 * layers that find their state through it: the work other threads hand to this one
 * ({@link DeferredWork}), the orphan it holds ({@link Orphans}), the state the object layer
 * attaches ({@link #attachment(Class)}).
 *
 * <p>Free lists are intrusive: the first word of a free block holds the address of the next
 * one, so pushing and popping cost two plain memory accesses and no Java allocation. LIFO
 * order gives back the most recently freed (cache-hot) block first. A list that grows past
 * its limit (a thread freeing what others allocate) hands half of itself to
 * {@link CentralFreeLists}; an empty list takes a batch from there before carving.
 *
 * <p>Hot callers that allocate and free many blocks may keep the {@link #current()} heap
 * of their thread instead of looking it up on every call, the way mimalloc hands out heap
 * handles.
 *
 * <p>A heap lives as long as its thread. Its memory (free lists, regions, counters) outlives
 * it: {@link HeapPool} gives it to the next thread that needs a heap once the owner has
 * terminated, under a new heap object, or retires it when the owner {@code Thread} is
 * collected first. What belongs to the thread itself (its id, its deferred work, its
 * destruction state, its attachment) is never handed over, so a thread always starts with a
 * clean heap.
 *
 * <p>Thread-safety: confined to its thread. The hot paths {@link #allocate} and {@link #free}
 * trust their caller to use {@link #current()} (they check it only with assertions, which the
 * test suite enables); {@link #releaseDeferred} throws {@link WrongThreadException} from
 * another thread when it has work to apply; {@link #deferRelease} is for other threads.
 */
public final class LocalHeap {

    private static final ThreadLocal<LocalHeap> CURRENT = ThreadLocal.withInitial(HeapPool::acquire);
    /**
     * A cache in front of {@link #CURRENT}, indexed by thread id: a hit costs the id load, one
     * array load and one comparison, where a ThreadLocal lookup walks a hash map. Thread ids
     * are never reused, so a slot holding another thread's (or a dead thread's) heap simply
     * misses. Slots are written only on a miss, with plain stores of immutable-after-construction
     * references (the heap's {@code threadId} is final, so a racing reader sees it whole). A
     * heap handed over to a new thread is a new object with the new id, never the old object
     * re-labelled, so a stale slot can only miss.
     */
    private static final LocalHeap[] BY_THREAD_ID = new LocalHeap[1024];
    /**
     * Every heap whose thread may still run, by thread id: how a thread that must not touch a
     * thread-local object finds its owner's heap to hand work to ({@link #ofThread}). Added
     * when a heap is made for a thread, removed when it is handed over or retires.
     */
    static final java.util.concurrent.ConcurrentHashMap<Long, LocalHeap> BY_OWNER =
        new java.util.concurrent.ConcurrentHashMap<>();
    /** The link word of a free block, its first: plain loads and stores, on the owner thread only. */
    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    private static final int[] LIMITS = new int[SizeClasses.COUNT];

    static {
        for (int c = 0; c < LIMITS.length; c++) {
            LIMITS[c] = Math.max(16, 32 * 1024 / SizeClasses.stride(c));
        }
    }

    /** The owner's id; not the Thread itself, which must be able to become unreachable. */
    private final long threadId;
    /** The owner, weakly: {@link HeapPool} asks whether it has terminated, and learns when it was collected. */
    private final OwnerReference owner;
    /**
     * {@link HeapPool#ACTIVE}, {@link HeapPool#HANDED_OVER} or {@link HeapPool#RETIRED}: written
     * under the pool's lock, volatile so that {@link #deferRelease} can see, without the lock,
     * that nobody will apply its release any more.
     */
    volatile int state;
    /**
     * The free lists, two words per size class, at {@link #headAt} the head block (0 when
     * empty) and at {@link #lengthAt} the list's length. One array, the two words side by
     * side, so that a pop or a push loads one array reference, checks one bound and touches
     * one cache line. Handed over with the heap's memory.
     */
    private final long[] lists;
    /** Handed over with the heap's memory: the blocks it counts may be freed by the heir. */
    final Accounting.Counters counters;
    private final Quarantine quarantine;
    /**
     * Per size class {@code c}, the region this heap carves blocks of that class from:
     * {@code regions[2c]} its next uncarved byte, {@code regions[2c + 1]} its end (0 for none).
     * One region per class, so that every region holds blocks of one size only, laid out on one
     * grid: a region whose blocks are all free can then be given back to the OS and rebuilt on
     * the same grid ({@link Trimmer}), which a region mixing sizes could not be. Handed over with
     * the heap's memory.
     */
    private final long[] regions;

    /** What other threads hand to this one; the thread's own, never handed over. */
    private final DeferredWork deferred;

    /** See {@link #attachment(Class)}; plain, read and written by the heap's thread only. */
    private Object attachment;

    /**
     * The orphan this heap's thread holds for the length of a release on its dead owner's
     * behalf, else 0 ({@link Orphans#releaseOnBehalf}): written by this thread before it takes
     * the object and cleared after it gives it back, read by other threads that find this
     * thread's id in the object's {@code ob_owner} and must wait rather than refuse.
     */
    volatile long holdingOrphan;

    /** Whether this thread is inside {@link Destruction#run}; see there. */
    boolean destroying;
    /** Head of the objects waiting to be destroyed, linked through their dead ob_refcnt word. */
    long pendingDestruction;

    /** A weak reference to the owner thread that leads back to its heap once enqueued. */
    static final class OwnerReference extends WeakReference<Thread> {
        final LocalHeap heap;

        OwnerReference(Thread thread, LocalHeap heap) {
            super(thread, HeapPool.COLLECTED);
            this.heap = heap;
        }
    }

    /**
     * Creates the heap of {@code thread}, the calling thread, with fresh memory or with the
     * memory of {@code predecessor}, whose owner has terminated (so its last writes happen
     * before this read) and which the caller has marked handed over.
     */
    LocalHeap(Thread thread, LocalHeap predecessor) {
        threadId = thread.threadId();
        owner = new OwnerReference(thread, this);
        deferred = new DeferredWork(threadId);
        if (predecessor == null) {
            lists = new long[2 * SizeClasses.COUNT];
            counters = Accounting.newCounters();
            quarantine = MemoryOptions.DEBUG ? new Quarantine() : null;
            regions = new long[2 * SizeClasses.COUNT];
        } else {
            lists = predecessor.lists;
            counters = predecessor.counters;
            quarantine = predecessor.quarantine;
            regions = predecessor.regions;
        }
        BY_OWNER.put(threadId, this);
    }

    /**
     * Returns the calling thread's heap.
     *
     * @return the heap, created on first use
     */
    public static LocalHeap current() {
        long id = Thread.currentThread().threadId();
        LocalHeap cached = BY_THREAD_ID[(int) id & (BY_THREAD_ID.length - 1)];
        if (cached != null && cached.threadId == id) {
            return cached;
        }
        return currentSlow(id);
    }

    private static LocalHeap currentSlow(long id) {
        LocalHeap heap = CURRENT.get();
        BY_THREAD_ID[(int) id & (BY_THREAD_ID.length - 1)] = heap;
        return heap;
    }

    /**
     * {@return how many heaps were created with fresh memory, not handed over, since the JVM started}
     * A bounded figure under thread churn is what {@link HeapPool} is for.
     */
    public static long createdCount() {
        return HeapPool.createdCount();
    }

    /** {@return how many times a thread took over the memory of a terminated thread's heap} */
    public static long handedOverCount() {
        return HeapPool.handedOverCount();
    }

    /** {@return how many heaps were retired because their owner was collected before any thread took them over} */
    public static long retiredCount() {
        return HeapPool.retiredCount();
    }

    /**
     * Returns the heap of a thread that is still running, to hand it work with
     * {@link #deferDestruction}; safe from any thread.
     *
     * @param threadId a {@link Thread#threadId()}
     * @return that thread's heap, or null if it never had one or has ended
     */
    static LocalHeap ofThread(long threadId) {
        return BY_OWNER.get(threadId);
    }

    /**
     * Allocates a block of at least {@code bytes} bytes, counted under {@code typeId}.
     *
     * @param typeId a type from {@link BlockTypes#register}
     * @param bytes the size, at least 1
     * @return the block's address, 8-byte aligned, contents unspecified
     * @throws IllegalArgumentException if {@code bytes} is not positive or the type is unknown
     */
    public long allocate(int typeId, long bytes) {
        if (bytes <= 0 || bytes > SizeClasses.MEDIUM_LIMIT) {
            return Allocator.allocateBig(this, typeId, bytes);
        }
        assert isOwner() : wrongThread();
        int sizeClass = SizeClasses.of(bytes);
        counters.addSmall(typeId, SizeClasses.size(sizeClass));
        long[] l = lists;
        int head = headAt(sizeClass);
        long block = l[head];
        if (block != 0) {
            l[head] = (long) LONG.get(ALL, NativeAccess.ownAddress(block));
            l[lengthAt(sizeClass)]--;
        } else {
            block = refill(sizeClass);
        }
        // The previous prefix of a reused block carries its generation; the new one is one on.
        BlockPrefix.writeOwn(block, BlockPrefix.reallocated(BlockPrefix.readOwn(block), typeId, sizeClass));
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.allocated(block);
        }
        return block;
    }

    /**
     * Frees a block, whichever thread allocated it. Its memory is the next block of its size
     * class this thread gets back (in debug mode, after a quarantine).
     *
     * @param block an address returned by an allocation and not freed since
     * @throws IllegalStateException if the block is already free
     */
    public void free(long block) {
        long prefix = BlockPrefix.read(block);
        if (BlockPrefix.state(prefix) != BlockPrefix.ALLOCATED) {
            throw Allocator.notAllocated(block);
        }
        int sizeClass = BlockPrefix.sizeClass(prefix);
        if (sizeClass == BlockPrefix.BIG_CLASS) {
            Allocator.freeBig(this, block);
            return;
        }
        assert isOwner() : wrongThread();
        counters.subtractSmall(BlockPrefix.typeId(prefix), SizeClasses.size(sizeClass));
        if (MemoryOptions.LEAK_TRACKING) {
            LeakTracker.freed(block);
        }
        if (BlockPrefix.generation(prefix) == BlockPrefix.LAST_GENERATION) {
            // Reusing it would repeat a stamp some stale borrowed reference may remember.
            BlockPrefix.write(block, prefix ^ BlockPrefix.ALLOCATED_TO_RETIRED);
            return;
        }
        BlockPrefix.writeOwn(block, prefix ^ BlockPrefix.ALLOCATED_TO_FREE);
        if (MemoryOptions.DEBUG) {
            Quarantine.poison(block, SizeClasses.size(sizeClass));
            block = quarantine.admit(block);
            if (block == 0) {
                return;
            }
            sizeClass = BlockPrefix.sizeClass(BlockPrefix.read(block));
        }
        push(sizeClass, block);
    }

    /**
     * Asks this heap's thread to release one garbage-collected reference to {@code object}
     * ({@link RefCount#releaseGc}) the next time it allocates an object. Safe from any thread.
     *
     * @param object a thread-local object of this heap's thread
     */
    public void deferRelease(long object) {
        deferred.offerRelease(object);
        applyIfOwnerGone();
    }

    /**
     * Asks this heap's thread to destroy {@code object}, a thread-local object of that thread
     * whose count C took to zero on another thread ({@link RefCount#lastReleasedByC}), the
     * next time it allocates an object. Safe from any thread.
     *
     * @param object a thread-local object of this heap's thread, count zero, not yet dead
     */
    void deferDestruction(long object) {
        deferred.offerDestruction(object);
        applyIfOwnerGone();
    }

    /**
     * Applies what was just offered, on the calling thread, as orphan releases if nobody else
     * will: the state is read after the offer, while the pool writes it before it looks at
     * the queues ({@link #reportOrphans}), so either this sees the heap gone or the pool finds
     * the entry. An owner that ends after this check leaves it to the pool's drain.
     */
    private void applyIfOwnerGone() {
        if (state != HeapPool.ACTIVE || ownerTerminated()) {
            deferred.applyAsOrphans();
        }
    }

    /**
     * Applies the releases and destructions other threads deferred to this thread. Call on
     * this heap's thread.
     *
     * @return how many references were released plus how many objects were destroyed
     */
    public int releaseDeferred() {
        return deferred.seemsEmpty() ? 0 : applyDeferred();
    }

    /** Out of line, so that the check above is all that callers compile in. */
    private int applyDeferred() {
        checkOwner();
        return deferred.applyOnOwner();
    }

    /**
     * {@return the state the layer above attached to this heap, if it is a {@code type}, else
     * null} The object layer keeps its cache of borrowed references here, so that the one
     * thread-id lookup of {@link #current()} finds everything a thread owns. Only the heap's
     * thread may call this or {@link #attach}: the slot is a plain field. A heap starts with
     * nothing attached, an heir to a dead thread's memory included.
     *
     * @param type the class of the state looked for; given as a class literal, the test
     *        compiles to the one {@code instanceof} it stands for
     * @param <T> the type of the state
     */
    public <T> T attachment(Class<T> type) {
        Object attached = attachment;
        return type.isInstance(attached) ? type.cast(attached) : null;
    }

    /**
     * Attaches {@code state} to this heap in place of what was attached; see
     * {@link #attachment(Class)}. Call on this heap's thread only.
     *
     * @param state the state, or null to attach nothing
     */
    public void attach(Object state) {
        attachment = state;
    }

    /**
     * Allocates a zeroed block, as {@link #allocate} does.
     *
     * @param typeId a type from {@link BlockTypes#register}
     * @param bytes the size, at least 1
     * @return the block's address, every byte zero
     */
    public long allocateZeroed(int typeId, long bytes) {
        long block = allocate(typeId, bytes);
        if (bytes <= SizeClasses.MEDIUM_LIMIT) {
            NativeAccess.zero(block, bytes);     // a big block comes zeroed (Allocator.allocateBig)
        }
        return block;
    }

    private void checkOwner() {
        if (!isOwner()) {
            throw new WrongThreadException(wrongThread());
        }
    }

    private boolean isOwner() {
        return threadId == Thread.currentThread().threadId();
    }

    private String wrongThread() {
        return "the local heap of " + ThreadNames.ofId(threadId) + " was used by " + ThreadNames.current()
            + "; use LocalHeap.current()";
    }

    /** {@return where size class {@code sizeClass}'s head block is in {@link #lists}} */
    private static int headAt(int sizeClass) {
        return 2 * sizeClass;
    }

    /** {@return where size class {@code sizeClass}'s list length is in {@link #lists}} */
    private static int lengthAt(int sizeClass) {
        return 2 * sizeClass + 1;
    }

    private void push(int sizeClass, long block) {
        long[] l = lists;
        int head = headAt(sizeClass);
        LONG.set(ALL, NativeAccess.ownAddress(block), l[head]);
        l[head] = block;
        if (++l[lengthAt(sizeClass)] > LIMITS[sizeClass]) {
            flushHalf(sizeClass);
        }
    }

    private long refill(int sizeClass) {
        if (CentralFreeLists.takeInto(this, sizeClass)) {
            long[] l = lists;
            long block = l[headAt(sizeClass)];
            l[headAt(sizeClass)] = (long) LONG.get(ALL, block);
            l[lengthAt(sizeClass)]--;
            return block;
        }
        int stride = SizeClasses.stride(sizeClass);
        long[] r = regions;
        long position = r[2 * sizeClass];
        long end = r[2 * sizeClass + 1];
        if (end - position < stride) {
            position = ChunkSpace.newRegion(sizeClass, end);
            end = position + ChunkSpace.lengthAt(position);
            r[2 * sizeClass + 1] = end;
        }
        long block = position + BlockPrefix.SIZE;
        BlockPrefix.write(block, BlockPrefix.pack(0, sizeClass, BlockPrefix.FREE, 0));
        position += stride;
        ChunkSpace.markFiller(position, end - position);
        if (end - position < stride) {
            // Used up: closed now, not at this class's next carve, which after a spike may never
            // come (refills come from batches), so that the trimmer may give it back.
            ChunkSpace.closeUsedUp(end);
            r[2 * sizeClass + 1] = 0;
            position = 0;
        }
        r[2 * sizeClass] = position;
        return block;
    }

    private void flushHalf(int sizeClass) {
        long[] l = lists;
        int half = (int) (l[lengthAt(sizeClass)] / 2);
        long head = l[headAt(sizeClass)];
        long last = head;
        for (int i = 1; i < half; i++) {
            last = (long) LONG.get(ALL, last);
        }
        l[headAt(sizeClass)] = (long) LONG.get(ALL, last);
        LONG.set(ALL, last, 0L);
        l[lengthAt(sizeClass)] -= half;
        CentralFreeLists.put(sizeClass, head, half);
    }

    /** {@return how many free blocks of {@code sizeClass} a heap keeps before it hands half of them on} */
    static int limit(int sizeClass) {
        return LIMITS[sizeClass];
    }

    /** Hands a whole free list (a central batch) to this heap; its list of that class must be empty. */
    void adoptList(int sizeClass, long head, int count) {
        lists[headAt(sizeClass)] = head;
        lists[lengthAt(sizeClass)] = count;
    }

    /**
     * Hands every free list whole to {@link CentralFreeLists}, where the {@link Trimmer} can
     * see its blocks: on retirement, and when this heap's thread trims ({@link Trimmer#trimNow}).
     */
    void giveBackLists() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            if (lists[lengthAt(c)] > 0) {
                CentralFreeLists.put(c, lists[headAt(c)], (int) lists[lengthAt(c)]);
                adoptList(c, 0, 0);
            }
        }
    }

    /**
     * Tells whether this heap was retired: its owner's {@code Thread} was collected before any
     * new thread took its memory over, so its free blocks went to the shared lists.
     *
     * @return whether the heap was retired
     */
    public boolean isRetired() {
        return state == HeapPool.RETIRED;
    }

    /** Whether the owner thread has ended; its last writes then happen before the caller's next reads. */
    boolean ownerTerminated() {
        Thread thread = owner.get();
        // Cleared: the thread was collected, which it cannot be before it has terminated.
        return thread == null || !thread.isAlive();
    }

    /**
     * Hands on what the dead owner left undone, once the heap is handed over or retired: the
     * releases and destructions deferred to it are applied on a new virtual thread (the caller
     * may be a thread's heap initializer, where a destructor must not run), as orphan releases
     * ({@link Orphans}). An interrupted destruction queue (the thread died inside one) cannot be
     * resumed: it is logged, and a leak report lists those objects.
     */
    void reportOrphans() {
        BY_OWNER.remove(threadId, this);
        if (deferred.isQueued()) {
            Thread.ofVirtual().name("cypclass-orphan-releases-" + threadId).start(deferred::applyAsOrphans);
        }
        if (pendingDestruction != 0) {
            System.getLogger("org.cypclass.memory").log(System.Logger.Level.WARNING,
                ThreadNames.ofId(threadId) + " ended inside a destruction, with objects still queued for it;"
                    + " they stay allocated");
        }
    }

    /**
     * Runs on the retirer thread once the owner thread was collected and no heir took the
     * heap's memory over: gives the free lists to {@link CentralFreeLists}, the regions' tails
     * to {@link ChunkSpace} and the counters to the retired totals.
     */
    void retire() {
        reportOrphans();
        if (quarantine != null) {
            quarantine.drain(block -> {
                // Not push: the loop below hands each list over whole, which push's flush would split.
                int sizeClass = BlockPrefix.sizeClass(BlockPrefix.read(block));
                LONG.set(ALL, block, lists[headAt(sizeClass)]);
                lists[headAt(sizeClass)] = block;
                lists[lengthAt(sizeClass)]++;
            });
        }
        giveBackLists();
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            if (regions[2 * c + 1] != 0) {
                ChunkSpace.shelve(c, regions[2 * c], regions[2 * c + 1]);
                regions[2 * c] = regions[2 * c + 1];
            }
        }
        Accounting.retire(counters);
    }
}
