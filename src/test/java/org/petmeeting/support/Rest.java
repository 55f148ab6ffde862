package org.petmeeting.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Small REST calls with a bearer token for tests. */
public final class Rest {
  private final TestServer server;

  public Rest(TestServer server) {
    this.server = server;
  }

  public HttpResponse<String> call(String method, String path, String token, Object body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body instanceof JsonObject j ? j.encode() : body.toString()))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return TestServer.send(b.build());
  }

  public JsonObject ok(String method, String path, String token, Object body) {
    HttpResponse<String> r = call(method, path, token, body);
    if (r.statusCode() >= 300) {
      throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  public long directRoom(String token, long otherUser) {
    return ok("POST", "/api/v1/rooms/direct", token, new JsonObject().put("userId", otherUser)).getLong("id");
  }

  public long groupRoom(String token, String name, long... members) {
    io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray();
    for (long m : members) {
      ids.add(m);
    }
    return ok("POST", "/api/v1/rooms", token, new JsonObject().put("name", name).put("memberIds", ids)).getLong("id");
  }
}
