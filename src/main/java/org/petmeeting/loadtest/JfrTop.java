package org.petmeeting.loadtest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Hot spots of a JFR recording ({@code -XX:StartFlightRecording} or {@code jcmd <pid> JFR.start}):
 * execution samples by thread, by top frame (where the CPU is), and by the first frame of this
 * project or of a named library (who asked for it), plus the time threads spent waiting on
 * monitors. {@code java -cp server.jar org.petmeeting.loadtest.JfrTop recording.jfr [top]}.
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop recording.jfr [lines]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> selfFrames = new HashMap<>();
    Map<String, Integer> appFrames = new HashMap<>();
    Map<String, Integer> packages = new HashMap<>();
    Map<String, Long> monitorNanos = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        if (type.equals("jdk.JavaMonitorEnter")) {
          RecordedStackTrace st = e.getStackTrace();
          String where = st == null || st.getFrames().isEmpty() ? "?" : frame(st.getFrames().get(0));
          monitorNanos.merge(where, e.getDuration().toNanos(), Long::sum);
          continue;
        }
        if (!type.equals("jdk.ExecutionSample")) {
          continue;
        }
        samples++;
        var thread = e.getThread("sampledThread");
        threads.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), 1, Integer::sum);
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
          continue;
        }
        List<RecordedFrame> frames = st.getFrames();
        selfFrames.merge(frame(frames.get(0)), 1, Integer::sum);
        packages.merge(area(frames.get(0)), 1, Integer::sum);
        for (RecordedFrame f : frames) {
          if (f.getMethod().getType().getName().startsWith("org.petmeeting")) {
            appFrames.merge(frame(f), 1, Integer::sum);
            break;
          }
        }
      }
    }
    System.out.println("execution samples: " + samples);
    print("by thread", threads, samples, top);
    print("by area of the top frame", packages, samples, top);
    print("top frames (self)", selfFrames, samples, top);
    print("first project frame on the stack", appFrames, samples, top);
    if (!monitorNanos.isEmpty()) {
      System.out.println("\n-- monitor waits (ms)");
      monitorNanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
          .forEach(en -> System.out.printf("%10.1f  %s%n", en.getValue() / 1e6, en.getKey()));
    }
  }

  private static void print(String title, Map<String, Integer> counts, int total, int top) {
    System.out.println("\n-- " + title);
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> System.out.printf("%6.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey()));
  }

  private static String frame(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  /** The library (or JDK area) a frame belongs to, by package. */
  private static String area(RecordedFrame f) {
    String t = f.getMethod().getType().getName();
    String[][] areas = {
        {"org.petmeeting", "project"}, {"io.netty", "netty"}, {"io.vertx.redis", "vertx-redis"},
        {"io.vertx.mysqlclient", "vertx-mysql"}, {"io.vertx.sqlclient", "vertx-sql"}, {"io.vertx.core.eventbus", "vertx-eventbus"},
        {"io.vertx", "vertx-core/web"}, {"com.fasterxml.jackson", "jackson"}, {"io.micrometer", "micrometer"},
        {"com.hazelcast", "hazelcast"}, {"ch.qos.logback", "logback"}, {"java.util.regex", "jdk-regex"},
        {"sun.nio", "jdk-nio"}, {"java.util.concurrent", "jdk-concurrent"}, {"java.", "jdk"}, {"jdk.", "jdk"}, {"sun.", "jdk"}};
    for (String[] a : areas) {
      if (t.startsWith(a[0])) {
        return a[1];
      }
    }
    int dot = t.lastIndexOf('.');
    return dot < 0 ? t : t.substring(0, dot);
  }

  /** Thread names without their number, so the 4 event loops count as one group. */
  private static String threadGroup(String name) {
    return name == null ? "?" : name.replaceAll("-\\d+$", "-N");
  }
}
