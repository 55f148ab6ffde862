package org.petmeeting.loadtest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.petmeeting.http.Json;

/**
 * Combines the reports of one benchmark session (scripts/bench.sh) into a summary: the durable
 * server's maximum sustained deliveries as a fraction of the reference's, latency at half of that
 * rate, the idle-connection memory, the accounting of every run, each against its target. Writes
 * the summary JSON, an SVG chart, and prints a Markdown table.
 *
 * <p>Run labels follow {@code <scenario>.<server>.<kind>}: server {@code durable} or
 * {@code reference}, kind {@code max} (closed loop, saturation) or {@code half} (open loop at half
 * of the durable maximum); the idle run is {@code idle.durable}.
 *
 * <p>{@code java -cp server.jar org.petmeeting.loadtest.BenchReport --out summary.json --svg bench.svg run.json...}
 */
public final class BenchReport {
  static final long HEAP_LIMIT_KIB = 256 * 1024;
  static final int IDLE_TARGET = 20_000;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Target(String target, String measured, boolean met, String note) {}

  record RunLine(String label, String offered, double deliveredPerSec, double ackedPerSec, double deliverP50,
                 double deliverP99, double deliverP999, double deliverMax, double ackP99, long acked, long lost,
                 long duplicated, long outOfOrder, long reconnects, double toolCores, Map<String, Double> serverCores,
                 String loadAvg, Double persistBacklogPerSec, boolean ok) {}

  record Ratio(String scenario, double referenceDeliveriesPerSec, double durableDeliveriesPerSec, double fraction) {}

  /** An idle run: the heap after a full GC before and after connecting, and 20,000 projected from it. */
  record IdleLine(String label, int connections, double maxHeapMiB, double heapBeforeMiB, double heapAfterMiB,
                  long heapPerConnectionBytes, long rssPerConnectionBytes, double heapAt20kMiB, long activeAfterHold,
                  boolean ok) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Summary(String generatedAt, JsonNode machine, List<Ratio> ratios, List<IdleLine> idle, List<RunLine> runs,
                 List<Target> targets) {}

  private BenchReport() {}

