package org.cypclass.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Draws the soak's record as PNGs: resident set and live off-heap bytes (MiB, left axis) and
 * throughput (millions of operations per second, right axis) over time; and the request latency
 * percentiles of each interval (microseconds, logarithmic axis).
 *
 * <p>Thread-safety: stateless.
 */
final class SoakChart {

    private SoakChart() {
    }

    static void write(List<Sample> samples, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(500).title("cypclass soak")
            .xAxisTitle("seconds").yAxisTitle("MiB").build();
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        double[] seconds = samples.stream().mapToDouble(Sample::seconds).toArray();
        chart.addSeries("RSS (MiB)", seconds, samples.stream().mapToDouble(s -> s.rssBytes() / 1048576.0).toArray());
        chart.addSeries("live off-heap (MiB)", seconds,
            samples.stream().mapToDouble(s -> s.liveBytes() / 1048576.0).toArray());
        XYSeries throughput = chart.addSeries("M ops/s", seconds,
            samples.stream().mapToDouble(s -> s.opsPerSecond() / 1e6).toArray());
        throughput.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "M ops/s");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void writeLatency(List<Sample> samples, Path png) throws IOException {
        List<Sample> recorded = samples.stream().filter(s -> s.latency().requests() > 0).toList();
        if (recorded.isEmpty()) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(1000).height(500).title("cypclass soak: request latency per interval")
            .xAxisTitle("seconds").yAxisTitle("microseconds").build();
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setYAxisLogarithmic(true);
        double[] seconds = recorded.stream().mapToDouble(Sample::seconds).toArray();
        chart.addSeries("p50", seconds, micros(recorded, Sample.Latency::p50));
        chart.addSeries("p99", seconds, micros(recorded, Sample.Latency::p99));
        chart.addSeries("p99.9", seconds, micros(recorded, Sample.Latency::p999));
        chart.addSeries("max", seconds, micros(recorded, Sample.Latency::max));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** One percentile in microseconds, kept above 0 for the logarithmic axis. */
    private static double[] micros(List<Sample> samples, java.util.function.ToLongFunction<Sample.Latency> percentile) {
        return samples.stream().mapToDouble(s -> Math.max(1e-3, percentile.applyAsLong(s.latency()) / 1e3)).toArray();
    }
}
