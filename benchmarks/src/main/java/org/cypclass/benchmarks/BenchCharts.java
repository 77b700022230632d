package org.cypclass.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The PNG charts of a bench run: one bar chart per benchmark class of each row's ratio to
 * its baseline, measured in the same run (1.0 is the baseline; for times lower is better,
 * for throughputs higher).
 */
final class BenchCharts {

    private BenchCharts() {
    }

    /** Writes the charts of {@code rows} into {@code dir} and returns their files. */
    static List<Path> write(List<BenchRow> rows, Path dir) throws IOException {
        Map<String, List<BenchRow>> byClass = new TreeMap<>();
        for (BenchRow row : rows) {
            byClass.computeIfAbsent(row.simpleClassName(), c -> new ArrayList<>()).add(row);
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<BenchRow>> entry : byClass.entrySet()) {
            List<String> names = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (BenchRow row : entry.getValue()) {
                String baseline = row.baseline();
                BenchRow base = baseline == null ? null : row.find(rows, baseline);
                if (base != null && base.median() > 0) {
                    names.add(row.method() + (row.params().isEmpty() ? "" : row.params().toString()) + " (" + row.mode() + ")");
                    ratios.add(row.median() / base.median());
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            CategoryChart chart = new CategoryChartBuilder().width(1000)
                .height(Math.max(320, 160 + 28 * names.size())).title(entry.getKey() + ": ratio to baseline (same run)")
                .xAxisTitle("").yAxisTitle("x baseline").build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisLabelRotation(30);
            chart.addSeries("ratio", names, ratios);
            Path png = dir.resolve(entry.getKey() + ".png");
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(png);
        }
        return written;
    }
}
