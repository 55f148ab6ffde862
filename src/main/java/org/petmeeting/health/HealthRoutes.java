package org.petmeeting.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.petmeeting.Services;
import org.petmeeting.http.RestApi;

/**
 * Liveness (the process answers), readiness (the primary database and Redis answer now) and the
 * Prometheus scrape. Readiness runs real round trips so a node cut off from its stores leaves the
 * load balancer instead of acking nothing.
 */
public final class HealthRoutes implements RestApi {
  private static final long CHECK_TIMEOUT_MS = 2000;
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private final Services services;
  private volatile boolean draining;

  public HealthRoutes(Services services) {
    this.services = services;
  }

  /** After this, readiness answers 503 so that no new clients are sent here. */
  public void drain() {
    draining = true;
  }

  @Override
  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      Future<String> db = services.db().primary().query("SELECT 1").execute()
          .map("UP").timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).otherwise(Throwable::getMessage);
      Future<String> redis = services.redis().api().ping(java.util.List.of())
          .map("UP").timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).otherwise(Throwable::getMessage);
      Future.join(db, redis).onComplete(ignored -> {
        boolean up = !draining && "UP".equals(db.result()) && "UP".equals(redis.result());
        JsonObject body = new JsonObject()
            .put("status", up ? "UP" : "DOWN")
            .put("node", services.nodeId())
            .put("checks", new JsonObject()
                .put("database", String.valueOf(db.result()))
                .put("redis", String.valueOf(redis.result()))
                .put("replicaReads", services.db().replicaAwareReads().replicaUsable() ? "replica" : "primary")
                .put("draining", draining));
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
      });
    });
    // Rendered on a worker thread: a scrape walks every meter and histogram (tens of ms, much
    // more while cold), which on the event loop stalled a quarter of the node's connections at
    // each scrape (docs/benchmarks.md).
    router.get("/metrics").handler(ctx -> services.vertx().executeBlocking(() -> services.registry().scrape(), false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text))
        .onFailure(ctx::fail));
  }
}
