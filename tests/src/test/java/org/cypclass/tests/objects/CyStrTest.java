package org.cypclass.tests.objects;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cypclass.examples.Named;
import org.cypclass.libc.CFile;
import org.cypclass.libc.LineBuffer;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.ElementsView;
import org.cypclass.objects.actors.Active;
import org.cypclass.objects.actors.ActorSystem;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.containers.StrLongDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CyStr}: UTF-8 in and out, equality and order by content, the byte-offset operations and
 * their edges, refused input, the frozen capability (another thread reads it with no
 * {@code consume}), fields, views, closing, and the way from a {@code CFile} line to a string
 * with no {@code java.lang.String}. The leak check around every test proves nothing stays live.
 */
class CyStrTest {

    private static final String[] SAMPLES = {"", "a", "hello", "Zoë", "日本語", "😀 emoji 🎉", "mixed ascii and ünïcödé text",
        "x".repeat(1000), "\u0000nul\u0000", "\uD800\uDC00", "\uFFFF"};

    @Test
    void textRoundTripsThroughUtf8IncludingFourByteCodePoints() {
        for (String text : SAMPLES) {
            try (CyStr str = CyStr.of(text)) {
                assertEquals(text, str.toString());
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                assertEquals(utf8.length, str.length(), text);
                assertEquals(utf8.length == 0, str.isEmpty());
                for (int i = 0; i < utf8.length; i++) {
                    assertEquals(utf8[i] & 0xFF, str.byteAt(i));
                }
                try (CyStr copy = CyStr.of(MemorySegment.ofArray(utf8))) {
                    assertEquals(str, copy);
                    assertEquals(str.hashCode(), copy.hashCode());
                    assertEquals(text, copy.toString());
                }
            }
        }
        try (CyStr emoji = CyStr.of("😀")) {
            assertEquals(4, emoji.length());
            assertEquals(0xF0, emoji.byteAt(0));
            assertThrows(IndexOutOfBoundsException.class, () -> emoji.byteAt(4));
        }
    }

    @Test
    void equalityAndHashAreByContentAndDistinctTextsDiffer() {
        SplittableRandom random = new SplittableRandom(7);
        List<CyStr> strings = new ArrayList<>();
        try {
            java.util.Set<Integer> hashes = new java.util.HashSet<>();
            for (int i = 0; i < 2000; i++) {
                strings.add(CyStr.of("key" + i));
                hashes.add(strings.getLast().hashCode());
            }
            assertTrue(hashes.size() > 1990, "distinct hash codes: " + hashes.size());
            for (int i = 0; i < 200; i++) {
                int n = random.nextInt(2000);
                try (CyStr again = CyStr.of("key" + n)) {
                    assertEquals(strings.get(n), again);
                    assertEquals(again, strings.get(n));
                    assertEquals(strings.get(n).hashCode(), again.hashCode());
                    assertNotEquals(strings.get((n + 1) % 2000), again);
                }
            }
            assertNotEquals(strings.get(0), "key0");
        } finally {
            strings.forEach(CyStr::close);
        }
    }

    @Test
    void compareToIsCodePointOrderAsStringsForTheBmp() {
        String[] texts = {"", "a", "ab", "abc", "b", "B", "é", "z", "日", "ÿ", "\u007F", "\u0080", "aé", "ae"};
        for (String x : texts) {
            for (String y : texts) {
                try (CyStr a = CyStr.of(x); CyStr b = CyStr.of(y)) {
                    assertEquals(Integer.signum(x.compareTo(y)), Integer.signum(a.compareTo(b)), x + " vs " + y);
                }
            }
        }
        // Beyond the BMP, UTF-16 order and code point order differ: U+FFFF < U+10000 by code point.
        try (CyStr high = CyStr.of("\uFFFF"); CyStr supplementary = CyStr.of("😀")) {
            assertTrue(high.compareTo(supplementary) < 0);
            assertTrue("\uFFFF".compareTo("😀") > 0);
        }
    }

