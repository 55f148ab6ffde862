package org.petmeeting.pets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.petmeeting.support.ProblemAssertions.assertProblem;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Year;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.petmeeting.support.ApiUsers;
import org.petmeeting.support.TestServer;

class PetsApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static ApiUsers.Member owner;
  private static ApiUsers.Member stranger;

  @BeforeAll
  static void ownerAndStranger() {
    owner = ApiUsers.signUp(server, "petowner");
    stranger = ApiUsers.signUp(server, "stranger");
  }

  private static JsonObject luna() {
    return new JsonObject().put("name", "Luna").put("species", "cat").put("breed", "Siamese").put("birthYear", 2019)
        .put("gender", "female").put("description", "Shy at first.\nLoves tuna.")
        .put("photoUrl", "https://img.example/luna.jpg");
  }

  private static long create(JsonObject pet) {
    HttpResponse<String> r = server.post("/api/v1/pets", owner.token(), pet.encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getLong("id");
  }

  @Test
  void anOwnerCreatesReadsChangesAndDeletesAPet() {
    HttpResponse<String> created = server.post("/api/v1/pets", owner.token(), luna().encode());
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject pet = new JsonObject(created.body());
    long id = pet.getLong("id");
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/pets/" + id);
    assertThat(pet).isEqualTo(luna().put("id", id).put("ownerId", owner.id()));

    assertThat(new JsonObject(server.get("/api/v1/pets/" + id, stranger.token()).body())).isEqualTo(pet);

    HttpResponse<String> changed = server.patch("/api/v1/pets/" + id, owner.token(),
        new JsonObject().put("name", "Luna II").putNull("breed").encode());
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    JsonObject expected = pet.copy().put("name", "Luna II");
    expected.remove("breed");
    assertThat(new JsonObject(changed.body())).isEqualTo(expected);
    assertThat(new JsonObject(server.get("/api/v1/pets/" + id, owner.token()).body())).isEqualTo(expected);

    HttpResponse<String> deleted = server.delete("/api/v1/pets/" + id, owner.token());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertProblem(server.get("/api/v1/pets/" + id, owner.token()), 404, "no pet " + id);
  }

  @Test
  void onlyTheNameAndSpeciesAreRequired() {
    HttpResponse<String> r = server.post("/api/v1/pets", owner.token(),
        new JsonObject().put("name", "Bo").put("species", "rodent").encode());
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(r.body()).fieldNames()).containsExactlyInAnyOrder("id", "ownerId", "name", "species");
  }

  static Stream<Arguments> invalidPets() {
    int nextYear = Year.now().getValue() + 2;
    return Stream.of(
        Arguments.of(luna().put("name", (String) null), "name is required"),
        Arguments.of(luna().put("name", " "), "name must not be empty"),
        Arguments.of(luna().put("name", "n".repeat(65)), "name must be at most 64"),
        Arguments.of(luna().put("species", "dragon"), "species must be one of dog, cat, bird"),
        Arguments.of(luna().put("species", (String) null), "species is required"),
        Arguments.of(luna().put("breed", "b".repeat(65)), "breed must be at most 64"),
        Arguments.of(luna().put("birthYear", 1979), "birthYear must be between 1980 and"),
        Arguments.of(luna().put("birthYear", nextYear), "birthYear must be between 1980 and"),
        Arguments.of(luna().put("birthYear", "old"), "birthYear must be a whole number"),
        Arguments.of(luna().put("gender", "x"), "gender must be one of male, female, unknown"),
        Arguments.of(luna().put("description", "d".repeat(2001)), "description must be at most 2000"),
        Arguments.of(luna().put("photoUrl", "ftp://img.example/a.jpg"), "photoUrl must be an absolute http or https URL"),
        Arguments.of(luna().put("photoUrl", "https://img.example/" + "a".repeat(500)), "photoUrl must be at most 500"));
  }

  @ParameterizedTest
  @MethodSource("invalidPets")
  void aPetWithAnInvalidFieldIsRefusedNamingIt(JsonObject pet, String detail) {
    assertProblem(server.post("/api/v1/pets", owner.token(), pet.encode()), 400, detail);
  }

  @Test
  void aPatchIsValidatedLikeACreate() {
    long id = create(luna());
    assertProblem(server.patch("/api/v1/pets/" + id, owner.token(), new JsonObject().put("species", "unicorn").encode()),
        400, "species must be one of");
    assertProblem(server.patch("/api/v1/pets/" + id, owner.token(), new JsonObject().putNull("name").encode()),
        400, "name is required");
  }

  @Test
  void anotherUserMayReadButNotChangeOrDeleteAPet() {
    long id = create(luna());
    assertThat(server.get("/api/v1/pets/" + id, stranger.token()).statusCode()).isEqualTo(200);
    assertProblem(server.patch("/api/v1/pets/" + id, stranger.token(), new JsonObject().put("name", "Mine").encode()),
        403, "only the owner");
    assertProblem(server.delete("/api/v1/pets/" + id, stranger.token()), 403, "only the owner");
    assertThat(new JsonObject(server.get("/api/v1/pets/" + id, owner.token()).body()).getString("name")).isEqualTo("Luna");
  }

  @Test
  void aMissingPetIsNotFoundForEveryMethod() {
    String path = "/api/v1/pets/999999999999";
    assertProblem(server.get(path, owner.token()), 404, "no pet");
    assertProblem(server.patch(path, owner.token(), new JsonObject().put("name", "x").encode()), 404, "no pet");
    assertProblem(server.delete(path, owner.token()), 404, "no pet");
  }

  @Test
  void petsNeedAToken() {
    assertProblem(server.post("/api/v1/pets", null, luna().encode()), 401, "token");
    assertProblem(server.get("/api/v1/pets/1", null), 401, "token");
  }
}
