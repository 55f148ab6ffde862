package org.petmeeting;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.petmeeting.accounts.Tokens;
import org.petmeeting.chat.Chat;
import org.petmeeting.config.AppConfig;
import org.petmeeting.db.Databases;
import org.petmeeting.metrics.ChatMetrics;
import org.petmeeting.redis.RedisClients;

/**
 * What every verticle of one process shares: configuration, pools, clients and meters. Pools and
 * clients are safe to use from any event loop; results come back on the caller's context.
 */
public record Services(
    Vertx vertx,
    String nodeId,
    AppConfig config,
    Databases db,
    RedisClients redis,
    Tokens tokens,
    PrometheusMeterRegistry registry,
    ChatMetrics metrics,
    Chat chat) {}
