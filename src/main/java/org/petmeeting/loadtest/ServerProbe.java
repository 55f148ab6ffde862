package org.petmeeting.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at a server process on this machine from the outside: CPU time and RSS from /proc, the
 * heap after a full collection through {@code jcmd <pid> GC.run} and {@code GC.heap_info}.
 */
final class ServerProbe {
  private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
  /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux we run on. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** One look at a process. Sizes in KiB; {@code heapAfterGcKiB} is -1 when not measured. */
  record Sample(long pid, long rssKiB, long heapAfterGcKiB, long maxHeapKiB, int threads, int fds, double cpuSeconds) {}

  private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

  private ServerProbe() {}

  static Sample sample(long pid, boolean fullGc) {
    long heap = -1;
    if (fullGc) {
      heap = heapAfterFullGc(pid);
    }
    return new Sample(pid, statusField(pid, "VmRSS"), heap, maxHeapKiB(pid), (int) statusField(pid, "Threads"),
        fds(pid), cpuSeconds(pid));
  }

  /** The process's -Xmx (MaxHeapSize) in KiB; -1 when it cannot be read. */
  static long maxHeapKiB(long pid) {
    Matcher m = MAX_HEAP.matcher(String.valueOf(jcmd(pid, "VM.flags")));
    return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
  }

  /** User plus system CPU seconds the process has used; -1 when it cannot be read. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may hold spaces) start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU seconds per group of threads (names without their trailing numbers: the event loops, the
   * JIT compilers, the GC workers...), from /proc/<pid>/task; empty when it cannot be read.
   */
  static java.util.Map<String, Double> threadCpuSeconds(long pid) {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    String[] tasks = new java.io.File("/proc/" + pid + "/task").list();
    if (tasks == null) {
      return out;
    }
    for (String tid : tasks) {
      try {
        Path dir = Path.of("/proc", Long.toString(pid), "task", tid);
        String name = Files.readString(dir.resolve("comm")).strip().replaceAll("[-#]?\\d+$", "");
        String stat = Files.readString(dir.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Double::sum);
      } catch (IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return out;
  }

  /**
   * CPU seconds of every process on the machine, keyed by command name; Java processes by pid,
   * since the tool, the servers and anyone's build all run as "java".
   */
  static java.util.Map<String, Double> machineCpuSeconds() {
    java.util.Map<String, Double> out = new java.util.HashMap<>();
    String[] pids = new java.io.File("/proc").list((d, n) -> n.chars().allMatch(Character::isDigit));
    if (pids == null) {
      return out;
    }
    for (String pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String key = comm.equals("java") ? "java " + pid : comm;
        out.merge(key, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Double::sum);
      } catch (IOException | RuntimeException e) {
        // the process ended meanwhile
      }
    }
    return out;
  }

  private static long statusField(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(name + ":")) {
          return Long.parseLong(line.substring(name.length() + 1).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // answered below
    }
    return -1;
  }

  private static int fds(long pid) {
    String[] list = new java.io.File("/proc/" + pid + "/fd").list();
    return list == null ? -1 : list.length;
  }

  /** Runs a full GC in the process, then reads how much heap is in use; -1 on failure. */
  static long heapAfterFullGc(long pid) {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = USED.matcher(info == null ? "" : info);
    if (!m.find()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "G" -> n * 1024 * 1024;
      case "M" -> n * 1024;
      default -> n;
    };
  }

  /** Starts a JFR recording of {@code seconds} in the process, written to {@code file}; false on failure. */
  static boolean startRecording(long pid, double seconds, String file) {
    String out = jcmd(pid, "JFR.start", "name=loadtool", "settings=profile",
        "duration=" + Math.max(1, Math.round(seconds)) + "s", "filename=" + Path.of(file).toAbsolutePath());
    return out != null;
  }

  private static String jcmd(long pid, String... command) {
    String java = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    String exe = Files.isExecutable(Path.of(java)) ? java : "jcmd";
    try {
      List<String> cmd = new ArrayList<>(List.of(exe, Long.toString(pid)));
      cmd.addAll(List.of(command));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
