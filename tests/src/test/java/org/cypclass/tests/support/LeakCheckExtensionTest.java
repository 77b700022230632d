package org.cypclass.tests.support;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.cypclass.libc.CFile;
import org.cypclass.libc.LineBuffer;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Each check of the leak check fails a test that leaks what it counts, and passes a clean one:
 * fixtures that leak on purpose run through the test kit, and each failure message is checked.
 * (The fixtures' names do not end in Test, so the build does not run them itself.) That the
 * check is around the tests of the real run is {@link LeakCheckActiveTest}'s job.
 */
class LeakCheckExtensionTest {

    private static final int TYPE = BlockTypes.register("org.cypclass.tests.LeakedOnPurpose");

    /** What the fixtures leave open, closed by {@link #closeWhatTheFixturesLeft()}. */
    static long leaked;
    static AutoCloseable leakedHandle;

    static class LeakingFixture {
        @Test
        void leaksOneBlock() {
            leaked = Allocator.allocate(TYPE, 32);
        }

        @Test
        void freesWhatItAllocates() {
            Allocator.free(Allocator.allocate(TYPE, 32));
        }
    }

    /** Frees a small block allocated before it started, and allocates one bigger block. */
    static class GrowingFixture {
        @Test
        void replacesABlockByABiggerOne() {
            Allocator.free(leaked);
            leaked = Allocator.allocate(TYPE, 256);
        }
    }

    @CheckDescriptors
    static class DescriptorFixture {
        static Path file;

        @Test
        void leavesAChannelOpen() throws IOException {
            SeekableByteChannel channel = Files.newByteChannel(file);
            leakedHandle = channel;
        }
    }

    /** Not marked {@link CheckDescriptors}: only the stream count can see the leak. */
    static class StreamFixture {
        static Path file;

        @Test
        void leavesACFileOpen() throws IOException {
            leakedHandle = CFile.open(file, "r");
        }
    }

    static class LineBufferFixture {
        static Path file;

        @Test
        void leavesALineBufferOpen() throws IOException {
            LineBuffer line = new LineBuffer();
            leakedHandle = line;
            try (CFile in = CFile.open(file, "r")) {
                in.readLine(line);
            }
        }
    }

    static class DynamicFixture {
        @TestFactory
        Stream<DynamicTest> twoDynamicTests() {
            return Stream.of(
                dynamicTest("clean", () -> Allocator.free(Allocator.allocate(TYPE, 32))),
                dynamicTest("leaky", () -> leaked = Allocator.allocate(TYPE, 32)));
        }
    }

    @AfterEach
    void closeWhatTheFixturesLeft() throws Exception {
        if (leaked != 0) {
            Allocator.free(leaked);
            leaked = 0;
        }
        if (leakedHandle != null) {
            leakedHandle.close();
            leakedHandle = null;
        }
    }

    @Test
    void aTestThatEndsWithALiveBlockFailsWithTheLeakReport() {
        Events tests = run(LeakingFixture.class);
        assertEquals(1, tests.succeeded().count(), "the clean test passes");
        String message = onlyFailure(tests);
        assertTrue(message.contains("leaked off-heap blocks {org.cypclass.tests.LeakedOnPurpose=1}"), message);
        assertTrue(message.contains(String.format("at 0x%x, 32 bytes", leaked)), message);
    }

    @Test
    void aTestThatEndsWithMoreBytesInAsManyBlocksFails() {
        leaked = Allocator.allocate(TYPE, 32);
        String message = onlyFailure(run(GrowingFixture.class));
        assertTrue(message.startsWith("test replacesABlockByABiggerOne() leaked off-heap bytes {org.cypclass.tests.LeakedOnPurpose="),
            message);
        assertTrue(!message.contains("leaked off-heap blocks"), "no more blocks: " + message);
    }

    @Test
    void aTestThatLeavesADescriptorOpenFails(@TempDir Path dir) throws IOException {
        DescriptorFixture.file = Files.writeString(dir.resolve("data.txt"), "x\n");
        String message = onlyFailure(run(DescriptorFixture.class));
        assertTrue(message.startsWith("test leavesAChannelOpen() leaked file descriptors {"), message);
        assertTrue(message.contains("=" + DescriptorFixture.file + "}"), message);
    }

    @Test
    void aTestThatLeavesACFileOpenFails(@TempDir Path dir) throws IOException {
        StreamFixture.file = Files.writeString(dir.resolve("data.txt"), "x\n");
        String message = onlyFailure(run(StreamFixture.class));
        long before = ((CFile) leakedHandle).isOpen() ? LibcHandles.now().streams() - 1 : -1;
        assertTrue(message.startsWith("test leavesACFileOpen() leaked FILE* streams: " + before + " open before, "
            + (before + 1) + " after"), message);
    }

    @Test
    void aTestThatLeavesALineBufferOpenFails(@TempDir Path dir) throws IOException {
        LineBufferFixture.file = Files.writeString(dir.resolve("data.txt"), "a line\n");
        String message = onlyFailure(run(LineBufferFixture.class));
        LibcHandles now = LibcHandles.now();
        assertTrue(message.startsWith("test leavesALineBufferOpen() leaked getline buffers: " + (now.lineBlocks() - 1) + " blocks of "),
            message);
        assertTrue(message.contains(" before, " + now.lineBlocks() + " blocks of " + now.lineBytes() + " bytes after"), message);
    }

    @Test
    void aDynamicTestThatLeaksFailsByItself() {
        Events tests = run(DynamicFixture.class);
        assertEquals(List.of("clean"), tests.succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList());
        String message = onlyFailure(tests);
        assertTrue(message.startsWith("dynamic test leaky ([engine:junit-jupiter]/"), message);
        assertTrue(message.contains("[dynamic-test:#2]) leaked off-heap blocks {org.cypclass.tests.LeakedOnPurpose=1}"), message);
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
            .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
            .selectors(selectClass(fixture))
            .execute()
            .testEvents();
    }

    /** The message of the one failed test of {@code tests}. */
    private static String onlyFailure(Events tests) {
        List<Event> failed = tests.failed().list();
        assertEquals(1, failed.size(), () -> "one failed test: " + failed);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    }
}
