package org.petmeeting.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Range and consistency checks; each problem names the setting and its environment variable. */
final class ConfigValidator {
  private static final Set<String> TOPOLOGIES = Set.of("standalone", "replica", "sentinel");

  private final List<String> problems = new ArrayList<>();

  private ConfigValidator() {}

  static List<String> problems(AppConfig c) {
    ConfigValidator v = new ConfigValidator();
    v.check(c);
    return v.problems;
  }

  private void check(AppConfig c) {
    range("http.port", c.http().port(), 0, 65535);
    range("http.gatewayInstances", c.http().gatewayInstances(), 0, 64);
    range("http.maxBodyBytes", c.http().maxBodyBytes(), 1024, 16 * 1024 * 1024);
    range("http.shutdownGraceMs", c.http().shutdownGraceMs(), 0, 600_000);
    for (String origin : c.http().allowedOrigins()) {
      if (!origin.matches("https?://[^/\\s]+")) {
        problem("http.allowedOrigins", "'" + origin + "' is not an origin like https://example.org");
      }
    }
    database("db.primary", c.db().primary());
    if (c.db().hasReplica()) {
      database("db.replica", c.db().replica());
    }
    range("db.replica.maxLagSeconds", orZero(c.db().replica().maxLagSeconds()), 0, 86_400);
    range("db.replica.checkIntervalMs", c.db().replica().checkIntervalMs() == null ? 0 : c.db().replica().checkIntervalMs(), 100, 600_000);

    var r = c.redis();
    if (!TOPOLOGIES.contains(r.topology())) {
      problem("redis.topology", "must be one of " + TOPOLOGIES + ", got '" + r.topology() + "'");
    }
    if (r.endpoints().isEmpty()) {
      problem("redis.endpoints", "needs at least one redis://host:port");
    }
    for (String e : r.endpoints()) {
      if (!e.matches("rediss?://.+")) {
        problem("redis.endpoints", "'" + e + "' is not a redis:// URL");
      }
    }
    if ("sentinel".equals(r.topology()) && (r.masterName() == null || r.masterName().isBlank())) {
      problem("redis.masterName", "is required with the sentinel topology");
    }
    range("redis.poolSize", r.poolSize(), 1, 1024);
    range("redis.waitReplicas", r.waitReplicas(), 0, 16);
    range("redis.waitTimeoutMs", r.waitTimeoutMs(), 1, 60_000);

    var a = c.auth();
    if (!a.jwtSecret().isEmpty() && a.jwtSecret().length() < 32) {
      problem("auth.jwtSecret", "must be at least 32 characters (or empty for a random one per process)");
    }
    if (a.jwtSecret().isEmpty() && c.cluster().enabled()) {
      problem("auth.jwtSecret", "is required in cluster mode: every node must verify every node's tokens");
    }
    range("auth.tokenTtlSeconds", a.tokenTtlSeconds(), 60, 30L * 86_400);
    range("auth.bcryptCost", a.bcryptCost(), 4, 31);
    range("auth.loginAttemptsPerMinute", a.loginAttemptsPerMinute(), 1, 10_000);

    var ch = c.chat();
    range("chat.roomLogMaxLen", ch.roomLogMaxLen(), 10, 1_000_000);
    range("chat.persistPartitions", ch.persistPartitions(), 1, 256);
    range("chat.persistBatchSize", ch.persistBatchSize(), 1, 5000);
    range("chat.persistClaimIdleMs", ch.persistClaimIdleMs(), 100, 3_600_000);
    range("chat.persistBlockMs", ch.persistBlockMs(), 10, 60_000);
    range("chat.membershipCacheSeconds", ch.membershipCacheSeconds(), 0, 86_400);
    range("chat.headCheckIntervalMs", ch.headCheckIntervalMs(), 50, 600_000);
    range("chat.gapRepairDelayMs", ch.gapRepairDelayMs(), 0, 60_000);
    range("chat.presenceTtlSeconds", ch.presenceTtlSeconds(), 3, 3600);
    range("chat.sendBatchMax", ch.sendBatchMax(), 1, 1000);
    range("chat.sendBatchesInFlight", ch.sendBatchesInFlight(), 1, 256);
    range("chat.maxPersistBacklog", ch.maxPersistBacklog(), 0, 1_000_000_000L);

    var l = c.limits();
    range("limits.maxFrameBytes", l.maxFrameBytes(), 1024, 16 * 1024 * 1024);
    // messages.text and .meta are TEXT columns (65,535 bytes; up to 4 bytes a character).
    range("limits.maxTextChars", l.maxTextChars(), 1, 16_000);
    range("limits.maxMetaBytes", l.maxMetaBytes(), 0, 60_000);
    range("limits.sendRatePerSecond", l.sendRatePerSecond(), 1, 1_000_000);
    range("limits.sendBurst", l.sendBurst(), 1, 1_000_000);
    range("limits.requestRatePerSecond", l.requestRatePerSecond(), 1, 1_000_000);
    range("limits.requestBurst", l.requestBurst(), 1, 1_000_000);
    range("limits.maxInFlight", l.maxInFlight(), 1, 100_000);
    range("limits.floodStrikes", l.floodStrikes(), 1, 1_000_000);
    range("limits.maxSyncLimit", l.maxSyncLimit(), 1, 10_000);
    range("limits.defaultSyncLimit", l.defaultSyncLimit(), 1, l.maxSyncLimit());
    range("limits.outboundQueueBytes", l.outboundQueueBytes(), 1024, 1 << 30);
    range("limits.badFramesPerMinute", l.badFramesPerMinute(), 0, 1_000_000);
    range("limits.authTimeoutMs", l.authTimeoutMs(), 100, 600_000);
    range("limits.pingIntervalSec", l.pingIntervalSec(), 1, 3600);
    range("limits.pingTimeoutSec", l.pingTimeoutSec(), l.pingIntervalSec() + 1, 7200);
    range("limits.typingIntervalMs", l.typingIntervalMs(), 0, 600_000);

    range("cluster.port", c.cluster().port(), 1, 65535);
  }

  private void database(String path, AppConfig.Database d) {
    if (d.host() == null || d.host().isBlank()) {
      problem(path + ".host", "is required");
    }
    range(path + ".port", d.port(), 1, 65535);
    if (d.database() == null || !d.database().matches("[A-Za-z0-9_]{1,64}")) {
      problem(path + ".database", "must be 1 to 64 letters, digits or underscores, got '" + d.database() + "'");
    }
    if (d.user() == null || d.user().isBlank()) {
      problem(path + ".user", "is required");
    }
    range(path + ".poolSize", d.poolSize(), 1, 1000);
  }

  private static long orZero(Integer v) {
    return v == null ? 0 : v;
  }

  private void range(String path, long value, long min, long max) {
    if (value < min || value > max) {
      problem(path, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  private void problem(String path, String what) {
    problems.add(path + " (" + ConfigLoader.envName(path) + ") " + what);
  }
}
