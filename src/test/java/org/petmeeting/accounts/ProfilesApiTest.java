package org.petmeeting.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.petmeeting.support.ProblemAssertions.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.petmeeting.support.ApiUsers;
import org.petmeeting.support.TestServer;

class ProfilesApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void meIsTheCallersOwnProfile() {
    ApiUsers.Member m = ApiUsers.signUp(server, "me");
    HttpResponse<String> r = server.get("/api/v1/me", m.token());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject me = new JsonObject(r.body());
    assertThat(me.getLong("id")).isEqualTo(m.id());
    assertThat(me.getString("username")).isEqualTo(m.username());
    assertThat(me.getString("name")).isEqualTo(m.name());
  }

  @Test
  void patchChangesOnlyTheFieldsSentAndNullClearsOne() {
    ApiUsers.Member m = ApiUsers.signUp(server, "patcher");
    HttpResponse<String> first = server.patch("/api/v1/me", m.token(), new JsonObject()
        .put("displayName", "  Patty  ").put("city", "Lyon").put("bio", "Cats.\nMostly cats.")
        .put("avatarUrl", "https://img.example/p.png").encode());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(new JsonObject(first.body())).isEqualTo(new JsonObject()
        .put("id", m.id()).put("username", m.username()).put("name", "Patty").put("city", "Lyon")
        .put("bio", "Cats.\nMostly cats.").put("avatarUrl", "https://img.example/p.png"));

    HttpResponse<String> second = server.patch("/api/v1/me", m.token(),
        new JsonObject().putNull("city").put("bio", "Dogs too.").encode());
    assertThat(second.statusCode()).isEqualTo(200);
    JsonObject after = new JsonObject(server.get("/api/v1/me", m.token()).body());
    assertThat(after.getString("name")).isEqualTo("Patty");
    assertThat(after.containsKey("city")).isFalse();
    assertThat(after.getString("bio")).isEqualTo("Dogs too.");
    assertThat(after.getString("avatarUrl")).isEqualTo("https://img.example/p.png");
  }

  static Stream<Arguments> invalidChanges() {
    return Stream.of(
        Arguments.of(new JsonObject().put("displayName", ""), "displayName must not be empty"),
        Arguments.of(new JsonObject().putNull("displayName"), "displayName is required"),
        Arguments.of(new JsonObject().put("displayName", "d".repeat(65)), "displayName must be at most 64"),
        Arguments.of(new JsonObject().put("city", "c".repeat(65)), "city must be at most 64"),
        Arguments.of(new JsonObject().put("city", "Line\nbreak"), "city must not contain control characters"),
        Arguments.of(new JsonObject().put("bio", "b".repeat(1001)), "bio must be at most 1000"),
        Arguments.of(new JsonObject().put("avatarUrl", "not a url"), "avatarUrl must be an absolute http or https URL"),
        Arguments.of(new JsonObject().put("avatarUrl", "javascript:alert(1)"), "avatarUrl must be an absolute http"),
        Arguments.of(new JsonObject().put("avatarUrl", "https://x.example/" + "a".repeat(500)), "avatarUrl must be at most 500"),
        Arguments.of(new JsonObject().put("city", new JsonArray().add("x")), "city must be a string"));
  }

  @ParameterizedTest
  @MethodSource("invalidChanges")
  void patchNamesTheInvalidField(JsonObject change, String detail) {
    ApiUsers.Member m = ApiUsers.signUp(server, "invalid");
    assertProblem(server.patch("/api/v1/me", m.token(), change.encode()), 400, detail);
  }

  @Test
  void aPublicProfileShowsTheUserAndTheirPets() {
    ApiUsers.Member owner = ApiUsers.signUp(server, "owner");
    ApiUsers.Member visitor = ApiUsers.signUp(server, "visitor");
    server.patch("/api/v1/me", owner.token(), new JsonObject().put("city", "Nantes").encode());
    long rex = new JsonObject(server.post("/api/v1/pets", owner.token(),
        new JsonObject().put("name", "Rex").put("species", "dog").encode()).body()).getLong("id");

    HttpResponse<String> r = server.get("/api/v1/users/" + owner.id(), visitor.token());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject profile = new JsonObject(r.body());
    assertThat(profile.getLong("id")).isEqualTo(owner.id());
    assertThat(profile.getString("name")).isEqualTo(owner.name());
    assertThat(profile.getString("city")).isEqualTo("Nantes");
    JsonArray pets = profile.getJsonArray("pets");
    assertThat(pets).hasSize(1);
    assertThat(pets.getJsonObject(0).getLong("id")).isEqualTo(rex);
    assertThat(pets.getJsonObject(0).getString("name")).isEqualTo("Rex");
  }

  @Test
  void anUnknownUserIsNotFoundAndABadIdIsABadRequest() {
    ApiUsers.Member m = ApiUsers.signUp(server, "looker");
    assertProblem(server.get("/api/v1/users/999999999999", m.token()), 404, "no user 999999999999");
    assertProblem(server.get("/api/v1/users/abc", m.token()), 400, "id in the path must be a positive integer");
  }

  @Test
  void profilesNeedAToken() {
    assertProblem(server.get("/api/v1/users/1", null), 401, "token");
    assertProblem(server.patch("/api/v1/me", null, "{}"), 401, "token");
  }
}
