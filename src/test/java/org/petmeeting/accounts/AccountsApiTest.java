package org.petmeeting.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.petmeeting.support.ProblemAssertions.assertProblem;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.petmeeting.support.ApiUsers;
import org.petmeeting.support.LoopbackClient;
import org.petmeeting.support.TestServer;

class AccountsApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static HttpResponse<String> signup(JsonObject body) {
    return server.post("/api/v1/auth/signup", null, body.encode());
  }

  /**
   * Logs in from an address of its own, so that the failures this class causes count against no
   * other test's address (LoginThrottleTest covers the limits).
   */
  private static LoopbackClient.Reply login(String username, String password) {
    try (LoopbackClient client = new LoopbackClient(server.app().services().vertx(), server.port())) {
      return client.post("/api/v1/auth/login",
          new JsonObject().put("username", username).put("password", password).encode());
    }
  }

  @Test
  void signUpAnswersATokenThatOpensTheNewUsersProfile() {
    String name = ApiUsers.uniqueName("mina");
    HttpResponse<String> r = signup(new JsonObject().put("username", name).put("password", "s3cret-enough")
        .put("displayName", "Mina"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonObject body = new JsonObject(r.body());
    JsonObject user = body.getJsonObject("user");
    assertThat(user.getLong("id")).isPositive();
    assertThat(user.getString("username")).isEqualTo(name);
    assertThat(user.getString("name")).isEqualTo("Mina");

    HttpResponse<String> me = server.get("/api/v1/me", body.getString("token"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(me.body())).isEqualTo(user);
  }

  @Test
  void theDisplayNameDefaultsToTheUserName() {
    String name = ApiUsers.uniqueName("plain");
    HttpResponse<String> r = signup(new JsonObject().put("username", name).put("password", "s3cret-enough"));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(r.body()).getJsonObject("user").getString("name")).isEqualTo(name);
  }

  @Test
  void aUserNameTakenInAnyCaseIsAConflict() {
    ApiUsers.Member taken = ApiUsers.signUp(server, "Taken");
    HttpResponse<String> r = signup(new JsonObject().put("username", taken.username().toUpperCase())
        .put("password", "another-password"));
    assertProblem(r, 409, "is taken");
  }

  static Stream<Arguments> invalidSignups() {
    return Stream.of(
        Arguments.of(new JsonObject().put("password", "long-enough"), "username is required"),
        Arguments.of(new JsonObject().put("username", "ab").put("password", "long-enough"), "username must be 3 to 32"),
        Arguments.of(new JsonObject().put("username", "a".repeat(33)).put("password", "long-enough"), "username must be 3 to 32"),
        Arguments.of(new JsonObject().put("username", "no spaces").put("password", "long-enough"), "username must be 3 to 32"),
        Arguments.of(new JsonObject().put("username", "ok_name").put("password", "short"), "password must be at least 8"),
        Arguments.of(new JsonObject().put("username", "ok_name").put("password", "p".repeat(129)), "password must be at most 128"),
        Arguments.of(new JsonObject().put("username", "ok_name"), "password is required"),
        Arguments.of(new JsonObject().put("username", "ok_name").put("password", "long-enough").put("displayName", " "),
            "displayName must not be empty"),
        Arguments.of(new JsonObject().put("username", "ok_name").put("password", "long-enough")
            .put("displayName", "d".repeat(65)), "displayName must be at most 64"),
        Arguments.of(new JsonObject().put("username", "ok_name").put("password", new JsonObject()),
            "password must be a string"));
  }

  @ParameterizedTest
  @MethodSource("invalidSignups")
  void signUpNamesTheInvalidField(JsonObject body, String detail) {
    assertProblem(signup(body), 400, detail);
  }

  @Test
  void unknownFieldsAreIgnored() {
    HttpResponse<String> r = signup(new JsonObject().put("username", ApiUsers.uniqueName("extra"))
        .put("password", "s3cret-enough").put("favouriteColour", "green"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsABadRequest() {
    assertProblem(server.post("/api/v1/auth/signup", null, "{not json"), 400, "not valid JSON");
    assertProblem(server.post("/api/v1/auth/signup", null, "[1,2]"), 400, "must be a JSON object");
    assertProblem(server.request("POST", "/api/v1/auth/signup", null, null), 400, "body is required");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413ProblemJson() {
    String huge = new JsonObject().put("username", "big_body").put("password", "x".repeat(70_000)).encode();
    HttpResponse<String> r = server.post("/api/v1/auth/signup", null, huge);
    assertProblem(r, 413, "larger than the limit");
  }

  @Test
  void logInAcceptsTheUserNameInAnyCase() {
    ApiUsers.Member m = ApiUsers.signUp(server, "CaseLogin");
    LoopbackClient.Reply r = login(m.username().toLowerCase(), ApiUsers.PASSWORD);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getJsonObject("user").getLong("id")).isEqualTo(m.id());
    assertThat(body.getJsonObject("user").getString("username")).isEqualTo(m.username());
    assertThat(server.get("/api/v1/me", body.getString("token")).statusCode()).isEqualTo(200);
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSame401() {
    ApiUsers.Member m = ApiUsers.signUp(server, "wrongpw");
    LoopbackClient.Reply wrong = login(m.username(), "not-the-password");
    LoopbackClient.Reply unknown = login(ApiUsers.uniqueName("nobody"), "not-the-password");

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(new JsonObject(wrong.body()).getString("detail")).isEqualTo("the user name or password is wrong");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.body()).isEqualTo(wrong.body());
  }

  @Test
  void everyCharacterOfAPasswordLongerThanBcryptsLimitCounts() {
    String longPassword = "p".repeat(100) + "-end";
    String name = ApiUsers.uniqueName("longpw");
    assertThat(signup(new JsonObject().put("username", name).put("password", longPassword)).statusCode()).isEqualTo(201);

    assertThat(login(name, longPassword).status()).isEqualTo(200);
    assertThat(login(name, "p".repeat(100) + "-END").status()).isEqualTo(401);
  }

  @Test
  void logInNamesAMissingField() {
    assertProblem(server.post("/api/v1/auth/login", null, new JsonObject().put("username", "x").encode()), 400,
        "password is required");
  }

  @Test
  void routesOtherThanSignUpAndLogInNeedAValidToken() {
    HttpResponse<String> none = server.get("/api/v1/me", null);
    assertProblem(none, 401, "Bearer token is required");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertProblem(server.get("/api/v1/me", "not-a-jwt"), 401, "invalid or expired");
  }
}
