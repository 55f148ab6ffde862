package org.petmeeting.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Route handlers built from an action that returns a future: its value is written as JSON with the
 * given status; a throw or a failed future goes to the failure handler ({@link Problems}).
 */
public final class Replies {
  private Replies() {}

  public static <T> Handler<RoutingContext> json(int status, Function<RoutingContext, Future<T>> action) {
    return ctx -> run(ctx, action).onSuccess(value -> send(ctx, status, value)).onFailure(ctx::fail);
  }

  /** 204 once the action succeeds. */
  public static Handler<RoutingContext> noContent(Function<RoutingContext, Future<Void>> action) {
    return ctx -> run(ctx, action).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  public static void send(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.write(body));
  }

  private static <T> Future<T> run(RoutingContext ctx, Function<RoutingContext, Future<T>> action) {
    try {
      return action.apply(ctx);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
