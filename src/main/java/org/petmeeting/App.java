package org.petmeeting;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.petmeeting.accounts.Tokens;
import org.petmeeting.chat.Chat;
import org.petmeeting.cluster.ClusterManagers;
import org.petmeeting.chat.ChatRouterVerticle;
import org.petmeeting.persistence.PersistenceWorkerVerticle;
import org.petmeeting.config.AppConfig;
import org.petmeeting.db.Databases;
import org.petmeeting.db.Migrations;
import org.petmeeting.gateway.GatewayVerticle;
import org.petmeeting.metrics.ChatMetrics;
import org.petmeeting.redis.RedisClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server process: builds Vert.x, migrates the schema, creates the shared pools and clients,
 * and deploys the verticles. {@link Main} runs it; tests start it in-process.
 */
public final class App {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Services services;
  private final List<String> deployments = new ArrayList<>();
  private final java.util.Map<Class<?>, String> deploymentIds = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private long heartbeatTimer = -1;

  private App(Services services) {
    this.services = services;
  }

  public Services services() {
    return services;
  }

  public int httpPort() {
    return services.config().http().port();
  }

  /** Starts a server with this configuration; fails if any dependency does not answer. */
  public static Future<App> start(AppConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    Future<Vertx> built;
    if (config.cluster().enabled()) {
      if (!config.cluster().host().isBlank()) {
        options.getEventBusOptions().setHost(config.cluster().host());
      }
      built = builder.withClusterManager(ClusterManagers.create(config.cluster())).buildClustered();
    } else {
      built = Future.succeededFuture(builder.build());
    }
    return built.compose(vertx -> start(vertx, config, registry)
        .recover(err -> vertx.close().transform(ignored -> Future.failedFuture(err))));
  }

  static Future<App> start(Vertx vertx, AppConfig config, PrometheusMeterRegistry registry) {
    String nodeId = UUID.randomUUID().toString().substring(0, 8);
    Future<Integer> migrated = config.db().migrate()
        ? Migrations.run(vertx, config.db().primary())
        : Future.succeededFuture(0);
    return migrated.compose(ignored -> {
      Databases db = Databases.create(vertx, config.db());
      RedisClients redis = new RedisClients(vertx, config.redis());
      Services services = new Services(vertx, nodeId, config, db, redis, new Tokens(config.auth()), registry,
          new ChatMetrics(registry), Chat.create(vertx, nodeId, config, db, redis));
      services.metrics().replicaLag(() -> db.replicaAwareReads().lagMs());
      App app = new App(services);
      return redis.checkDurability()
          .compose(v -> db.start())
          .compose(v -> app.deployAll())
          .map(app);
    });
  }

  private Future<Void> deployAll() {
    int instances = services.config().http().gatewayInstances();
    if (instances == 0) {
      instances = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    }
    int gateways = instances;
    // Order matters: the router and the workers are up before the gateway takes its first client.
    return deploy(ChatRouterVerticle.class, () -> new ChatRouterVerticle(services), new DeploymentOptions())
        // On a worker thread of its own: building and checking a batch of hundreds of rows takes
        // milliseconds that would otherwise stall the connections of the gateway sharing its loop.
        // Its own pool, too: password hashing and metric scrapes on the shared one cannot delay it.
        .compose(v -> deploy(PersistenceWorkerVerticle.class, () -> new PersistenceWorkerVerticle(services),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName("pm-persistence")
                .setWorkerPoolSize(1)))
        .compose(v -> services.chat().presence().heartbeat())
        .compose(v -> deploy(GatewayVerticle.class, () -> new GatewayVerticle(services), new DeploymentOptions().setInstances(gateways)))
        .onSuccess(v -> {
          heartbeatTimer = services.chat().presence().startHeartbeats(services.vertx());
          log.info("node {} serving HTTP and WebSocket on port {}", services.nodeId(), httpPort());
        });
  }

  private Future<Void> deploy(Class<?> type, java.util.function.Supplier<io.vertx.core.Deployable> verticle,
                              DeploymentOptions options) {
    return services.vertx().deployVerticle(verticle, options).onSuccess(id -> {
      deployments.add(id);
      deploymentIds.put(type, id);
    }).mapEmpty();
  }

  /** The deployment of a verticle class, so tests can stop one part (a worker) and keep the rest. */
  public String deploymentId(Class<?> verticle) {
    return deploymentIds.get(verticle);
  }

  /** Stops taking work, undeploys in reverse order, closes pools and Vert.x. Idempotent. */
  public Future<Void> stop() {
    if (!stopping.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Vertx vertx = services.vertx();
    vertx.cancelTimer(heartbeatTimer);
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).recover(err -> Future.succeededFuture()));
    }
    return chain
        .compose(v -> services.chat().presence().leave().recover(err -> Future.succeededFuture()))
        .compose(v -> services.db().close().recover(err -> Future.succeededFuture()))
        .compose(v -> services.redis().close().recover(err -> Future.succeededFuture()))
        .compose(v -> vertx.close());
  }
}
