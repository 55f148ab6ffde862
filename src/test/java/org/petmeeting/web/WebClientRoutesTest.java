package org.petmeeting.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.WsClient;

/** The web client is served at / without taking anything from the API, health, metrics or /ws. */
class WebClientRoutesTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void theIndexPageIsServedAtTheRootWithRevalidationAndASecurityPolicy() {
    HttpResponse<String> r = server.get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(r.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(r.headers().firstValue("Last-Modified")).isPresent();
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'self'"));
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(server.get("/index.html").body()).isEqualTo(r.body());
  }

  @Test
  void anUnchangedFileIsA304() {
    String lastModified = server.get("/js/chat-connection.js").headers().firstValue("Last-Modified").orElseThrow();
    HttpResponse<String> r = TestServer.send(HttpRequest.newBuilder(URI.create(server.url("/js/chat-connection.js")))
        .header("If-Modified-Since", lastModified).GET().build());
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void modulesAndStylesHaveTheirTypes() {
    for (String path : new String[] {"/js/app.js", "/js/api.js", "/js/chat-connection.js"}) {
      HttpResponse<String> r = server.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    }
    HttpResponse<String> css = server.get("/css/app.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
  }

  @Test
  void unknownApiPathsStillGetProblemJson404() {
    for (String method : new String[] {"GET", "POST"}) {
      HttpResponse<String> r = server.request(method, "/api/v1/nothing", null, method.equals("POST") ? "{}" : null);
      assertThat(r.statusCode()).as(method).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).as(method).hasValue("application/problem+json");
      assertThat(r.body()).contains("no such resource: /api/v1/nothing");
      assertThat(r.headers().firstValue("Cache-Control")).isEmpty();
    }
  }

  @Test
  void unknownFilesAre404AndDirectoriesAreNotListed() {
    assertThat(server.get("/nothing.html").statusCode()).isEqualTo(404);
    assertThat(server.get("/js/").statusCode()).isEqualTo(404);
    assertThat(server.get("/../pom.xml").statusCode()).isIn(400, 404);
  }

  @Test
  void healthMetricsAndTheApiDocumentAreUntouched() {
    assertThat(server.get("/health/live").body()).contains("\"UP\"");
    assertThat(server.get("/metrics").body()).contains("# TYPE");
    assertThat(server.get("/api/v1/openapi.yaml").body()).startsWith("openapi:");
    assertThat(server.get("/api/v1/me").statusCode()).isEqualTo(401);
  }

  @Test
  void thePageItsOwnOriginCanOpenTheWebSocket() {
    try (WsClient ws = WsClient.connect(server.port(), null, "http://127.0.0.1:" + server.port())) {
      assertThat(ws.request(new JsonObject().put("type", "ping")).getString("type")).isEqualTo("pong");
    }
  }
}
