package org.petmeeting.sittings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.petmeeting.support.ProblemAssertions.assertProblem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Applying to a sitting. The live system message to the owner's WebSocket belongs to the chat
 * side's tests; here: the application, its room, and who is in it.
 */
class ApplicationsApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static ApiUsers.Member owner;
  private static long rex;

  @BeforeAll
  static void ownerAndPet() {
    owner = ApiUsers.signUp(server, "apowner");
    rex = SittingsApiTest.petOf(server, owner, "Rex", "dog");
  }

  static long sitting(JsonArray housingTypes) {
    JsonObject body = new JsonObject().put("petIds", new JsonArray().add(rex)).put("city", "Apply-City")
        .put("startDate", LocalDate.now().plusDays(3).toString()).put("endDate", LocalDate.now().plusDays(5).toString())
        .put("housingTypes", housingTypes);
    HttpResponse<String> r = server.post("/api/v1/sittings", owner.token(), body.encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getLong("id");
  }

  static JsonObject application(String housingType) {
    return new JsonObject().put("motivation", "I grew up with dogs.").put("experienceCount", 12)
        .put("housingType", housingType);
  }

  static HttpResponse<String> apply(ApiUsers.Member who, long sittingId, JsonObject body) {
    return server.post("/api/v1/sittings/" + sittingId + "/applications", who.token(), body.encode());
  }

  static List<Long> membersOf(long roomId) {
    return Await.result(server.app().services().db().primary()
        .preparedQuery("SELECT user_id FROM room_members WHERE room_id = ? ORDER BY user_id")
        .execute(Tuple.of(roomId))
        .map(rows -> {
          List<Long> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(row.getLong(0));
          }
          return out;
        }));
  }

  @Test
  void applyingOpensTheDirectRoomOfApplicantAndOwner() {
    long sittingId = sitting(new JsonArray().add("sitter_home"));
    ApiUsers.Member sitter = ApiUsers.signUp(server, "sitter");

    HttpResponse<String> r = apply(sitter, sittingId, application("sitter_home"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject body = new JsonObject(r.body());
    JsonObject app = body.getJsonObject("application");
    long roomId = body.getJsonObject("room").getLong("id");
    assertThat(roomId).isPositive();
    assertThat(app.getLong("id")).isPositive();
    assertThat(app.getLong("sittingId")).isEqualTo(sittingId);
    assertThat(app.getJsonObject("applicant")).isEqualTo(new JsonObject().put("id", sitter.id()).put("name", sitter.name()));
    assertThat(app.getString("motivation")).isEqualTo("I grew up with dogs.");
    assertThat(app.getInteger("experienceCount")).isEqualTo(12);
    assertThat(app.getString("housingType")).isEqualTo("sitter_home");
    assertThat(app.getLong("roomId")).isEqualTo(roomId);
    assertThat(app.getString("createdAt")).endsWith("Z");

    assertThat(membersOf(roomId)).containsExactlyInAnyOrder(owner.id(), sitter.id());
  }

  @Test
  void applicationsOfOneUserToTwoSittingsOfOneOwnerShareTheDirectRoom() {
    ApiUsers.Member sitter = ApiUsers.signUp(server, "twice");
    HttpResponse<String> first = apply(sitter, sitting(new JsonArray().add("either")), application("owner_home"));
    HttpResponse<String> second = apply(sitter, sitting(new JsonArray().add("either")), application("sitter_home"));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(second.body()).getJsonObject("room").getLong("id"))
        .isEqualTo(new JsonObject(first.body()).getJsonObject("room").getLong("id"));
  }

  @Test
  void aSecondApplicationByTheSameUserIsAConflict() {
    long sittingId = sitting(new JsonArray().add("owner_home"));
    ApiUsers.Member sitter = ApiUsers.signUp(server, "again");
    assertThat(apply(sitter, sittingId, application("owner_home")).statusCode()).isEqualTo(201);
    assertProblem(apply(sitter, sittingId, application("owner_home")), 409, "already applied to sitting " + sittingId);
  }

  @Test
  void anOwnerCannotApplyToTheirOwnSitting() {
    assertProblem(apply(owner, sitting(new JsonArray().add("either")), application("either")), 403,
        "cannot apply to your own sitting");
  }

  @Test
  void applyingToAMissingSittingIsNotFound() {
    ApiUsers.Member sitter = ApiUsers.signUp(server, "lost");
    assertProblem(apply(sitter, 999999999999L, application("either")), 404, "no sitting 999999999999");
  }

  @Test
  void applyingToAClosedSittingIsAConflict() {
    long sittingId = sitting(new JsonArray().add("either"));
    server.patch("/api/v1/sittings/" + sittingId, owner.token(), new JsonObject().put("status", "closed").encode());
    ApiUsers.Member sitter = ApiUsers.signUp(server, "late");
    assertProblem(apply(sitter, sittingId, application("either")), 409, "closed");
  }

  @Test
  void theHousingTypeMustBeOneTheSittingAccepts() {
    long ownerHomeOnly = sitting(new JsonArray().add("owner_home"));
    ApiUsers.Member sitter = ApiUsers.signUp(server, "housing");
    assertProblem(apply(sitter, ownerHomeOnly, application("sitter_home")), 400,
        "housingType must be one the sitting accepts: owner_home");
    // An applicant who can do either fits any sitting.
    assertThat(apply(sitter, ownerHomeOnly, application("either")).statusCode()).isEqualTo(201);
  }

  static Stream<Arguments> invalidApplications() {
    return Stream.of(
        Arguments.of(application("either").putNull("motivation"), "motivation is required"),
        Arguments.of(application("either").put("motivation", "  "), "motivation must not be blank"),
        Arguments.of(application("either").put("motivation", "m".repeat(2001)), "motivation must be at most 2000"),
        Arguments.of(application("either").putNull("experienceCount"), "experienceCount is required"),
        Arguments.of(application("either").put("experienceCount", -1), "experienceCount must be between 0 and 1000"),
        Arguments.of(application("either").put("experienceCount", 1001), "experienceCount must be between 0 and 1000"),
        Arguments.of(application("either").put("experienceCount", "lots"), "experienceCount must be a whole number"),
        Arguments.of(application("castle"), "housingType must be one of owner_home, sitter_home, either"));
  }

  @ParameterizedTest
  @MethodSource("invalidApplications")
  void anApplicationWithAnInvalidFieldIsRefusedNamingIt(JsonObject body, String detail) {
    ApiUsers.Member sitter = ApiUsers.signUp(server, "invalid");
    assertProblem(apply(sitter, sitting(new JsonArray().add("either")), body), 400, detail);
  }

  @Test
  void theOwnerSeesTheApplicationsWithApplicantAndRoom() {
    long sittingId = sitting(new JsonArray().add("either"));
    ApiUsers.Member a = ApiUsers.signUp(server, "first");
    ApiUsers.Member b = ApiUsers.signUp(server, "second");
    long roomA = new JsonObject(apply(a, sittingId, application("either")).body()).getJsonObject("room").getLong("id");
    long roomB = new JsonObject(apply(b, sittingId, application("owner_home")).body()).getJsonObject("room").getLong("id");

    HttpResponse<String> r = server.get("/api/v1/sittings/" + sittingId + "/applications", owner.token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject page = new JsonObject(r.body());
    JsonArray items = page.getJsonArray("items");
    assertThat(items).hasSize(2);
    assertThat(items.getJsonObject(0).getJsonObject("applicant"))
        .isEqualTo(new JsonObject().put("id", b.id()).put("name", b.name()));
    assertThat(items.getJsonObject(0).getLong("roomId")).isEqualTo(roomB);
    assertThat(items.getJsonObject(1).getJsonObject("applicant").getLong("id")).isEqualTo(a.id());
    assertThat(items.getJsonObject(1).getLong("roomId")).isEqualTo(roomA);
    assertThat(page.getString("nextCursor")).isNull();

    HttpResponse<String> paged = server.get("/api/v1/sittings/" + sittingId + "/applications?limit=1", owner.token());
    String cursor = new JsonObject(paged.body()).getString("nextCursor");
    HttpResponse<String> rest = server.get("/api/v1/sittings/" + sittingId + "/applications?limit=1&cursor=" + cursor,
        owner.token());
    assertThat(new JsonObject(rest.body()).getJsonArray("items").getJsonObject(0).getJsonObject("applicant")
        .getLong("id")).isEqualTo(a.id());
  }

  @Test
  void onlyTheOwnerSeesTheApplications() {
    long sittingId = sitting(new JsonArray().add("either"));
    ApiUsers.Member sitter = ApiUsers.signUp(server, "nosy");
    apply(sitter, sittingId, application("either"));
    assertProblem(server.get("/api/v1/sittings/" + sittingId + "/applications", sitter.token()), 403,
        "only the owner of sitting " + sittingId);
    assertProblem(server.get("/api/v1/sittings/999999999999/applications", sitter.token()), 404, "no sitting");
  }

  @Test
  void applicationsNeedAToken() {
    assertProblem(server.post("/api/v1/sittings/1/applications", null, application("either").encode()), 401, "token");
    assertProblem(server.get("/api/v1/sittings/1/applications", null), 401, "token");
  }
}
