package org.petmeeting.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.petmeeting.http.Json;

/**
 * The load tool: signs up users and creates rooms over REST, connects one WebSocket client per
 * user (all asynchronous, on a few event loops), sends at a fixed rate (open loop) or as fast as
 * acks return (closed loop, {@code --window}), measures send-to-ack and send-to-deliver latency
 * with HdrHistogram and accounts for every message. {@code --idle} holds authenticated
 * connections and measures the servers' memory instead. See {@link LoadConfig#USAGE}.
 */
public final class LoadTool {
  private final LoadConfig config;
  private volatile String phase = "setup";

  public LoadTool(LoadConfig config) {
    this.config = config;
  }

  public static void main(String[] args) {
    LoadConfig config;
    try {
      config = LoadConfig.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("loadtool: " + e.getMessage());
      }
      System.err.print(LoadConfig.USAGE);
      System.exit(2);
      return;
    }
    int status;
    try {
      Report report = new LoadTool(config).run();
      if (config.out() != null) {
        Path out = Path.of(config.out());
        if (out.getParent() != null) {
          Files.createDirectories(out.getParent());
        }
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
      }
      System.out.println(summary(report));
      status = report.ok() ? 0 : 1;
    } catch (SetupFailed e) {
      System.err.println("loadtool: set-up failed: " + e.getMessage());
      status = 3;
    } catch (Exception e) {
      e.printStackTrace();
      status = 3;
    }
    System.exit(status);
  }

  /** Thrown when users, rooms or connections could not be made: there is nothing to measure. */
  static final class SetupFailed extends RuntimeException {
    SetupFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Runs the whole scenario on the calling thread (never an event loop) and returns the report. */
  public Report run() throws InterruptedException {
    String startedAt = Instant.now().toString();
    Report.Machine machine = Report.Machine.describe(Report.Machine.loadAvg());
    long runStart = System.nanoTime();
    Stats stats = new Stats();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loadtool-sampler");
      t.setDaemon(true);
      return t;
    });
    sampler.scheduleAtFixedRate(() -> stats.sample(runStart, phase), 0, 1, TimeUnit.SECONDS);
    List<Lane> lanes = new ArrayList<>();
    try {
      // ---- set-up over REST
      log("signing up %d users and creating %d rooms of %d on %s", config.clients(), config.rooms(),
          config.roomSize(), String.join(",", config.urls()));
      Provisioning provisioning = new Provisioning(vertx, config);
      List<Provisioning.Account> accounts;
      List<Provisioning.RoomPlan> rooms;
      try {
        accounts = await(provisioning.signUp(), 3600);
        rooms = await(provisioning.createRooms(accounts), 3600);
      } catch (RuntimeException e) {
        throw new SetupFailed(e.getMessage(), e);
      } finally {
        provisioning.close();
      }
      double setupSecs = secondsSince(runStart);

      // ---- clients, spread over the lanes (event loops)
      String text = "x".repeat(config.messageSize());
      for (int i = 0; i < config.eventLoops(); i++) {
        Lane lane = new Lane(config, stats, text);
        await(vertx.deployVerticle(lane), 60);
        lanes.add(lane);
      }
      Map<Integer, List<Client.Track>> tracks = new HashMap<>();
      for (Provisioning.RoomPlan room : rooms) {
        for (int m : room.members()) {
          tracks.computeIfAbsent(m, k -> new ArrayList<>()).add(new Client.Track(room.id(), room.members().length));
        }
      }
      List<Client> clients = new ArrayList<>();
      for (Provisioning.Account a : accounts) {
        Lane lane = lanes.get(a.index() % lanes.size());
        Client c = new Client(lane, a, tracks.getOrDefault(a.index(), List.of()));
        lane.add(c);
        clients.add(c);
      }

      List<ServerProbe.Sample> before = probe(config.idle());

      // ---- connect, spread over the ramp-up
      phase = "connect";
      long connectStart = System.nanoTime();
      double perSecondPerLane = config.rampUpSec() <= 0 ? 0 : config.clients() / config.rampUpSec() / lanes.size();
      int perLaneConcurrency = Math.max(1, config.connectConcurrency() / lanes.size());
      log("connecting %d clients over %.0f s", config.clients(), config.rampUpSec());
      int connected = 0;
      int failed = 0;
      for (Lane.Connected c : awaitAll(lanes.stream()
          .map(l -> l.connectAll(perSecondPerLane, perLaneConcurrency)).toList(), 3600)) {
        connected += c.ok();
        failed += c.failed();
      }
      double connectSecs = secondsSince(connectStart);
      log("%d connected, %d failed in %.1f s", connected, failed, connectSecs);
      if (connected == 0) {
        throw new SetupFailed("no client could connect", null);
      }

      Report.Idle idle = null;
      double warmupSecs = 0;
      double measuredSecs;
      double drainSecs = 0;
      Stats.Snapshot s0;
      Stats.Snapshot s1;
      double tool0;
      double tool1;
      Map<Long, Double> server0 = cpu();
      Map<Long, Double> server1;
      Map<String, Double> threads0;
      Map<String, Double> threads1;
      Map<String, Double> machine0;
      Map<String, Double> machine1;
      List<ServerProbe.Sample> after;
      long backlog0 = -1;
      long backlog1 = -1;
      long backlogDrained = -1;
      if (config.idle()) {
        phase = "settle";
        sleep(config.settleSec());
        after = probe(true);
        log("measured the servers with %d connections open; holding them %.0f s", connected, config.durationSec());
        phase = "hold";
        s0 = stats.snapshot();
        tool0 = toolCpuSeconds();
        server0 = cpu();
        threads0 = threads();
        machine0 = ServerProbe.machineCpuSeconds();
        sleep(config.durationSec());
        s1 = stats.snapshot();
        tool1 = toolCpuSeconds();
        server1 = cpu();
        threads1 = threads();
        machine1 = ServerProbe.machineCpuSeconds();
        measuredSecs = (s1.nanos() - s0.nanos()) / 1e9;
        long active = activeNow(lanes);
        idle = idleFigures(connected, before, after, measuredSecs, active);
        log("idle: %d connections; heap %d -> %d KiB (%d B per connection), RSS %d -> %d KiB (%d B per connection); %d still up after %.0f s",
            connected, idle.heapBeforeKiB(), idle.heapAfterKiB(), idle.heapPerConnectionBytes(), idle.rssBeforeKiB(),
            idle.rssAfterKiB(), idle.rssPerConnectionBytes(), active, measuredSecs);
      } else {
        double laneSenders = lanes.stream().mapToInt(Lane::senderCount).sum();
        phase = "warmup";
        log("sending: %s, %d-character messages; warm-up %.0f s, measuring %.0f s", config.closedLoop()
            ? "closed loop, window " + config.window() + " per client" : String.format(Locale.ROOT, "%.0f msg/s", config.rate()),
            config.messageSize(), config.warmupSec(), config.durationSec());
        long sendStart = System.nanoTime();
        stats.measureFrom = sendStart + (long) (config.warmupSec() * 1e9);
        stats.measureTo = stats.measureFrom + (long) (config.durationSec() * 1e9);
        awaitAll(lanes.stream().map(l -> l.startSending(
            laneSenders == 0 ? 0 : config.rate() * l.senderCount() / laneSenders)).toList(), 60);
        // Once during the warm-up, so that the first scrape of a cold server (class loading,
        // JIT) does not land in the measured window.
        PersistBacklog.read(config.urls());
        sleepUntil(stats.measureFrom);
        warmupSecs = secondsSince(sendStart);
        phase = "measure";
        if (config.profile() != null && !config.serverPids().isEmpty()) {
          // jcmd takes a moment to attach: in the background, so the window starts on time.
          long pid = config.serverPids().get(0);
          Thread jfr = new Thread(() -> {
            if (!ServerProbe.startRecording(pid, config.durationSec(), config.profile())) {
              log("could not start JFR in process %d", pid);
            }
          }, "loadtool-jfr");
          jfr.setDaemon(true);
          jfr.start();
        }
        s0 = stats.snapshot();
        tool0 = toolCpuSeconds();
        server0 = cpu();
        threads0 = threads();
        machine0 = ServerProbe.machineCpuSeconds();
        backlog0 = PersistBacklog.read(config.urls());
        sleepUntil(stats.measureTo);
        s1 = stats.snapshot();
        tool1 = toolCpuSeconds();
        server1 = cpu();
        threads1 = threads();
        machine1 = ServerProbe.machineCpuSeconds();
        measuredSecs = (s1.nanos() - s0.nanos()) / 1e9;
        backlog1 = PersistBacklog.read(config.urls());
        awaitAll(lanes.stream().map(Lane::stopSending).toList(), 60);

        phase = "drain";
        long drainStart = System.nanoTime();
        long drainEnd = drainStart + (long) (config.drainSec() * 1e9);
        while (System.nanoTime() < drainEnd
            && (stats.pending.sum() > 0 || stats.delivered.sum() < stats.expectedDeliveries.sum())) {
          Thread.sleep(20);
        }
        drainSecs = secondsSince(drainStart);
        backlogDrained = PersistBacklog.read(config.urls());
        after = probe(false);
      }

      // ---- accounting
      phase = "account";
      List<Lane.TrackCopy> copies = new ArrayList<>();
      awaitAll(lanes.stream().map(Lane::tracks).toList(), 300).forEach(copies::addAll);
      Report.Accounting accounting = account(copies, stats);
      long activeAtEnd = activeNow(lanes);
      awaitAll(lanes.stream().map(Lane::closeAll).toList(), 60);
      sampler.shutdown();
      stats.sample(runStart, phase);

      List<String> problems = new ArrayList<>();
      if (failed > 0) {
        problems.add(failed + " clients could not connect");
      }
      if (accounting.lost() > 0) {
        problems.add(accounting.lost() + " deliveries lost");
      }
      if (accounting.duplicated() > 0) {
        problems.add(accounting.duplicated() + " deliveries duplicated");
      }
      if (accounting.outOfOrder() > 0) {
        problems.add(accounting.outOfOrder() + " deliveries out of order");
      }
      if (!config.idle() && accounting.ackedMessages() == 0) {
        problems.add("no message was acked");
      }
      if (config.idle() && idle.activeAfterHold() < connected) {
        problems.add((connected - idle.activeAfterHold()) + " idle connections dropped while held");
      }
      Report.Throughput throughput = new Report.Throughput(round(s0.rate(s0.sent(), s1.sent(), s1)),
          round(s0.rate(s0.acked(), s1.acked(), s1)), round(s0.rate(s0.delivered(), s1.delivered(), s1)),
          stats.sent.sum(), stats.acked.sum(), stats.delivered.sum());
      Map<Long, Double> serverCores = new LinkedHashMap<>();
      for (Map.Entry<Long, Double> e : server1.entrySet()) {
        Double start = server0.get(e.getKey());
        if (start != null && start >= 0 && e.getValue() >= 0 && measuredSecs > 0) {
          serverCores.put(e.getKey(), round((e.getValue() - start) / measuredSecs));
        }
      }
      return new Report(Report.TOOL, config.label(), startedAt, config, machine.ended(Report.Machine.loadAvg()),
          new Report.Phases(round(setupSecs), round(connectSecs), round(warmupSecs), round(measuredSecs),
              round(drainSecs)),
          new Report.Connections(config.clients(), connected, failed, stats.reconnects.sum(), activeAtEnd),
          throughput, Stats.Latency.of(stats.ackMeasuredTotal()), Stats.Latency.of(stats.deliverMeasuredTotal()),
          accounting, stats.errors(),
          new Report.Cpu(measuredSecs > 0 ? round((tool1 - tool0) / measuredSecs) : 0, serverCores,
              threadCores(threads0, threads1, measuredSecs), machineCores(machine0, machine1, measuredSecs)),
          backlog0 < 0 || backlog1 < 0 ? null : new Report.Backlog(backlog0, backlog1, backlogDrained,
              measuredSecs > 0 ? round((backlog1 - backlog0) / measuredSecs) : 0),
          before, after, idle, stats.timeline(), problems.isEmpty(), problems);
    } finally {
      sampler.shutdownNow();
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // closing is best effort
      }
    }
  }

  /** Lost, duplicated, out of order: every member of a room against every acked seq of the room. */
  static Report.Accounting account(List<Lane.TrackCopy> copies, Stats stats) {
    Map<Long, BitSet> ackedByRoom = new HashMap<>();
    for (Lane.TrackCopy c : copies) {
      ackedByRoom.computeIfAbsent(c.room(), k -> new BitSet()).or(c.acked());
    }
    long acked = 0;
    long expected = 0;
    for (Lane.TrackCopy c : copies) {
      expected += ackedByRoom.get(c.room()).cardinality();
    }
    for (BitSet b : ackedByRoom.values()) {
      acked += b.cardinality();
    }
    long lost = 0;
    long unackedDelivered = 0;
    long unique = 0;
    for (Lane.TrackCopy c : copies) {
      BitSet missing = (BitSet) ackedByRoom.get(c.room()).clone();
      missing.andNot(c.received());
      lost += missing.cardinality();
      BitSet extra = (BitSet) c.received().clone();
      extra.andNot(ackedByRoom.get(c.room()));
      unackedDelivered += extra.cardinality();
      unique += c.received().cardinality();
    }
    return new Report.Accounting(acked, expected, unique, lost, stats.duplicates.sum(), stats.outOfOrder.sum(),
        unackedDelivered, stats.pending.sum());
  }

  private Report.Idle idleFigures(int connected, List<ServerProbe.Sample> before, List<ServerProbe.Sample> after,
                                  double held, long active) {
    long heap0 = sum(before, ServerProbe.Sample::heapAfterGcKiB);
    long heap1 = sum(after, ServerProbe.Sample::heapAfterGcKiB);
    long rss0 = sum(before, ServerProbe.Sample::rssKiB);
    long rss1 = sum(after, ServerProbe.Sample::rssKiB);
    return new Report.Idle(connected, heap0, heap1, perConnection(heap0, heap1, connected), rss0, rss1,
        perConnection(rss0, rss1, connected), round(held), active);
  }

  private static long perConnection(long beforeKiB, long afterKiB, int connections) {
    return beforeKiB < 0 || afterKiB < 0 || connections == 0 ? -1 : (afterKiB - beforeKiB) * 1024 / connections;
  }

  private static long sum(List<ServerProbe.Sample> samples, java.util.function.ToLongFunction<ServerProbe.Sample> f) {
    long total = 0;
    for (ServerProbe.Sample s : samples) {
      long v = f.applyAsLong(s);
      if (v < 0) {
        return -1;
      }
      total += v;
    }
    return samples.isEmpty() ? -1 : total;
  }

  private List<ServerProbe.Sample> probe(boolean fullGc) {
    List<ServerProbe.Sample> out = new ArrayList<>();
    for (long pid : config.serverPids()) {
      out.add(ServerProbe.sample(pid, fullGc));
    }
    return out;
  }

  private Map<String, Double> threads() {
    return config.serverPids().isEmpty() ? Map.of() : ServerProbe.threadCpuSeconds(config.serverPids().get(0));
  }

  /** Cores per thread group over the window, busiest first, leaving out the idle ones. */
  private static Map<String, Double> threadCores(Map<String, Double> before, Map<String, Double> after, double secs) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (secs <= 0) {
      return out;
    }
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), round((e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / secs)))
        .filter(e -> e.getValue() >= 0.01)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The ten busiest processes of the window, the tool and the servers named as such. */
  private Map<String, Double> machineCores(Map<String, Double> before, Map<String, Double> after, double secs) {
    Map<String, Double> renamed = new LinkedHashMap<>();
    String self = "java " + ProcessHandle.current().pid();
    threadCores(before, after, secs).forEach((k, v) -> {
      String name = k.equals(self) ? "loadtool" : k;
      for (long pid : config.serverPids()) {
        if (k.equals("java " + pid)) {
          name = "server " + pid;
        }
      }
      if (renamed.size() < 10) {
        renamed.put(name, v);
      }
    });
    return renamed;
  }

  private Map<Long, Double> cpu() {
    Map<Long, Double> out = new LinkedHashMap<>();
    for (long pid : config.serverPids()) {
      out.put(pid, ServerProbe.cpuSeconds(pid));
    }
    return out;
  }

  private static long activeNow(List<Lane> lanes) {
    long n = 0;
    for (int a : awaitAll(lanes.stream().map(Lane::activeCount).toList(), 60)) {
      n += a;
    }
    return n;
  }

  private static double toolCpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return 0;
  }

  static String summary(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "== %s: %d clients, %d rooms of %d, %s%n", r.label(), r.config().clients(),
        r.config().rooms(), r.config().roomSize(), r.config().idle() ? "idle"
            : r.config().closedLoop() ? "closed loop window " + r.config().window()
            : String.format(Locale.ROOT, "%.0f msg/s offered", r.config().rate())));
    b.append(String.format(Locale.ROOT, "connections: %d of %d (failed %d, reconnects %d)%n",
        r.connections().connected(), r.connections().target(), r.connections().failed(), r.connections().reconnects()));
    if (r.idle() != null) {
      Report.Idle i = r.idle();
      b.append(String.format(Locale.ROOT, "idle: heap after GC %.1f -> %.1f MiB (%d B/connection), RSS %.1f -> %.1f MiB (%d B/connection), %d up after %.0f s%n",
          i.heapBeforeKiB() / 1024.0, i.heapAfterKiB() / 1024.0, i.heapPerConnectionBytes(), i.rssBeforeKiB() / 1024.0,
          i.rssAfterKiB() / 1024.0, i.rssPerConnectionBytes(), i.activeAfterHold(), i.heldSeconds()));
    } else {
      Report.Throughput t = r.throughput();
      b.append(String.format(Locale.ROOT, "throughput (measured %.1f s): sent %.0f/s, acked %.0f/s, delivered %.0f/s%n",
          r.phases().measured(), t.sentPerSec(), t.ackedPerSec(), t.deliveredPerSec()));
      b.append(latencyLine("send->ack    ", r.sendToAck()));
      b.append(latencyLine("send->deliver", r.sendToDeliver()));
      Report.Accounting a = r.accounting();
      b.append(String.format(Locale.ROOT, "accounting: %d acked, %d of %d deliveries, lost %d, duplicated %d, out of order %d%n",
          a.ackedMessages(), a.deliveredUnique() - a.unackedDelivered(), a.expectedDeliveries(), a.lost(), a.duplicated(),
          a.outOfOrder()));
      if (r.persistBacklog() != null) {
        Report.Backlog p = r.persistBacklog();
        b.append(String.format(Locale.ROOT, "persist backlog: %d -> %d over the window (%+.0f/s), %d after the drain%n",
            p.atStart(), p.atEnd(), p.growthPerSec(), p.afterDrain()));
      }
    }
    b.append(String.format(Locale.ROOT, "cpu: tool %.2f cores, servers %s %s; load %s -> %s%n", r.cpu().toolCores(),
        r.cpu().serverCores(), r.cpu().serverThreads(), r.machine().loadAvgStart(), r.machine().loadAvgEnd()));
    b.append("machine cpu (cores): ").append(r.cpu().machine()).append('\n');
    if (!r.errors().isEmpty()) {
      b.append("errors: ").append(r.errors()).append('\n');
    }
    b.append(r.ok() ? "OK" : "FAILED: " + String.join("; ", r.problems()));
    return b.toString();
  }

  private static String latencyLine(String name, Stats.Latency l) {
    return String.format(Locale.ROOT, "%s ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%d)%n", name,
        l.p50(), l.p90(), l.p99(), l.p999(), l.max(), l.count());
  }

  private static void log(String format, Object... args) {
    System.err.println("[loadtool] " + String.format(Locale.ROOT, format, args));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  private static void sleep(double seconds) throws InterruptedException {
    sleepUntil(System.nanoTime() + (long) (seconds * 1e9));
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
    }
  }

  static <T> T await(Future<T> f, long seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no result within " + seconds + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static <T> List<T> awaitAll(List<Future<T>> futures, long seconds) {
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      out.add(await(f, seconds));
    }
    return out;
  }
}
