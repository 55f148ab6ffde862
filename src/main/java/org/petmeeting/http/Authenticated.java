package org.petmeeting.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.petmeeting.accounts.Tokens;

/** Requires a valid bearer token and puts its principal on the context. */
public final class Authenticated implements Handler<RoutingContext> {
  private static final String KEY = "pm.principal";
  private final Tokens tokens;

  public Authenticated(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    tokens.verify(token).ifPresentOrElse(principal -> {
      ctx.put(KEY, principal);
      ctx.next();
    }, () -> {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(Problem.unauthorized(token == null ? "an Authorization: Bearer token is required"
          : "the access token is invalid or expired"));
    });
  }

  public static Tokens.Principal principal(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