    @Test
    void sliceIndexOfAndStartsWithWorkOnByteOffsetsAndRefuseSplitCharacters() {
        try (CyStr text = CyStr.of("héllo wörld"); CyStr wo = CyStr.of("wö"); CyStr empty = CyStr.of("");
             CyStr h = CyStr.of("hé"); CyStr missing = CyStr.of("xyz"); CyStr d = CyStr.of("d")) {
            assertEquals(13, text.length());
            assertEquals(7, text.indexOf(wo));
            assertEquals(-1, text.indexOf(wo, 8));
            assertEquals(0, text.indexOf(empty));
            assertEquals(13, text.indexOf(empty, 99));
            assertEquals(-1, text.indexOf(missing));
            assertEquals(12, text.indexOf(d));
            assertTrue(text.startsWith(h));
            assertTrue(text.startsWith(empty));
            assertFalse(text.startsWith(wo));
            assertFalse(empty.startsWith(h));
            try (CyStr world = text.slice(7, 13); CyStr all = text.slice(0, 13); CyStr none = text.slice(13, 13)) {
                assertEquals("wörld", world.toString());
                assertEquals(text, all);
                assertEquals("", none.toString());
                assertTrue(world.startsWith(wo));
            }
            // é is bytes 1..2: offset 2 falls inside it.
            assertThrows(IllegalArgumentException.class, () -> text.slice(2, 5));
            assertThrows(IllegalArgumentException.class, () -> text.slice(0, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> text.slice(5, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> text.slice(0, 14));
            assertThrows(IndexOutOfBoundsException.class, () -> text.slice(-1, 3));
        }
    }

    @Test
    void malformedUtf8AndUnpairedSurrogatesAreRefused() {
        byte[][] bad = {
            {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC3}, {'a', (byte) 0xE0, (byte) 0x80, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
            {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', (byte) 0xFF}};
        for (byte[] bytes : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CyStr.of(MemorySegment.ofArray(bytes)).close());
            assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CyStr.of("a\uD800b").close());
        assertThrows(IndexOutOfBoundsException.class, () -> CyStr.of(MemorySegment.ofArray(new byte[4]), 2, 3).close());
        assertThrows(NullPointerException.class, () -> CyStr.of((String) null).close());
        // The largest valid sequences pass.
        byte[] good = {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF, (byte) 0xEF, (byte) 0xBF, (byte) 0xBF};
        try (CyStr str = CyStr.of(MemorySegment.ofArray(good))) {
            assertEquals(new String(good, StandardCharsets.UTF_8), str.toString());
        }
    }

    @Test
    void aStringIsFrozenFromBirthAndOtherThreadsUseItWithoutConsume() throws Exception {
        try (CyStr str = CyStr.of("shared text"); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    try (CyStr mine = str.newReference(); CyStr text = CyStr.of("text")) {
                        return mine.toString() + ":" + mine.indexOf(text) + ":" + mine.length();
                    }
                }));
            }
            for (Future<String> result : results) {
                assertEquals("shared text:7:11", result.get());
            }
            try (Frozen<CyStr> frozen = Frozen.from(str)) {
                assertEquals("shared text", frozen.get().toString());
            }
            assertTrue(str.dump().contains("length=11"), str.dump());
        }
        try (CyStr str = CyStr.of("x")) {
            assertEquals(CyObjectHeader.FROZEN, CyObjectHeader.capability(RefCount.state(str.pointer().address())));
            assertEquals(CyObjectHeader.OWNER_SHARED, RefCount.owner(str.pointer().address()));
        }
    }

    @Test
    void aStringCrossesIntoAnActorAndStaysOutsideAConsumedGraph() throws Exception {
        try (ActorSystem system = ActorSystem.start(2); Active<Named> actor = Isolated.consume(Named.create()).activate(system);
             CyStr name = CyStr.of("actor name")) {
            Named.Async async = new Named.Async(actor);
            assertEquals(10L, async.rename(name).get(30, TimeUnit.SECONDS));
            assertEquals("actor name", actor.ask(n -> n.name().toString()).get(30, TimeUnit.SECONDS));
            assertEquals(2, RefCount.count(name.pointer().address()), "the actor's field holds a count of its own");
        }
        // A graph that holds a string others hold too can still be consumed: the string is
        // frozen, outside the graph, and any capability may hold it.
        try (CyStr shared = CyStr.of("shared"); Named holder = Named.create()) {
            StrLongDict dict = StrLongDict.create();
            dict.put(shared, 1);
            holder.name(shared);
            try (Frozen<StrLongDict> frozen = Isolated.consume(dict).freeze()) {
                assertEquals(1, frozen.get().get(shared));
                assertEquals("shared", holder.name().toString());
            }
        }
    }

    @Test
    void theLastReferenceOnAnotherThreadFreesIt() throws Exception {
        CyStr str = CyStr.of("handed over");
        Thread other = Thread.ofPlatform().start(str::close);
        other.join();
        assertFalse(str.isOpen());
        assertThrows(IllegalStateException.class, str::length);
    }

    @Test
    void closingEndsUseButEqualityAndPrintingStayDefined() {
        CyStr a = CyStr.of("abc");
        CyStr b = CyStr.of("abc");
        int hash = a.hashCode();
        a.close();
        assertEquals(hash, a.hashCode(), "remembered from before the close");
        assertThrows(IllegalStateException.class, a::length);
        assertThrows(IllegalStateException.class, () -> b.compareTo(a));
        assertNotEquals(a, b, "a closed string equals only references to its own instance");
        assertTrue(a.toString().contains("closed"), a.toString());
        a.close();
        CyStr never = CyStr.of("never hashed");
        never.close();
        assertThrows(IllegalStateException.class, never::hashCode);
        b.close();
    }

