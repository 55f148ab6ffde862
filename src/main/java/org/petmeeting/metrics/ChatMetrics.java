package org.petmeeting.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The application's own meters, next to the ones Vert.x records (HTTP, pools, event bus, JVM). */
public final class ChatMetrics {
  public final AtomicInteger connections = new AtomicInteger();
  /** Entries in the persist streams not yet committed to MySQL (measured every second by the router). */
  public final java.util.concurrent.atomic.AtomicLong persistBacklog = new java.util.concurrent.atomic.AtomicLong();
  public final Counter messagesIn;
  public final Counter messagesOut;
  public final Counter duplicateSends;
  public final Counter backlogRefusals;
  public final Counter badFrames;
  public final Counter rateLimited;
  public final Counter slowConsumers;
  public final Counter gapRepairs;
  public final Counter persisted;
  public final Counter persistFailures;
  public final Counter persistConflicts;
  public final Counter persistDropped;
  public final Timer sendToAck;
  public final Timer sendToDeliver;
  public final DistributionSummary persistBatch;
  public final DistributionSummary sendBatchSize;
  private final MeterRegistry registry;

  public ChatMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("pm_ws_connections", connections);
    registry.gauge("pm_persist_backlog", persistBacklog);
    messagesIn = Counter.builder("pm_messages_in").description("messages accepted from clients").register(registry);
    messagesOut = Counter.builder("pm_messages_out").description("message frames written to clients").register(registry);
    duplicateSends = Counter.builder("pm_sends_duplicate").description("sends answered from the cid record").register(registry);
    backlogRefusals = Counter.builder("pm_sends_refused_backlog")
        .description("sends refused because chat.maxPersistBacklog messages wait for MariaDB").register(registry);
    badFrames = Counter.builder("pm_ws_bad_frames").description("frames refused as bad_request").register(registry);
    rateLimited = Counter.builder("pm_ws_rate_limited").description("sends refused by the rate limit").register(registry);
    slowConsumers = Counter.builder("pm_ws_slow_consumers").description("connections closed as slow consumers").register(registry);
    gapRepairs = Counter.builder("pm_delivery_gap_repairs").description("gaps filled from the room log").register(registry);
    persisted = Counter.builder("pm_persist_rows").description("message rows written to MySQL").register(registry);
    persistDropped = Counter.builder("pm_persist_dropped")
        .description("messages of rooms deleted before they were stored").register(registry);
    persistConflicts = Counter.builder("pm_persist_conflicts")
        .description("messages whose (room, seq) MySQL already held with another message").register(registry);
    persistFailures = Counter.builder("pm_persist_failures").description("persist batches that failed and will be retried").register(registry);
    sendToAck = Timer.builder("pm_send_to_ack").description("from frame received to ack written")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    sendToDeliver = Timer.builder("pm_send_to_deliver").description("from frame received to message written to a recipient on the same node")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    persistBatch = DistributionSummary.builder("pm_persist_batch_rows").description("rows per persist batch").register(registry);
    sendBatchSize = DistributionSummary.builder("pm_send_batch_messages")
        .description("messages per append batch (one script run and one WAIT at Redis)").register(registry);
  }

  /** How far behind the MySQL replica is, in ms (-1 when unknown or unreachable). */
  public void replicaLag(java.util.function.LongSupplier lagMs) {
    io.micrometer.core.instrument.Gauge.builder("pm_db_replica_lag_ms", lagMs::getAsLong)
        .description("replica lag at the last check; -1 when unknown").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }
}
