package org.petmeeting.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark chart: deliveries per second and p99 send-to-deliver over time for each run,
 * latency percentiles of each run's measured window, the durable maximum against the reference,
 * and the idle-connection heap against its limit. Plain SVG, written by hand.
 */
final class BenchChart {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
      "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  private static final String[] PERCENTILES = {"p50", "p90", "p99", "p999", "max"};
  private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "max"};
  private static final String[] SHADES = {"#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b"};

  private BenchChart() {}

  static String render(Map<String, JsonNode> runs, BenchReport.Summary summary) {
    Svg svg = new Svg(1200, 1010);
    List<JsonNode> flows = new ArrayList<>();
    for (JsonNode r : runs.values()) {
      if (!r.hasNonNull("idle")) {
        flows.add(r);
      }
    }
    JsonNode m = summary.machine();
    svg.text(30, 28, "Pet Meeting chat benchmark: durable server vs in-memory reference", 18, "start", "#111", true);
    if (m != null) {
      svg.text(1170, 28, String.format(Locale.ROOT, "%d cores, %d MiB, everything on one machine; %s",
          m.path("cores").asInt(), m.path("memTotalMiB").asLong(), summary.generatedAt().substring(0, 16)), 12, "end",
          "#555", false);
    }
    timeSeries(svg, flows);
    percentiles(svg, flows);
    ratios(svg, summary);
    idle(svg, summary.idle());
    return svg.render();
  }

  /** Seconds since the run started sending, for its points from warm-up on. */
  private static double[][] series(JsonNode run, String field) {
    double t0 = -1;
    List<double[]> pts = new ArrayList<>();
    for (JsonNode p : run.path("timeline")) {
      String phase = p.path("phase").asText();
      if (phase.equals("warmup") || phase.equals("measure") || phase.equals("drain")) {
        if (t0 < 0) {
          t0 = p.path("t").asDouble() - 1;
        }
        pts.add(new double[] {p.path("t").asDouble() - t0, p.path(field).asDouble()});
      }
    }
    double[] xs = new double[pts.size()];
    double[] ys = new double[pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      xs[i] = pts.get(i)[0];
      ys[i] = pts.get(i)[1];
    }
    return new double[][] {xs, ys};
  }

  private static void timeSeries(Svg svg, List<JsonNode> flows) {
    double xMax = 1;
    double yMax = 1;
    double latMax = 1;
    double latMin = 1e9;
    for (JsonNode r : flows) {
      double[][] s = series(r, "delivered");
      double[][] l = series(r, "deliverP99");
      for (double x : s[0]) {
        xMax = Math.max(xMax, x);
      }
      for (double y : s[1]) {
        yMax = Math.max(yMax, y);
      }
      for (double y : l[1]) {
        if (y > 0) {
          latMax = Math.max(latMax, y);
          latMin = Math.min(latMin, y);
        }
      }
    }
    double xStep = Svg.niceStep(xMax / 6);
    Svg.Plot thr = new Svg.Plot(svg, 90, 75, 470, 250, Math.ceil(xMax / xStep) * xStep, 0,
        Svg.niceStep(yMax / 5) * Math.ceil(yMax / Svg.niceStep(yMax / 5)), false);
    thr.axes("Deliveries per second over time", "deliveries / s", "seconds since sending began (warm-up, measured, drain)", xStep);
    Svg.Plot lat = new Svg.Plot(svg, 690, 75, 470, 250, thr.xMax, Math.pow(10, Math.floor(Math.log10(Math.min(latMin, latMax)))),
        Math.pow(10, Math.ceil(Math.log10(latMax))), true);
    lat.axes("p99 send -> deliver per second (ms, log scale)", "ms", "seconds since sending began", xStep);
    lat.svg.line(lat.x, lat.py(25), lat.x + lat.w, lat.py(25), "#d62728", 1, "6,4");
    lat.svg.text(lat.x + lat.w - 4, lat.py(25) - 4, "25 ms", 11, "end", "#d62728", false);
    for (int i = 0; i < flows.size(); i++) {
      String color = COLORS[i % COLORS.length];
      double[][] s = series(flows.get(i), "delivered");
      svg.polyline(map(s[0], thr::px), map(s[1], thr::py), color, 1.8);
      double[][] l = series(flows.get(i), "deliverP99");
      svg.polyline(map(l[0], lat::px), map(l[1], lat::py), color, 1.8);
      double lx = 90 + (i % 4) * 270;
      double ly = 372 + (i / 4) * 18;
      svg.rect(lx, ly - 10, 14, 10, color, null);
      svg.text(lx + 20, ly, flows.get(i).path("label").asText(), 12, "start", "#222", false);
    }
  }

  private static double[] map(double[] v, java.util.function.DoubleUnaryOperator f) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = f.applyAsDouble(v[i]);
    }
    return out;
  }

  private static void percentiles(Svg svg, List<JsonNode> flows) {
    double max = 1;
    double min = 1e9;
    for (JsonNode r : flows) {
      for (String p : PERCENTILES) {
        double v = r.path("sendToDeliver").path(p).asDouble();
        if (v > 0) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    Svg.Plot plot = new Svg.Plot(svg, 90, 450, 1070, 210, flows.size(), Math.pow(10, Math.floor(Math.log10(Math.min(min, 1)))),
        Math.pow(10, Math.ceil(Math.log10(max))), true);
    plot.axes("send -> deliver latency in the measured window (ms, log scale)", "ms", null, 0);
    svg.line(plot.x, plot.py(25), plot.x + plot.w, plot.py(25), "#d62728", 1, "6,4");
    svg.line(plot.x + plot.w - 330, 705, plot.x + plot.w - 300, 705, "#d62728", 1, "6,4");
    svg.text(plot.x + plot.w, 709, "25 ms target (at half of the durable maximum)", 12, "end", "#d62728", false);
    double group = plot.w / Math.max(1, flows.size());
    double bar = Math.min(28, (group - 20) / PERCENTILES.length);
    for (int i = 0; i < flows.size(); i++) {
      JsonNode r = flows.get(i);
      double gx = plot.x + i * group + (group - bar * PERCENTILES.length) / 2;
      for (int k = 0; k < PERCENTILES.length; k++) {
        double v = r.path("sendToDeliver").path(PERCENTILES[k]).asDouble();
        double top = plot.py(Math.max(v, plot.yMin));
        svg.rect(gx + k * bar, top, bar - 2, plot.y + plot.h - top, SHADES[k], null);
        svg.text(gx + k * bar + bar / 2 - 1, top - 3, Svg.label(Math.round(v * 10) / 10.0), 9, "middle", "#333", false);
      }
      svg.text(plot.x + i * group + group / 2, plot.y + plot.h + 16, r.path("label").asText(), 12, "middle", "#222", false);
    }
    for (int k = 0; k < PERCENTILES.length; k++) {
      svg.rect(90 + k * 80, 700, 14, 10, SHADES[k], null);
      svg.text(110 + k * 80, 709, PERCENTILE_NAMES[k], 12, "start", "#222", false);
    }
  }

  private static void ratios(Svg svg, BenchReport.Summary summary) {
    List<BenchReport.Ratio> ratios = summary.ratios();
    double max = 1;
    for (BenchReport.Ratio r : ratios) {
      max = Math.max(max, Math.max(r.referenceDeliveriesPerSec(), r.durableDeliveriesPerSec()));
    }
    double step = Svg.niceStep(max / 5);
    Svg.Plot plot = new Svg.Plot(svg, 90, 770, 470, 190, Math.max(1, ratios.size()), 0, Math.ceil(max / step) * step, false);
    plot.axes("Maximum sustained deliveries/s (closed loop)", "deliveries / s", null, 0);
    double group = plot.w / Math.max(1, ratios.size());
    for (int i = 0; i < ratios.size(); i++) {
      BenchReport.Ratio r = ratios.get(i);
      double gx = plot.x + i * group + group / 2;
      double refTop = plot.py(r.referenceDeliveriesPerSec());
      double durTop = plot.py(r.durableDeliveriesPerSec());
      svg.rect(gx - 70, refTop, 60, plot.y + plot.h - refTop, "#9e9e9e", null);
      svg.rect(gx + 10, durTop, 60, plot.y + plot.h - durTop, "#1f77b4", null);
      svg.line(gx - 80, plot.py(r.referenceDeliveriesPerSec() / 2), gx + 80, plot.py(r.referenceDeliveriesPerSec() / 2),
          "#d62728", 1, "6,4");
      svg.text(gx - 40, refTop - 4, Svg.label(Math.round(r.referenceDeliveriesPerSec())), 11, "middle", "#333", false);
      svg.text(gx + 40, durTop - 4, String.format(Locale.ROOT, "%s (%.0f%%)",
          Svg.label(Math.round(r.durableDeliveriesPerSec())), r.fraction() * 100), 11, "middle", "#333", false);
      svg.text(gx, plot.y + plot.h + 16, r.scenario() + ": reference | durable", 12, "middle", "#222", false);
    }
    svg.text(plot.x + plot.w, plot.y + plot.h + 34, "dashed: half of the reference (target)", 11, "end", "#d62728", false);
  }

  private static void idle(Svg svg, List<BenchReport.IdleLine> runs) {
    double limitMiB = BenchReport.HEAP_LIMIT_KIB / 1024.0;
    BenchReport.IdleLine idle = runs.stream()
        .max(java.util.Comparator.comparingInt(BenchReport.IdleLine::connections)).orElse(null);
    double top = 300;
    if (idle != null) {
      top = Math.max(top, Math.max(idle.heapAfterMiB(), idle.heapAt20kMiB()) * 1.15);
    }
    double step = Svg.niceStep(top / 5);
    Svg.Plot plot = new Svg.Plot(svg, 690, 770, 470, 190, 3, 0, Math.ceil(top / step) * step, false);
    plot.axes("Idle connections: live heap after a full GC (MiB)", "MiB", null, 0);
    svg.line(plot.x, plot.py(limitMiB), plot.x + plot.w, plot.py(limitMiB), "#d62728", 1, "6,4");
    svg.text(plot.x + 4, plot.py(limitMiB) - 4, "256 MiB target", 11, "start", "#d62728", false);
    if (idle == null) {
      svg.text(plot.x + plot.w / 2, plot.y + plot.h / 2, "no idle run", 12, "middle", "#777", false);
      return;
    }
    String[] names = {"before connecting", String.format(Locale.ROOT, "%,d connected", idle.connections()),
        String.format(Locale.ROOT, "%,d (projected)", BenchReport.IDLE_TARGET)};
    double[] values = {idle.heapBeforeMiB(), idle.heapAfterMiB(), idle.heapAt20kMiB()};
    double group = plot.w / 3;
    for (int i = 0; i < 3; i++) {
      double gx = plot.x + i * group + group / 2;
      double y = plot.py(values[i]);
      svg.rect(gx - 35, y, 70, plot.y + plot.h - y, i == 2 ? "#9ecae1" : "#1f77b4", null);
      svg.text(gx, y - 4, String.format(Locale.ROOT, "%.1f", values[i]), 11, "middle", "#333", false);
      svg.text(gx, plot.y + plot.h + 16, names[i], 11, "middle", "#222", false);
    }
    svg.text(plot.x + plot.w, plot.y + plot.h + 34, String.format(Locale.ROOT,
        "per connection: heap %,d B, RSS %,d B (%s)", idle.heapPerConnectionBytes(), idle.rssPerConnectionBytes(),
        idle.label()), 11, "end", "#333", false);
  }
}
