package org.petmeeting.config;

import java.util.List;

/** The whole configuration, bound from {@code conf/application.yaml} plus environment overrides. */
public record AppConfig(Http http, Db db, RedisSettings redis, Auth auth, Chat chat, Limits limits, Cluster cluster) {

  public record Http(String host, int port, int gatewayInstances, List<String> allowedOrigins, int maxBodyBytes,
                     long shutdownGraceMs) {}

  public record Db(Database primary, Database replica, boolean migrate) {
    /** The replica pool is optional: without a host, reads use the primary. */
    public boolean hasReplica() {
      return replica.host() != null && !replica.host().isBlank();
    }
  }

  public record Database(String host, int port, String database, String user, String password, int poolSize,
                         Integer maxLagSeconds, Long checkIntervalMs) {}

  public record RedisSettings(String topology, List<String> endpoints, String masterName, String password,
                              int poolSize, boolean expectAof, int waitReplicas, long waitTimeoutMs) {}

  public record Auth(String jwtSecret, String jwtIssuer, long tokenTtlSeconds, int bcryptCost,
                     int loginAttemptsPerMinute) {}

  public record Chat(int roomLogMaxLen, int persistPartitions, int persistBatchSize, long persistClaimIdleMs,
                     long persistBlockMs, int membershipCacheSeconds, long headCheckIntervalMs,
                     long gapRepairDelayMs, int presenceTtlSeconds, int sendBatchMax, int sendBatchesInFlight,
                     long maxPersistBacklog) {}

  public record Limits(int maxFrameBytes, int maxTextChars, int maxMetaBytes, int sendRatePerSecond, int sendBurst,
                       int requestRatePerSecond, int requestBurst, int maxInFlight, int floodStrikes, int maxSyncLimit, int defaultSyncLimit, int outboundQueueBytes,
                       int badFramesPerMinute, long authTimeoutMs, int pingIntervalSec, int pingTimeoutSec,
                       long typingIntervalMs) {}

  public record Cluster(boolean enabled, List<String> members, int port, String host, String kubernetesService) {}
}
