package org.cypclass.benchmarks.kdtree;

import java.util.List;

import org.cypclass.benchmarks.Spread;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KDTree comparison's cross-check on synthetic answers: distances decide, not indices, so a
 * tie may come in either order, but a farther row, a distance that does not match its row, or
 * a row listed twice is a disagreement, and disagreeing answers fail the run.
 */
class KdAnswersTest {

    /** Four points in the plane: the origin, two at distance 1 from it (a tie), one far. */
    private static final double[] DATA = {0, 0, 1, 0, 0, 1, 3, 3};
    private static final double[] QUERIES = {0, 0};
    private static final KdAnswers.Truth TRUTH = KdAnswers.euclidean(DATA, QUERIES, 2);
    private static final KdAnswers.Answers REFERENCE = new KdAnswers.Answers("cypclass@1", new long[] {0, 1},
        new double[] {0, 1});

    private static List<String> check(long[] indices, double[] distances) {
        return KdAnswers.disagreements(REFERENCE, new KdAnswers.Answers("other", indices, distances), 4, 2, TRUTH);
    }

    @Test
    void theSameAnswersAgree() {
        assertEquals(List.of(), check(new long[] {0, 1}, new double[] {0, 1}));
        assertEquals(List.of(), check(new long[] {0, 1}, null), "no distances: its rows' distances are recomputed");
    }

    @Test
    void anotherRowAtTheSameDistanceIsATieNotADisagreement() {
        assertEquals(List.of(), check(new long[] {0, 2}, new double[] {0, 1}));
        assertEquals(List.of(), check(new long[] {0, 2}, new double[] {0, 1 + 1e-12}), "within the tolerance");
    }

    @Test
    void aFartherRowIsADisagreementEvenWithoutDistances() {
        List<String> found = check(new long[] {0, 3}, null);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.getFirst().contains("neighbour 2: other returned row 3 at distance 4.24"), found.getFirst());
    }

    @Test
    void aDistanceThatIsNotItsRowsIsADisagreement() {
        // The right row, a wrong distance: caught against the data, not against the reference.
        List<String> wrongDistance = check(new long[] {0, 1}, new double[] {0, 1.001});
        assertEquals(1, wrongDistance.size(), wrongDistance.toString());
        assertTrue(wrongDistance.getFirst().contains("reported distance 1.0010"), wrongDistance.getFirst());
        // A wrong row that claims the right distance.
        List<String> wrongRow = check(new long[] {0, 3}, new double[] {0, 1});
        assertEquals(1, wrongRow.size(), wrongRow.toString());
    }

    @Test
    void aRowListedTwiceOrOutsideTheDataIsADisagreement() {
        assertTrue(check(new long[] {1, 1}, null).stream().anyMatch(line -> line.contains("twice")));
        assertTrue(check(new long[] {0, 4}, null).stream().anyMatch(line -> line.contains("outside 0..3")));
    }

    @Test
    void theRunsCrossCheckNamesTheImplementationThatDisagrees() {
        KdAnswers.Truth truth = KdAnswers.euclidean(DATA, new double[] {0.9, 0}, 2);
        KdBench.Row cyp = row("cypclass", new long[] {1}, new double[] {0.1});
        KdBench.Row sklearn = row("sklearn", new long[] {1}, new double[] {0.1});
        KdBench.Row smile = row("smile", new long[] {0}, new double[] {0.9});
        assertEquals(List.of(), KdBench.crossCheck(List.of(cyp, sklearn), truth, 1));
        List<String> found = KdBench.crossCheck(List.of(cyp, sklearn, smile), truth, 1);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.getFirst().contains("smile@1 returned row 0"), found.getFirst());
    }

    private static KdBench.Row row(String impl, long[] indices, double[] distances) {
        return new KdBench.Row(impl, 1, 4, 2, 1, "", Spread.exactly(1), Spread.exactly(1), indices, distances);
    }
}
