package org.petmeeting.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.petmeeting.App;

/**
 * A whole server started in-process against the local environment, with a small HTTP client.
 * Either started for one test with {@link #start} (and closed by it), or shared by a test class:
 * {@code @RegisterExtension static final TestServer server = TestServer.perClass();} starts it
 * before the class's {@code @BeforeAll} methods and stops it after its {@code @AfterAll} methods.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  // HTTP/1.1: the default would try an h2c upgrade and keep an HTTP/2 connection per host:port,
  // which a later test server on a recycled port must never inherit.
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, String> overrides;
  private App app;
  // The class whose callbacks started it: @Nested classes share it and must not stop it.
  private String startedFor;

  private TestServer(Map<String, String> overrides) {
    this.overrides = overrides;
  }

  /** A server running now, with {@code overrides} (PM_* names of the README) on the test settings. */
  public static TestServer start(Map<String, String> overrides) {
    TestServer server = new TestServer(overrides);
    server.open();
    return server;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  /** A server for a test class, to register in a static {@code @RegisterExtension} field. */
  public static TestServer perClass(Map<String, String> overrides) {
    return new TestServer(overrides);
  }

  public static TestServer perClass() {
    return perClass(Map.of());
  }

  private void open() {
    app = Await.result(App.start(TestEnv.config(overrides)), Duration.ofSeconds(120));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (app == null) {
      open();
      startedFor = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (app != null && context.getUniqueId().equals(startedFor)) {
      close();
    }
  }

  public App app() {
    if (app == null) {
      throw new IllegalStateException("the test server is not running (a perClass one goes in a static"
          + " @RegisterExtension field)");
    }
    return app;
  }

  public int port() {
    return app().httpPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
  }

  public HttpResponse<String> get(String path, String token) {
    return request("GET", path, token, null);
  }

  public HttpResponse<String> post(String path, String token, String json) {
    return request("POST", path, token, json);
  }

  public HttpResponse<String> patch(String path, String token, String json) {
    return request("PATCH", path, token, json);
  }

  public HttpResponse<String> delete(String path, String token) {
    return request("DELETE", path, token, null);
  }

  /** A request with an optional bearer token (null: none) and an optional JSON body (null: none). */
  public HttpResponse<String> request(String method, String path, String token, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  public static HttpResponse<String> send(HttpRequest request) {
    if (request.timeout().isEmpty()) {
      request = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(30)).build();
    }
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + request, e);
    }
  }

  @Override
  public void close() {
    App running = app();
    app = null;
    Await.result(running.stop());
  }
}