  public static void main(String[] args) throws IOException {
    String out = null;
    String svg = null;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = args[++i];
        case "--svg" -> svg = args[++i];
        default -> inputs.add(Path.of(args[i]));
      }
    }
    if (inputs.isEmpty()) {
      System.err.println("usage: BenchReport [--out summary.json] [--svg chart.svg] run.json...");
      System.exit(2);
    }
    Map<String, JsonNode> runs = new LinkedHashMap<>();
    for (Path p : inputs) {
      JsonNode r = Json.MAPPER.readTree(p.toFile());
      if (r.has("label") && r.has("throughput")) {
        runs.put(r.get("label").asText(), r);
      }
    }
    Summary summary = summarise(runs);
    if (out != null) {
      Files.writeString(Path.of(out), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
    }
    if (svg != null) {
      Files.writeString(Path.of(svg), BenchChart.render(runs, summary));
    }
    System.out.print(markdown(summary));
    boolean clean = summary.runs().stream().allMatch(RunLine::ok);
    System.exit(clean ? 0 : 1);
  }

  static Summary summarise(Map<String, JsonNode> runs) {
    List<RunLine> lines = new ArrayList<>();
    List<IdleLine> idle = new ArrayList<>();
    JsonNode machine = null;
    for (JsonNode r : runs.values()) {
      machine = machine == null ? r.get("machine") : machine;
      if (r.hasNonNull("idle")) {
        idle.add(idleLine(r));
      } else {
        lines.add(line(r));
      }
    }
    List<Ratio> ratios = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    for (String scenario : scenarios(runs)) {
      JsonNode ref = runs.get(scenario + ".reference.max");
      JsonNode dur = runs.get(scenario + ".durable.max");
      if (ref != null && dur != null) {
        double r = delivered(ref);
        double d = delivered(dur);
        double fraction = r == 0 ? 0 : Math.round(d / r * 1000) / 1000.0;
        ratios.add(new Ratio(scenario, r, d, fraction));
        // Acked is not yet persisted: a backlog that grew through the window means MariaDB fell behind.
        JsonNode backlog = dur.path("persistBacklog");
        double growth = backlog.isObject() ? backlog.path("growthPerSec").asDouble() : 0;
        double acked = dur.path("throughput").path("ackedPerSec").asDouble();
        String note = growth > 0.01 * acked ? String.format(Locale.ROOT,
            "the persist backlog grew by %.0f msg/s in that window: MariaDB kept up with %.0f of the %.0f msg/s acked",
            growth, acked - growth, acked) : null;
        targets.add(new Target(scenario + ": durable deliveries/s >= 1/2 of the bare reference",
            String.format(Locale.ROOT, "%.0f / %.0f = %.1f%%", d, r, fraction * 100), fraction >= 0.5, note));
      }
      JsonNode half = runs.get(scenario + ".durable.half");
      if (half != null) {
        double p99 = half.path("sendToDeliver").path("p99").asDouble();
        targets.add(new Target(scenario + ": p99 send->deliver < 25 ms at half of the maximum sustained rate",
            String.format(Locale.ROOT, "%.1f ms at %.0f msg/s", p99, half.path("config").path("rate").asDouble()),
            p99 < 25, null));
      }
    }
    // The run that held the most connections; of those, the one in the smallest heap (a JVM with
    // room to spare keeps more softly reachable caches through a full GC).
    IdleLine largest = idle.stream().max(java.util.Comparator.comparingInt(IdleLine::connections)
        .thenComparing(java.util.Comparator.comparingDouble(IdleLine::maxHeapMiB).reversed())).orElse(null);
    if (largest != null) {
      boolean measuredAll = largest.connections() >= IDLE_TARGET;
      double heap = measuredAll ? largest.heapAfterMiB() : largest.heapAt20kMiB();
      StringBuilder measured = new StringBuilder(String.format(Locale.ROOT,
          "%,d connections with -Xmx%s: %.1f MiB live heap after a full GC (%,d B per connection)",
          largest.connections(), xmx(largest.maxHeapMiB()), largest.heapAfterMiB(), largest.heapPerConnectionBytes()));
      if (!measuredAll) {
        measured.append(String.format(Locale.ROOT, "; at %,d: %.1f MiB", IDLE_TARGET, largest.heapAt20kMiB()));
      }
      for (IdleLine i : idle) {
        if (i != largest) {
          measured.append(String.format(Locale.ROOT, "; %,d held with -Xmx%s: %.1f MiB", i.connections(),
              xmx(i.maxHeapMiB()), i.heapAfterMiB()));
        }
      }
      targets.add(new Target("20,000 idle authenticated connections on one node in <= 256 MiB heap", measured.toString(),
          heap <= HEAP_LIMIT_KIB / 1024.0,
          measuredAll ? null : "the open-files limit allows fewer than 20,000; the figure for 20,000 is projected"));
    }
    long bad = 0;
    int clean = 0;
    for (JsonNode r : runs.values()) {
      JsonNode a = r.path("accounting");
      bad += a.path("lost").asLong() + a.path("duplicated").asLong() + a.path("outOfOrder").asLong();
      clean += r.path("ok").asBoolean() ? 1 : 0;
    }
    targets.add(new Target("zero lost, duplicated, out-of-order deliveries in every run",
        String.format(Locale.ROOT, "%d of %d runs clean; %d bad deliveries", clean, runs.size(), bad),
        bad == 0 && clean == runs.size(), null));
    return new Summary(Instant.now().toString(), machine, ratios, idle, lines, targets);
  }

  private static IdleLine idleLine(JsonNode r) {
    JsonNode i = r.get("idle");
    double before = i.path("heapBeforeKiB").asDouble() / 1024;
    long perConnection = i.path("heapPerConnectionBytes").asLong();
    double maxHeap = -1;
    for (JsonNode s : r.path("serversAfter")) {
      maxHeap = s.path("maxHeapKiB").asDouble(-1024) / 1024;
    }
    return new IdleLine(r.path("label").asText(), i.path("connections").asInt(), maxHeap, round1(before),
        round1(i.path("heapAfterKiB").asDouble() / 1024), perConnection, i.path("rssPerConnectionBytes").asLong(),
        round1(before + perConnection * (double) IDLE_TARGET / (1024 * 1024)), i.path("activeAfterHold").asLong(),
        r.path("ok").asBoolean());
  }

  private static String xmx(double mib) {
    return mib <= 0 ? "?" : String.format(Locale.ROOT, "%.0fm", mib);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static Set<String> scenarios(Map<String, JsonNode> runs) {
    Set<String> out = new LinkedHashSet<>();
    for (String label : runs.keySet()) {
      String[] p = label.split("\\.");
      if (p.length == 3) {
        out.add(p[0]);
      }
    }
    return out;
  }

  static double delivered(JsonNode r) {
    return r.path("throughput").path("deliveredPerSec").asDouble();
  }

  private static RunLine line(JsonNode r) {
    JsonNode c = r.path("config");
    String offered = c.path("window").asInt() > 0 ? "closed loop, window " + c.path("window").asInt()
        : String.format(Locale.ROOT, "%.0f msg/s", c.path("rate").asDouble());
    JsonNode d = r.path("sendToDeliver");
    JsonNode a = r.path("accounting");
    Map<String, Double> servers = new LinkedHashMap<>();
    r.path("cpu").path("serverCores").fields().forEachRemaining(e -> servers.put(e.getKey(), e.getValue().asDouble()));
    return new RunLine(r.path("label").asText(), offered, delivered(r), r.path("throughput").path("ackedPerSec").asDouble(),
        d.path("p50").asDouble(), d.path("p99").asDouble(), d.path("p999").asDouble(), d.path("max").asDouble(),
        r.path("sendToAck").path("p99").asDouble(), a.path("ackedMessages").asLong(), a.path("lost").asLong(),
        a.path("duplicated").asLong(), a.path("outOfOrder").asLong(), r.path("connections").path("reconnects").asLong(),
        r.path("cpu").path("toolCores").asDouble(), servers,
        r.path("machine").path("loadAvgStart").asText() + " -> " + r.path("machine").path("loadAvgEnd").asText(),
        r.path("persistBacklog").isObject() ? r.path("persistBacklog").path("growthPerSec").asDouble() : null,
        r.path("ok").asBoolean());
  }

  static String markdown(Summary s) {
    StringBuilder b = new StringBuilder();
    b.append("| target | measured | met |\n|---|---|---|\n");
    for (Target t : s.targets()) {
      b.append("| ").append(t.target()).append(" | ").append(t.measured())
          .append(t.note() == null ? "" : " (" + t.note() + ")").append(" | ").append(t.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    b.append("\n| run | offered | delivered/s | acked/s | deliver p50 / p99 / p99.9 / max (ms) | ack p99 (ms) | lost / dup / ooo | persist backlog growth (/s) | CPU tool / server | load avg |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (RunLine r : s.runs()) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.1f / %.1f / %.1f / %.1f | %.1f | %d / %d / %d | %s | %.2f / %s | %s |%n",
          r.label(), r.offered(), r.deliveredPerSec(), r.ackedPerSec(), r.deliverP50(), r.deliverP99(), r.deliverP999(),
          r.deliverMax(), r.ackP99(), r.lost(), r.duplicated(), r.outOfOrder(),
          r.persistBacklogPerSec() == null ? "—" : String.format(Locale.ROOT, "%+.0f", r.persistBacklogPerSec()),
          r.toolCores(),
          r.serverCores().values().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), r.loadAvg()));
    }
    if (!s.idle().isEmpty()) {
      b.append("\n| idle run | connections | -Xmx | heap after full GC: before / after (MiB) | per connection: heap / RSS (B) | at 20,000 (MiB) | still up after hold |\n")
          .append("|---|---|---|---|---|---|---|\n");
      for (IdleLine i : s.idle()) {
        b.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.1f / %.1f | %,d / %,d | %.1f | %,d |%n", i.label(),
            i.connections(), xmx(i.maxHeapMiB()), i.heapBeforeMiB(), i.heapAfterMiB(), i.heapPerConnectionBytes(),
            i.rssPerConnectionBytes(), i.heapAt20kMiB(), i.activeAfterHold()));
      }
    }
    return b.toString();
  }
}
