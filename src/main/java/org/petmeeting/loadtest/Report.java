package org.petmeeting.loadtest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The JSON a run writes: its configuration, the machine, every figure, and the timeline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Report(
    String tool,
    String label,
    String startedAt,
    LoadConfig config,
    Machine machine,
    Phases phases,
    Connections connections,
    Throughput throughput,
    Stats.Latency sendToAck,
    Stats.Latency sendToDeliver,
    Accounting accounting,
    Map<String, Long> errors,
    Cpu cpu,
    Backlog persistBacklog,
    List<ServerProbe.Sample> serversBefore,
    List<ServerProbe.Sample> serversAfter,
    Idle idle,
    List<Stats.Point> timeline,
    boolean ok,
    List<String> problems) {

  static final String TOOL = "petmeeting-loadtool/1";

  /** Where the run happened; load averages at its start and end show whether something else was busy. */
  record Machine(int cores, long memTotalMiB, String cpu, String os, String java, String loadAvgStart,
                 String loadAvgEnd) {
    static Machine describe(String loadAvgStart) {
      return new Machine(Runtime.getRuntime().availableProcessors(), readMemTotalMiB(), cpuModel(),
          System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), loadAvgStart, null);
    }

    Machine ended(String loadAvgEnd) {
      return new Machine(cores, memTotalMiB, cpu, os, java, loadAvgStart, loadAvgEnd);
    }

    static String loadAvg() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }

    private static long readMemTotalMiB() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (line.startsWith("MemTotal:")) {
            return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        // answered below
      }
      return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    private static String cpuModel() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).strip();
          }
        }
      } catch (IOException | RuntimeException e) {
        // answered below
      }
      return "unknown";
    }
  }

  /** Seconds spent in each phase; {@code measured} is the actual measured window. */
  record Phases(double setup, double connect, double warmup, double measured, double drain) {}

  record Connections(int target, int connected, int failed, long reconnects, long activeAtEnd) {}

  /** Rates over the measured window (per second) and totals over the whole run. */
  record Throughput(double sentPerSec, double ackedPerSec, double deliveredPerSec, long sent, long acked,
                    long delivered) {}

  /**
   * Every message accounted for, over the whole run. {@code lost}: acked but missing at a member
   * at the end; {@code duplicated}: received twice on one connection; {@code outOfOrder}: received
   * after a higher seq of its room; {@code unackedDelivered}: delivered although its ack never came
   * (a send in flight when a connection dropped; not an error).
   */
  record Accounting(long ackedMessages, long expectedDeliveries, long deliveredUnique, long lost, long duplicated,
                    long outOfOrder, long unackedDelivered, long sendsNeverAcked) {}

  /**
   * Cores busy on average during the measured window: the tool itself, each server process, the
   * first server's threads by group (event loops, JIT compilers, GC...), and the busiest processes
   * of the whole machine (MariaDB, Redis, anything else running), so a disturbed run shows it.
   */
  record Cpu(double toolCores, Map<Long, Double> serverCores, Map<String, Double> serverThreads,
             Map<String, Double> machine) {}

  /**
   * The durable server's persistence backlog (messages not yet in MariaDB; the server refreshes
   * the gauge every second) at the start and end of the measured window and after the drain, and
   * its growth per second over the window: near zero when MariaDB keeps up with the rate.
   */
  record Backlog(long atStart, long atEnd, long afterDrain, double growthPerSec) {}

  /**
   * Idle connections: the servers' heap after a full GC and RSS, before and after connecting
   * (summed over the servers), and what that comes to per connection.
   */
  record Idle(int connections, long heapBeforeKiB, long heapAfterKiB, long heapPerConnectionBytes, long rssBeforeKiB,
              long rssAfterKiB, long rssPerConnectionBytes, double heldSeconds, long activeAfterHold) {}
}
