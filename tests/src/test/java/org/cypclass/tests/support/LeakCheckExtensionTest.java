package org.cypclass.tests.support;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The leak check fails a leaking test and passes a clean one. */
class LeakCheckExtensionTest {

    private static final int TYPE = BlockTypes.register("org.cypclass.tests.LeakedOnPurpose");

    /** Not run by the build itself (its name does not end in Test); run here through the test kit. */
    static class LeakingFixture {
        static long leaked;

        @Test
        void leaksOneBlock() {
            leaked = Allocator.allocate(TYPE, 32);
        }

        @Test
        void freesWhatItAllocates() {
            Allocator.free(Allocator.allocate(TYPE, 32));
        }
    }

    @Test
    void aTestThatEndsWithALiveBlockFailsWithTheLeakReport() {
        Events tests;
        try {
            tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(LeakingFixture.class))
                .execute()
                .testEvents();
        } finally {
            if (LeakingFixture.leaked != 0) {
                Allocator.free(LeakingFixture.leaked);
            }
        }
        assertEquals(1, tests.succeeded().count(), "the clean test passes");
        assertEquals(1, tests.failed().count(), "the leaking test fails");
        Throwable failure = tests.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .orElseThrow().getThrowable().orElseThrow();
        assertTrue(failure.getMessage().contains("leaked off-heap blocks {org.cypclass.tests.LeakedOnPurpose=1}"), failure.getMessage());
        assertTrue(failure.getMessage().contains(String.format("at 0x%x, 32 bytes", LeakingFixture.leaked)), failure.getMessage());
    }
}
