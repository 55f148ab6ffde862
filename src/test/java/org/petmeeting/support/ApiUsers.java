package org.petmeeting.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.UUID;

/** Users made through the REST sign-up, as a client would, each with a unique name. */
public final class ApiUsers {
  private ApiUsers() {}

  public static final String PASSWORD = "correct horse battery";

  public record Member(long id, String username, String name, String token) {}

  /** A unique user name: {@code prefix} (at most 20 characters) and a random suffix. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  public static Member signUp(TestServer server, String prefix) {
    String username = uniqueName(prefix);
    HttpResponse<String> r = server.post("/api/v1/auth/signup", null,
        new JsonObject().put("username", username).put("password", PASSWORD).put("displayName", "User " + username)
            .encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject body = new JsonObject(r.body());
    JsonObject user = body.getJsonObject("user");
    return new Member(user.getLong("id"), username, user.getString("name"), body.getString("token"));
  }
}
