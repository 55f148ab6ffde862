package org.petmeeting.sittings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.petmeeting.support.ProblemAssertions.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.petmeeting.support.ApiUsers;
import org.petmeeting.support.Await;
import org.petmeeting.support.TestServer;

class SittingsApiTest {
  private static final LocalDate TODAY = LocalDate.now();
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static ApiUsers.Member owner;
  private static ApiUsers.Member stranger;
  private static long dog;
  private static long cat;
  private static long strangersPet;

  @BeforeAll
  static void ownersAndPets() {
    owner = ApiUsers.signUp(server, "sitowner");
    stranger = ApiUsers.signUp(server, "sitstranger");
    dog = pet(owner, "Rex", "dog");
    cat = pet(owner, "Mia", "cat");
    strangersPet = pet(stranger, "Nemo", "fish");
  }

  static long pet(ApiUsers.Member member, String name, String species) {
    return petOf(server, member, name, species);
  }

  static long petOf(TestServer server, ApiUsers.Member member, String name, String species) {
    HttpResponse<String> r = server.post("/api/v1/pets", member.token(),
        new JsonObject().put("name", name).put("species", species).encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getLong("id");
  }

  /** A city no other test (or earlier run) uses, so that a filtered list holds only this test's sittings. */
  static String uniqueCity() {
    return "Town-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static JsonObject sitting(String city) {
    return new JsonObject().put("petIds", new JsonArray().add(dog).add(cat)).put("city", city)
        .put("startDate", TODAY.plusDays(10).toString()).put("endDate", TODAY.plusDays(14).toString())
        .put("reward", "A bottle of wine").put("housingTypes", new JsonArray().add("sitter_home").add("owner_home"))
        .put("text", "Two easy pets.\nThe cat hides.");
  }

  static JsonObject create(ApiUsers.Member member, JsonObject body) {
    HttpResponse<String> r = server.post("/api/v1/sittings", member.token(), body.encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  static List<Long> ids(HttpResponse<String> listResponse) {
    assertThat(listResponse.statusCode()).as(listResponse.body()).isEqualTo(200);
    return new JsonObject(listResponse.body()).getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  @Test
  void anOwnerPostsASittingForTheirPets() {
    String city = uniqueCity();
    HttpResponse<String> r = server.post("/api/v1/sittings", owner.token(), sitting(city).encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject s = new JsonObject(r.body());
    assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/sittings/" + s.getLong("id"));
    assertThat(s.getJsonObject("owner")).isEqualTo(new JsonObject().put("id", owner.id()).put("name", owner.name()));
    assertThat(s.getJsonArray("pets")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("id", dog).put("name", "Rex").put("species", "dog"))
        .add(new JsonObject().put("id", cat).put("name", "Mia").put("species", "cat")));
    assertThat(s.getString("city")).isEqualTo(city);
    assertThat(s.getString("startDate")).isEqualTo(TODAY.plusDays(10).toString());
    assertThat(s.getString("endDate")).isEqualTo(TODAY.plusDays(14).toString());
    assertThat(s.getString("reward")).isEqualTo("A bottle of wine");
    // Stored in the enum's order whatever order was sent.
    assertThat(s.getJsonArray("housingTypes")).isEqualTo(new JsonArray().add("owner_home").add("sitter_home"));
    assertThat(s.getString("text")).isEqualTo("Two easy pets.\nThe cat hides.");
    assertThat(s.getString("status")).isEqualTo("open");
    assertThat(s.getString("createdAt")).endsWith("Z");

    HttpResponse<String> read = server.get("/api/v1/sittings/" + s.getLong("id"), stranger.token());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(read.body())).isEqualTo(s);
  }

  static Stream<Arguments> invalidSittings() {
    String city = "Anywhere";
    return Stream.of(
        Arguments.of(sitting(city).put("petIds", new JsonArray()), "petIds must not be empty"),
        Arguments.of(sitting(city).putNull("petIds"), "petIds is required"),
        Arguments.of(sitting(city).put("petIds", "1"), "petIds must be a list"),
        Arguments.of(sitting(city).put("petIds", new JsonArray().addNull()), "petIds must not contain null"),
        Arguments.of(sitting(city).put("city", ""), "city must not be empty"),
        Arguments.of(sitting(city).put("city", "c".repeat(65)), "city must be at most 64"),
        Arguments.of(sitting(city).putNull("startDate"), "startDate is required"),
        Arguments.of(sitting(city).put("startDate", "2026-13-01"), "startDate must be a date (YYYY-MM-DD)"),
        Arguments.of(sitting(city).put("endDate", "tomorrow"), "endDate must be a date (YYYY-MM-DD)"),
        Arguments.of(sitting(city).put("startDate", TODAY.minusDays(2).toString()), "startDate must not be in the past"),
        Arguments.of(sitting(city).put("endDate", TODAY.plusDays(9).toString()), "endDate must not be before startDate"),
        Arguments.of(sitting(city).put("reward", "r".repeat(201)), "reward must be at most 200"),
        Arguments.of(sitting(city).put("housingTypes", new JsonArray()), "housingTypes must not be empty"),
        Arguments.of(sitting(city).put("housingTypes", new JsonArray().add("castle")),
            "housingTypes must be one of owner_home, sitter_home, either"),
        Arguments.of(sitting(city).put("text", "t".repeat(4001)), "text must be at most 4000"));
  }

  @ParameterizedTest
  @MethodSource("invalidSittings")
  void aSittingWithAnInvalidFieldIsRefusedNamingIt(JsonObject body, String detail) {
    assertProblem(server.post("/api/v1/sittings", owner.token(), body.encode()), 400, detail);
  }

  @Test
  void aSittingForAPetThatIsNotTheCallersIsRefusedNamingThatPet() {
    assertProblem(server.post("/api/v1/sittings", owner.token(),
        sitting("Anywhere").put("petIds", new JsonArray().add(dog).add(strangersPet)).encode()),
        400, "petIds: pet " + strangersPet + " is not one of your pets");
    assertProblem(server.post("/api/v1/sittings", owner.token(),
        sitting("Anywhere").put("petIds", new JsonArray().add(999999999999L)).encode()),
        400, "petIds: pet 999999999999 is not one of your pets");
  }

  @Test
  void aListReadRightAfterACreateSeesTheCreatedItem() {
    String city = uniqueCity();
    for (int i = 0; i < 5; i++) {
      long id = create(owner, sitting(city)).getLong("id");
      assertThat(ids(server.get("/api/v1/sittings?city=" + city, owner.token()))).startsWith(id);
      assertThat(server.get("/api/v1/sittings/" + id, owner.token()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theListFiltersByCitySpeciesAndDates() {
    String city = uniqueCity();
    long dogOnly = create(owner, sitting(city).put("petIds", new JsonArray().add(dog))).getLong("id");
    long catLater = create(owner, sitting(city).put("petIds", new JsonArray().add(cat))
        .put("startDate", TODAY.plusDays(30).toString()).put("endDate", TODAY.plusDays(40).toString())).getLong("id");
    long elsewhere = create(owner, sitting(uniqueCity())).getLong("id");

    String base = "/api/v1/sittings?city=" + city;
    assertThat(ids(server.get(base, stranger.token()))).containsExactly(catLater, dogOnly);
    assertThat(ids(server.get(base.replace(city, city.toUpperCase()), stranger.token())))
        .containsExactly(catLater, dogOnly);
    assertThat(ids(server.get(base + "&species=dog", stranger.token()))).containsExactly(dogOnly);
    assertThat(ids(server.get(base + "&species=cat", stranger.token()))).containsExactly(catLater);
    assertThat(ids(server.get(base + "&species=fish", stranger.token()))).isEmpty();
    // Overlap with from..to: dogOnly runs +10..+14, catLater +30..+40.
    assertThat(ids(server.get(base + "&from=" + TODAY.plusDays(15), stranger.token()))).containsExactly(catLater);
    assertThat(ids(server.get(base + "&to=" + TODAY.plusDays(29), stranger.token()))).containsExactly(dogOnly);
    assertThat(ids(server.get(base + "&from=" + TODAY.plusDays(14) + "&to=" + TODAY.plusDays(30), stranger.token())))
        .containsExactly(catLater, dogOnly);
    assertThat(ids(server.get(base + "&from=" + TODAY.plusDays(15) + "&to=" + TODAY.plusDays(29), stranger.token())))
        .isEmpty();
    assertThat(ids(server.get("/api/v1/sittings", stranger.token()))).doesNotContain(0L);
    assertThat(elsewhere).isPositive();
  }

  @Test
  void theListPagesNewestFirstWithACursor() {
    String city = uniqueCity();
    long a = create(owner, sitting(city)).getLong("id");
    long b = create(owner, sitting(city)).getLong("id");
    long c = create(owner, sitting(city)).getLong("id");

    HttpResponse<String> first = server.get("/api/v1/sittings?limit=2&city=" + city, stranger.token());
    assertThat(ids(first)).containsExactly(c, b);
    String cursor = new JsonObject(first.body()).getString("nextCursor");
    assertThat(cursor).isNotBlank();

    HttpResponse<String> second = server.get("/api/v1/sittings?limit=2&city=" + city + "&cursor=" + cursor,
        stranger.token());
    assertThat(ids(second)).containsExactly(a);
    JsonObject page = new JsonObject(second.body());
    assertThat(page.containsKey("nextCursor")).isTrue();
    assertThat(page.getString("nextCursor")).isNull();
  }

  @Test
  void badListParametersAreRefusedNamingThem() {
    String t = stranger.token();
    assertProblem(server.get("/api/v1/sittings?limit=0", t), 400, "limit must be a whole number between 1 and 100");
    assertProblem(server.get("/api/v1/sittings?limit=101", t), 400, "limit must be");
    assertProblem(server.get("/api/v1/sittings?cursor=%21%21", t), 400, "cursor is not a cursor");
    assertProblem(server.get("/api/v1/sittings?species=dragon", t), 400, "species must be one of");
    assertProblem(server.get("/api/v1/sittings?from=soon", t), 400, "from must be a date");
    assertProblem(server.get("/api/v1/sittings?from=2030-01-02&to=2030-01-01", t), 400, "to must not be before from");
  }

  @Test
  void theOwnerChangesASittingAndClosingItTakesItOffTheList() {
    String city = uniqueCity();
    long id = create(owner, sitting(city)).getLong("id");

    HttpResponse<String> changed = server.patch("/api/v1/sittings/" + id, owner.token(), new JsonObject()
        .put("petIds", new JsonArray().add(cat)).putNull("reward").put("housingTypes", new JsonArray().add("either"))
        .encode());
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    JsonObject s = new JsonObject(changed.body());
    assertThat(s.getJsonArray("pets")).hasSize(1);
    assertThat(s.getJsonArray("pets").getJsonObject(0).getLong("id")).isEqualTo(cat);
    assertThat(s.containsKey("reward")).isFalse();
    assertThat(s.getJsonArray("housingTypes")).isEqualTo(new JsonArray().add("either"));
    assertThat(s.getString("city")).isEqualTo(city);

    assertProblem(server.patch("/api/v1/sittings/" + id, owner.token(), new JsonObject().put("status", "gone").encode()),
        400, "status must be one of open, closed");
    assertProblem(server.patch("/api/v1/sittings/" + id, owner.token(),
        new JsonObject().put("endDate", TODAY.toString()).encode()), 400, "endDate must not be before startDate");
    assertProblem(server.patch("/api/v1/sittings/" + id, owner.token(),
        new JsonObject().put("petIds", new JsonArray().add(strangersPet)).encode()), 400, "pet " + strangersPet);

    assertThat(server.patch("/api/v1/sittings/" + id, owner.token(), new JsonObject().put("status", "closed").encode())
        .statusCode()).isEqualTo(200);
    assertThat(ids(server.get("/api/v1/sittings?city=" + city, owner.token()))).isEmpty();
    assertThat(new JsonObject(server.get("/api/v1/sittings/" + id, owner.token()).body()).getString("status"))
        .isEqualTo("closed");
  }

  @Test
  void aSittingThatHasBegunCanBeEditedButNotMovedIntoThePast() {
    long id = Await.result(server.app().services().db().primary()
        .preparedQuery("INSERT INTO sittings (owner_id, city, start_date, end_date, housing_types) VALUES (?, ?, ?, ?, 'either')")
        .execute(Tuple.of(owner.id(), uniqueCity(), TODAY.minusDays(3), TODAY.plusDays(3)))
        .map(r -> r.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID)));

    assertThat(server.patch("/api/v1/sittings/" + id, owner.token(), new JsonObject().put("text", "Extended").encode())
        .statusCode()).isEqualTo(200);
    assertProblem(server.patch("/api/v1/sittings/" + id, owner.token(),
        new JsonObject().put("startDate", TODAY.minusDays(4).toString()).encode()), 400, "startDate must not be in the past");
  }

  @Test
  void onlyTheOwnerChangesOrDeletesASitting() {
    long id = create(owner, sitting(uniqueCity())).getLong("id");
    assertProblem(server.patch("/api/v1/sittings/" + id, stranger.token(), new JsonObject().put("city", "X").encode()),
        403, "only the owner of sitting " + id);
    assertProblem(server.delete("/api/v1/sittings/" + id, stranger.token()), 403, "only the owner");

    assertThat(server.delete("/api/v1/sittings/" + id, owner.token()).statusCode()).isEqualTo(204);
    assertProblem(server.get("/api/v1/sittings/" + id, owner.token()), 404, "no sitting " + id);
  }

  @Test
  void aMissingSittingIsNotFoundForEveryMethod() {
    String path = "/api/v1/sittings/999999999999";
    assertProblem(server.get(path, owner.token()), 404, "no sitting");
    assertProblem(server.patch(path, owner.token(), new JsonObject().put("city", "X").encode()), 404, "no sitting");
    assertProblem(server.delete(path, owner.token()), 404, "no sitting");
  }

  @Test
  void sittingsNeedAToken() {
    assertProblem(server.get("/api/v1/sittings", null), 401, "token");
    assertProblem(server.post("/api/v1/sittings", null, sitting("X").encode()), 401, "token");
  }
}
