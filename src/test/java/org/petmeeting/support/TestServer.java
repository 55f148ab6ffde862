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
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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

  public static HttpResponse<String> send(HttpRequest request) {
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
