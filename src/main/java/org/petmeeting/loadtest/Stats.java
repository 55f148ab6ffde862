package org.petmeeting.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What every client of a run records, shared across the tool's event loops: counters, and
 * latencies in microseconds in HdrHistogram {@link Recorder}s (safe for concurrent writers). One
 * pair of recorders feeds the per-second timeline; the other pair takes only messages sent inside
 * the measured window, so warm-up and drain do not blur the figures.
 */
final class Stats {
  final LongAdder sent = new LongAdder();
  final LongAdder acked = new LongAdder();
  /** Deliveries counted once per (connection, room, seq). */
  final LongAdder delivered = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder outOfOrder = new LongAdder();
  /** Sum over acked messages of the members of their room: the deliveries the run must see. */
  final LongAdder expectedDeliveries = new LongAdder();
  final LongAdder pending = new LongAdder();
  final LongAdder connected = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  final LongAdder syncs = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  private final Recorder ackTimeline = new Recorder(3);
  private final Recorder deliverTimeline = new Recorder(3);
  private final Recorder ackMeasured = new Recorder(3);
  private final Recorder deliverMeasured = new Recorder(3);

  /** The measured window, on the System.nanoTime clock; messages sent inside it are measured. */
  volatile long measureFrom = Long.MAX_VALUE;
  volatile long measureTo = Long.MAX_VALUE;

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  Map<String, Long> errors() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private boolean measured(long sentNanos) {
    return sentNanos >= measureFrom && sentNanos < measureTo;
  }

  void ack(long sentNanos, long now) {
    long micros = Math.max(0, (now - sentNanos) / 1000);
    ackTimeline.recordValue(micros);
    if (measured(sentNanos)) {
      ackMeasured.recordValue(micros);
    }
  }

  void deliver(long sentNanos, long now) {
    long micros = Math.max(0, (now - sentNanos) / 1000);
    deliverTimeline.recordValue(micros);
    if (measured(sentNanos)) {
      deliverMeasured.recordValue(micros);
    }
  }

  Histogram ackInterval() {
    return ackTimeline.getIntervalHistogram();
  }

  Histogram deliverInterval() {
    return deliverTimeline.getIntervalHistogram();
  }

  Histogram ackMeasuredTotal() {
    return ackMeasured.getIntervalHistogram();
  }

  Histogram deliverMeasuredTotal() {
    return deliverMeasured.getIntervalHistogram();
  }

  /** Counters at one instant, to take differences over the measured window. */
  record Snapshot(long nanos, long sent, long acked, long delivered) {
    double rate(long a, long b, Snapshot later) {
      double s = (later.nanos - nanos) / 1e9;
      return s <= 0 ? 0 : (b - a) / s;
    }
  }

  Snapshot snapshot() {
    return new Snapshot(System.nanoTime(), sent.sum(), acked.sum(), delivered.sum());
  }

  /** Latency percentiles in milliseconds. */
  record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    static Latency of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return new Latency(0, 0, 0, 0, 0, 0, 0);
      }
      return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
          Math.round(h.getMean()) / 1000.0);
    }

    private static double ms(long micros) {
      return micros / 1000.0;
    }
  }

  /** One second of the run, for the chart. Counts are per second; latencies in ms. */
  record Point(double t, String phase, long sent, long acked, long delivered, long connections,
               double ackP50, double ackP99, double deliverP50, double deliverP99, double deliverMax) {}

  private final List<Point> timeline = new ArrayList<>();
  private Snapshot last;

  /** Called once a second by one thread: appends a point with what happened since the last call. */
  synchronized void sample(long runStartNanos, String phase) {
    Snapshot now = snapshot();
    Histogram a = ackInterval();
    Histogram d = deliverInterval();
    if (last != null) {
      double secs = (now.nanos() - last.nanos()) / 1e9;
      timeline.add(new Point(Math.round((now.nanos() - runStartNanos) / 1e7) / 100.0, phase,
          Math.round((now.sent() - last.sent()) / secs), Math.round((now.acked() - last.acked()) / secs),
          Math.round((now.delivered() - last.delivered()) / secs), connected.sum(),
          pct(a, 50), pct(a, 99), pct(d, 50), pct(d, 99), d.getTotalCount() == 0 ? 0 : d.getMaxValue() / 1000.0));
    }
    last = now;
  }

  private static double pct(Histogram h, double p) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
  }

  synchronized List<Point> timeline() {
    return List.copyOf(timeline);
  }
}
