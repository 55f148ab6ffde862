package org.petmeeting.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every REST failure as application/problem+json with a clear detail. */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static void send(RoutingContext ctx, Problem problem) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (problem.retryAfterSeconds() != null) {
      ctx.response().putHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", "application/problem+json")
        .end(Json.write(problem));
  }

  /** The router's failure handler. */
  public static Handler<RoutingContext> handler() {
    return ctx -> {
      Throwable failure = ctx.failure();
      if (failure instanceof Problem.ProblemException p) {
        send(ctx, p.problem());
      } else if (failure instanceof JsonProcessingException || failure instanceof io.vertx.core.json.DecodeException) {
        send(ctx, Problem.badRequest("the body is not valid JSON of the expected shape").problem());
      } else if (failure instanceof HttpException h) {
        send(ctx, Problem.of(h.getStatusCode(), title(h.getStatusCode()), detail(h)).problem());
      } else if (failure == null) {
        int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
        // ctx.fail(status), e.g. BodyHandler's 413
        send(ctx, Problem.of(status, title(status), defaultDetail(status)).problem());
      } else {
        log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        send(ctx, Problem.of(500, "Internal Server Error", "an internal error occurred").problem());
      }
    };
  }

  private static String detail(HttpException h) {
    if (h.getPayload() != null) {
      return h.getPayload();
    }
    return defaultDetail(h.getStatusCode());
  }

  private static String defaultDetail(int status) {
    return switch (status) {
      case 413 -> "the request body is larger than the limit";
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      default -> title(status);
    };
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
