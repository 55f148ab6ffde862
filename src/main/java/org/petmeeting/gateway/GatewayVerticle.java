package org.petmeeting.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.petmeeting.Services;
import org.petmeeting.config.AppConfig;
import org.petmeeting.health.HealthRoutes;
import org.petmeeting.http.Problem;
import org.petmeeting.http.Problems;
import org.petmeeting.http.RestApi;

/**
 * The HTTP and WebSocket front door. One instance per event loop; they share the port. Each
 * instance owns the sessions it accepted and touches them only on its own event loop.
 */
public final class GatewayVerticle extends VerticleBase {
  private final Services services;
  private HttpServer server;
  private HealthRoutes health;

  public GatewayVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    AppConfig config = services.config();
    health = new HealthRoutes(services);
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes()));
    for (RestApi api : apis()) {
      api.mount(router);
    }
    router.route("/api/*").last().handler(ctx -> ctx.fail(Problem.notFound("no such resource: " + ctx.request().path())));
    router.route().failureHandler(Problems.handler());

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setMaxWebSocketFrameSize(config.limits().maxFrameBytes())
        .setMaxWebSocketMessageSize(config.limits().maxFrameBytes())
        .setCompressionSupported(true);
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen();
  }

  private List<RestApi> apis() {
    return List.of(health);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
