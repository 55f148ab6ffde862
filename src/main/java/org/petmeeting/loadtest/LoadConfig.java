package org.petmeeting.loadtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one load-tool run does. {@link #parse} reads {@code --name value} (or {@code --name=value})
 * options; {@link #usage} lists them. Every number is bounded so a typo cannot start a runaway run.
 */
public record LoadConfig(
    List<String> urls,
    String label,
    String runId,
    int clients,
    int rooms,
    int roomSize,
    double rate,
    int window,
    int maxPending,
    int messageSize,
    double rampUpSec,
    double warmupSec,
    double durationSec,
    double drainSec,
    int eventLoops,
    boolean idle,
    double settleSec,
    List<Long> serverPids,
    int restConcurrency,
    int connectConcurrency,
    boolean reconnect,
    boolean browserHeaders,
    String profile,
    String out) {

  static final String USAGE = """
      Usage: java -cp petmeeting-server.jar org.petmeeting.loadtest.LoadTool [options]
        --url URL[,URL...]     base URLs of the nodes; clients are spread over them (default http://127.0.0.1:8080)
        --label NAME           a name for this run in the report (default: run)
        --clients N            WebSocket clients, one user each (default 100)
        --rooms N              rooms (default clients/roomSize)
        --room-size N          members per room: 2 = direct rooms, more = groups (default 2)
        --rate R               messages per second, all clients together (open loop; default 100)
        --rate-per-client R    the same, per client (overrides --rate)
        --window N             closed loop instead: each client keeps N sends unacknowledged (saturation)
        --max-pending N        open loop: a client with N sends unacknowledged skips its turn (default 16,
                               under the server's 32 requests in flight per connection); skips are counted
        --message-size N       characters of text per message (default 100)
        --ramp-up S            seconds over which the clients connect (default 5)
        --warmup S             seconds of sending before measuring (default 5)
        --duration S           seconds measured (default 30)
        --drain S              most seconds to wait after sending for acks and deliveries (default 30)
        --event-loops N        event loops of the tool (default: available processors)
        --idle                 connect and authenticate only; hold for --duration; no messages
        --settle S             idle: seconds between the last connection and the measurement (default 5)
        --server-pid PID[,PID] server processes to measure: CPU, RSS and (idle) heap after a full GC via jcmd
        --rest-concurrency N   sign-ups and room creations in flight (default 32)
        --connect-concurrency N  WebSocket handshakes in flight (default 200)
        --no-reconnect         count a dropped connection as an error instead of reconnecting and syncing
        --browser-headers      send the upgrade headers a desktop browser sends (User-Agent, Origin, ...): the
                               server keeps the upgrade request of each WebSocket, so they cost it memory
        --profile FILE         record the measured window in the first --server-pid with JFR (jcmd JFR.start) into FILE
        --run-id ID            prefix of user names, unique per run (default: random)
        --out FILE             write the JSON report there (default: stdout only gets the summary)
      Exit status: 0 when every acked message reached every member exactly once in order, 1 when
      anything was lost, duplicated or out of order (or connections failed), 2 on bad options, 3 when set-up failed.
      """;

  private static final Set<String> FLAGS = Set.of("idle", "no-reconnect", "browser-headers", "help");

  public static LoadConfig parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (FLAGS.contains(name)) {
        value = "true";
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      o.put(name, value);
    }
    if (o.containsKey("help")) {
      throw new IllegalArgumentException("");
    }
    Set<String> known = Set.of("url", "label", "run-id", "clients", "rooms", "room-size", "rate", "rate-per-client",
        "window", "max-pending", "message-size", "ramp-up", "warmup", "duration", "drain", "event-loops", "idle", "settle",
        "server-pid", "rest-concurrency", "connect-concurrency", "no-reconnect", "browser-headers", "profile", "out");
    for (String k : o.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown option --" + k);
      }
    }
    List<String> urls = new ArrayList<>();
    for (String u : o.getOrDefault("url", "http://127.0.0.1:8080").split(",")) {
      String t = u.strip();
      if (!t.isEmpty()) {
        urls.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("--url names no URL");
    }
    int clients = integer(o, "clients", 100, 1, 100_000);
    int roomSize = integer(o, "room-size", 2, 2, 500);
    boolean idle = o.containsKey("idle");
    int rooms = integer(o, "rooms", Math.max(1, clients / roomSize), 0, 1_000_000);
    if (roomSize > clients && rooms > 0) {
      throw new IllegalArgumentException("--room-size " + roomSize + " is larger than --clients " + clients);
    }
    if (roomSize == 2 && rooms > (long) clients * (clients - 1) / 2) {
      throw new IllegalArgumentException("--rooms " + rooms + ": " + clients + " clients form at most "
          + (long) clients * (clients - 1) / 2 + " distinct direct rooms");
    }
    double rate = number(o, "rate", 100, 0, 10_000_000);
    if (o.containsKey("rate-per-client")) {
      rate = number(o, "rate-per-client", 1, 0, 100_000) * clients;
    }
    int window = integer(o, "window", 0, 0, 10_000);
    int maxPending = integer(o, "max-pending", Math.max(16, window), 1, 10_000);
    if (window > maxPending) {
      throw new IllegalArgumentException("--window " + window + " is larger than --max-pending " + maxPending);
    }
    int loops = integer(o, "event-loops", Runtime.getRuntime().availableProcessors(), 1, 64);
    List<Long> pids = new ArrayList<>();
    for (String p : o.getOrDefault("server-pid", "").split(",")) {
      if (!p.isBlank()) {
        pids.add(Long.parseLong(p.strip()));
      }
    }
    String runId = o.getOrDefault("run-id", UUID.randomUUID().toString().substring(0, 8));
    if (!runId.matches("[A-Za-z0-9_.-]{1,16}")) {
      throw new IllegalArgumentException("--run-id must be 1 to 16 of [A-Za-z0-9_.-]");
    }
    return new LoadConfig(List.copyOf(urls), o.getOrDefault("label", "run"), runId, clients, rooms, roomSize,
        idle ? 0 : rate, idle ? 0 : window, maxPending, integer(o, "message-size", 100, 1, 4000),
        number(o, "ramp-up", 5, 0, 3600), idle ? 0 : number(o, "warmup", 5, 0, 3600),
        number(o, "duration", 30, 0, 86_400), idle ? 0 : number(o, "drain", 30, 0, 3600), loops, idle,
        number(o, "settle", 5, 0, 600), List.copyOf(pids), integer(o, "rest-concurrency", 32, 1, 1024),
        integer(o, "connect-concurrency", 200, 1, 10_000), !o.containsKey("no-reconnect"),
        o.containsKey("browser-headers"), o.get("profile"),
        o.get("out"));
  }

  /** Closed loop: clients send as fast as their acks come back. */
  public boolean closedLoop() {
    return window > 0;
  }

  private static int integer(Map<String, String> o, String name, int fallback, int min, int max) {
    String v = o.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new IllegalArgumentException("--" + name + " must be an integer from " + min + " to " + max);
  }

  private static double number(Map<String, String> o, String name, double fallback, double min, double max) {
    String v = o.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      double n = Double.parseDouble(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new IllegalArgumentException("--" + name + " must be a number from " + min + " to " + max);
  }
}