    @Test
    void bytesViewIsReadOnlyAndKeepsTheStringAlive() {
        ElementsView view;
        try (CyStr str = CyStr.of("bytes!")) {
            view = str.bytes();
        }
        try (view) {
            MemorySegment segment = view.segment();
            assertEquals(6, segment.byteSize());
            assertArrayEquals("bytes!".getBytes(StandardCharsets.UTF_8), segment.toArray(ValueLayout.JAVA_BYTE));
            assertThrows(IllegalArgumentException.class, () -> segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        }
        assertThrows(IllegalStateException.class, view::segment);
    }

    @Test
    void aCypclassFieldHoldsAString() {
        try (Named named = Named.create(); CyStr name = CyStr.of("node-7")) {
            named.name(name);
            named.id(7);
            assertEquals("node-7", named.name().toString());
            assertEquals(name, named.name());
            assertTrue(named.name().isBorrowed());
            try (CyStr other = CyStr.of("node-8")) {
                named.name(other);
            }
            assertEquals("node-8", named.name().toString());
            named.name(null);
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Counts the words of bytes {@code [from, to)}: ASCII whitespace separates them. */
    private static long countWords(MemorySegment text, long from, long to, StrLongDict counts) {
        long words = 0;
        long start = -1;
        for (long i = from; i <= to; i++) {
            int b = i == to ? ' ' : text.get(ValueLayout.JAVA_BYTE, i);
            boolean space = b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
            if (space && start >= 0) {
                counts.addTo(text, start, i - start, 1);
                words++;
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return words;
    }

    /**
     * Lines read with {@code CFile.readLine} into a {@code LineBuffer} become strings and dict
     * keys straight from the native buffer, and counting words that are already keys allocates
     * nothing on the Java heap. The lines are kept in native memory so that the measured loop
     * is the counting alone: the JDK's downcall that {@code readLine} makes allocates 40 bytes
     * until C2 inlines its whole stub, which {@code NogilTest} checks in a JVM of its own.
     */
    @Test
    void linesFromCFileBecomeStringsAndDictKeysWithNoJavaString(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("words.txt");
        StringBuilder text = new StringBuilder();
        SplittableRandom random = new SplittableRandom(3);
        for (int line = 0; line < 2000; line++) {
            for (int w = 0; w < 10; w++) {
                text.append(w == 0 ? "" : " ").append("wörd").append(random.nextInt(300));
            }
            text.append('\n');
        }
        Files.writeString(file, text);
        java.util.Map<String, Long> expected = new java.util.HashMap<>();
        for (String word : text.toString().split("\\s+")) {
            expected.merge(word, 1L, Long::sum);
        }
        int passes = 30;
        try (Arena arena = Arena.ofConfined(); LineBuffer line = new LineBuffer(); CFile in = CFile.open(file, "r");
             StrLongDict counts = StrLongDict.create()) {
            MemorySegment lines = arena.allocate(Files.size(file));
            long[] ends = new long[2000];
            long at = 0;
            long n;
            long words = 0;
            for (int i = 0; (n = in.readLine(line)) >= 0; i++) {
                if (i == 0) {
                    try (CyStr first = CyStr.of(line.segment(), 0, n - 1)) {
                        assertEquals(text.substring(0, text.indexOf("\n")), first.toString());
                    }
                }
                words += countWords(line.segment(), 0, n, counts);
                MemorySegment.copy(line.segment(), 0, lines, at, n);
                at += n;
                ends[i] = at;
            }
            long bytes = 0;
            long measured = 0;
            for (int pass = 1; pass < passes; pass++) {
                long before = allocated();
                long passWords = 0;
                long from = 0;
                for (long end : ends) {
                    passWords += countWords(lines, from, end, counts);
                    from = end;
                }
                bytes = allocated() - before;
                measured = passWords;
                words += passWords;
            }
            assertEquals(20_000L * passes, words);
            assertEquals(expected.size(), counts.size());
            for (var entry : expected.entrySet()) {
                assertEquals(entry.getValue() * passes, counts.getOrDefault(entry.getKey(), -1), entry.getKey());
            }
            assertTrue(bytes < measured / 10, bytes + " bytes allocated for " + measured + " words");
        }
    }

    @Test
    void aStringMadeFromANativeSegmentCopiesIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocateFrom("native bytes");
            try (CyStr str = CyStr.of(native_, 0, native_.byteSize() - 1)) {
                native_.set(ValueLayout.JAVA_BYTE, 0, (byte) 'N');
                assertEquals("native bytes", str.toString());
            }
        }
    }
}
