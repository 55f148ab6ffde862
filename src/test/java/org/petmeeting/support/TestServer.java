package org.petmeeting.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.petmeeting.App;
import org.petmeeting.config.AppConfig;

/** A whole server started in-process against the local environment, with a small HTTP client. */
public final class TestServer implements AutoCloseable {
  // HTTP/1.1: the default would try an h2c upgrade and keep an HTTP/2 connection per host:port,
  // which a later test server on a recycled port must never inherit.
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final App app;

  private TestServer(App app) {
    this.app = app;
  }

  public static TestServer start(Map<String, String> overrides) {
    AppConfig config = TestEnv.config(overrides);
    return new TestServer(Await.result(App.start(config), Duration.ofSeconds(120)));
  }

  public static TestServer start() {
    return start(Map.of());
  }

  public App app() {
    return app;
  }

  public int port() {
    return app.httpPort();
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
    Await.result(app.stop());
  }
}
