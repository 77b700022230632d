package org.cypclass.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The PNG charts of a bench run: for each benchmark class, one bar chart of the times (lower is
 * better) and one of the throughputs (higher is better), each bar a row's ratio to its
 * baseline measured in the same run, with a line at 1.0 (the baseline). Labels stand vertical,
 * the chart tall enough for the longest, so that none overlaps another.
 */
final class BenchCharts {

    private BenchCharts() {
    }

    /** Writes the charts of {@code rows} into {@code dir} and returns their files. */
    static List<Path> write(List<BenchRow> rows, Path dir) throws IOException {
        Map<String, List<BenchRow>> byChart = new TreeMap<>();
        for (BenchRow row : rows) {
            String direction = row.lowerIsBetter() ? "times" : "throughputs";
            byChart.computeIfAbsent(row.simpleClassName() + "-" + direction, c -> new ArrayList<>()).add(row);
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<BenchRow>> entry : byChart.entrySet()) {
            List<String> names = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (BenchRow row : entry.getValue()) {
                String baseline = row.baseline();
                BenchRow base = baseline == null ? null : row.find(rows, baseline);
                if (base != null && base.median() > 0) {
                    names.add(row.method() + (row.params().isEmpty() ? "" : row.params().toString()));
                    ratios.add(row.median() / base.median());
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            boolean lower = entry.getValue().getFirst().lowerIsBetter();
            int longest = names.stream().mapToInt(String::length).max().orElse(10);
            CategoryChart chart = new CategoryChartBuilder().width(Math.max(640, 140 + 70 * names.size()))
                .height(420 + 7 * longest)
                .title(entry.getKey().replace('-', ' ') + ": ratio to baseline, same run (" + (lower ? "lower" : "higher")
                    + " is better)")
                .xAxisTitle("").yAxisTitle("x baseline").build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisLabelRotation(90);
            chart.getStyler().setYAxisMin(0.0);
            chart.addSeries("ratio", names, ratios);
            // The baseline itself: a bar past the line is slower (times) or faster (throughputs).
            chart.addAnnotation(new AnnotationLine(1.0, false, false));
            Path png = dir.resolve(entry.getKey() + ".png");
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(png);
        }
        return written;
    }
}
