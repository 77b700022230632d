package org.cypclass.tests.support;

import java.util.ArrayList;
import java.util.List;

import org.cypclass.libc.internal.NativeLedger;

/**
 * The libc module's C-heap resources at one moment, as its {@link NativeLedger} counts them:
 * open {@code FILE*} streams and the {@code getline} blocks of open {@code LineBuffer}s, with
 * their bytes. Reading the counts costs three volatile reads.
 *
 * @param streams open {@code FILE*} streams
 * @param lineBlocks live {@code getline} blocks of line buffers
 * @param lineBytes their bytes
 */
public record LibcHandles(long streams, long lineBlocks, long lineBytes) {

    /** {@return the counts now} */
    public static LibcHandles now() {
        return new LibcHandles(NativeLedger.openStreams(), NativeLedger.lineBufferBlocks(), NativeLedger.lineBufferBytes());
    }

    /**
     * Describes each count that is higher now than in {@code before}.
     *
     * @param before the counts at the start
     * @return one sentence per leaked kind, empty when nothing leaked
     */
    public List<String> leaksSince(LibcHandles before) {
        List<String> leaks = new ArrayList<>();
        if (streams > before.streams) {
            leaks.add("leaked FILE* streams: " + before.streams + " open before, " + streams + " after");
        }
        if (lineBlocks > before.lineBlocks || lineBytes > before.lineBytes) {
            leaks.add("leaked getline buffers: " + before.lineBlocks + " blocks of " + before.lineBytes + " bytes before, "
                + lineBlocks + " blocks of " + lineBytes + " bytes after");
        }
        return leaks;
    }
}
