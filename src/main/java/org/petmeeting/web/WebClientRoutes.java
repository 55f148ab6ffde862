package org.petmeeting.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.petmeeting.http.RestApi;

/**
 * Serves the small web client of {@code src/main/resources/webroot} (HTML, CSS and ES modules, no
 * build step) at {@code /}, with {@code index.html} as the page for {@code /}. Mount it after the
 * REST APIs: paths under {@code /api/} are left to them (and to the gateway's problem+json 404),
 * and {@code /ws} never reaches the router.
 *
 * <p>The files have no content hashes in their names, so browsers keep them but revalidate every
 * time ({@code Cache-Control: no-cache} with {@code Last-Modified}; an unchanged file costs a 304).
 * A deploy is therefore picked up on the next load. The page may load only its own scripts and
 * styles and talk only to its own origin (which includes its own {@code ws://} origin).
 */
public final class WebClientRoutes implements RestApi {
  static final String WEBROOT = "webroot";
  static final String CACHE_CONTROL = "no-cache";
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
      + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private final StaticHandler files = StaticHandler.create(WEBROOT)
      .setCachingEnabled(true)
      .setDirectoryListing(false)
      .setIncludeHidden(false)
      .setIndexPage("index.html");

  @Override
  public void mount(Router router) {
    // A route without a path is a route for "/*": every path. (Written this way because
    // OpenApiDocumentTest takes a route that has a path for a REST operation to be documented.)
    router.route().handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (path.startsWith("/api/")) {
      ctx.next();
      return;
    }
    ctx.addHeadersEndHandler(v -> {
      HttpServerResponse r = ctx.response();
      int status = r.getStatusCode();
      if (status == 200 || status == 206 || status == 304) {
        r.headers()
            .set("Cache-Control", CACHE_CONTROL)
            .set("X-Content-Type-Options", "nosniff")
            .set("Referrer-Policy", "no-referrer")
            .set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      }
    });
    files.handle(ctx);
  }
}
