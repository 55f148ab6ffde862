package org.petmeeting.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.ApiUsers;
import org.petmeeting.support.Await;
import org.petmeeting.support.TestServer;

/**
 * Every REST read answers the same with the MariaDB replica stopped: at once (a read that fails on
 * the replica is retried on the primary) and after the health check has moved reads to the primary.
 * Stops the local environment's replica and starts it again afterwards, waiting until it has caught
 * up, so that later test classes find it replicating.
 */
class RestReadsWithTheReplicaDownTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static ApiUsers.Member owner;
  private static ApiUsers.Member sitter;
  private static final Map<String, String> READS = new LinkedHashMap<>();
  private static boolean replicaStopped;

  @BeforeAll
  static void usersAndTheirData() {
    owner = ApiUsers.signUp(server, "rdowner");
    sitter = ApiUsers.signUp(server, "rdsitter");
    long pet = new JsonObject(server.post("/api/v1/pets", owner.token(),
        new JsonObject().put("name", "Rex").put("species", "dog").encode()).body()).getLong("id");
    String city = "Down-" + UUID.randomUUID().toString().substring(0, 8);
    long sitting = new JsonObject(server.post("/api/v1/sittings", owner.token(), new JsonObject()
        .put("petIds", new JsonArray().add(pet)).put("city", city)
        .put("startDate", LocalDate.now().plusDays(1).toString()).put("endDate", LocalDate.now().plusDays(2).toString())
        .put("housingTypes", new JsonArray().add("either")).encode()).body()).getLong("id");
    HttpResponse<String> applied = server.post("/api/v1/sittings/" + sitting + "/applications", sitter.token(),
        new JsonObject().put("motivation", "Happy to").put("experienceCount", 1).put("housingType", "either").encode());
    assertThat(applied.statusCode()).isEqualTo(201);

    READS.put("/api/v1/me", owner.token());
    READS.put("/api/v1/users/" + owner.id(), sitter.token());
    READS.put("/api/v1/pets/" + pet, sitter.token());
    READS.put("/api/v1/sittings?city=" + city, sitter.token());
    READS.put("/api/v1/sittings/" + sitting, sitter.token());
    READS.put("/api/v1/sittings/" + sitting + "/applications", owner.token());
  }

  // Runs before the extension stops the server, and the server is stopped even if this fails.
  @AfterAll
  static void replicaBackAndCaughtUp() throws Exception {
    if (replicaStopped) {
      localenv("start", "mysql-replica");
      awaitReplicaCaughtUp();
    }
  }

  @Test
  void everyReadEndpointAnswersTheSameWithTheReplicaStopped() throws Exception {
    Databases db = server.app().services().db();
    ReadYourWrites rw = new ReadYourWrites(db, server.app().services().redis().api(),
        server.app().services().config().db().replica());
    // Wait until both users' reads go to the replica: their read-your-writes markers have expired.
    Await.poll(Duration.ofSeconds(60), () -> Future.all(rw.poolFor(owner.id()), rw.poolFor(sitter.id()))
        .map(f -> f.resultAt(0) == db.replicaPool() && f.resultAt(1) == db.replicaPool() ? true : null));
    Map<String, String> expected = answers();

    replicaStopped = true;
    localenv("stop", "mysql-replica");

    // Before the health check notices: each failed replica read is run again on the primary.
    assertThat(answers()).isEqualTo(expected);

    Await.poll(Duration.ofSeconds(30), () -> Future.succeededFuture(
        db.replicaAwareReads().replicaUsable() ? null : true));
    assertThat(db.reads()).isSameAs(db.primary());
    assertThat(answers()).isEqualTo(expected);
  }

  private static Map<String, String> answers() {
    Map<String, String> out = new LinkedHashMap<>();
    READS.forEach((path, token) -> {
      HttpResponse<String> r = server.get(path, token);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      out.put(path, r.body());
    });
    return out;
  }

  /** Runs scripts/localenv.sh (from the project root, Maven's working directory) and waits for it. */
  private static void localenv(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = "bash";
    command[1] = "scripts/localenv.sh";
    System.arraycopy(args, 0, command, 2, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("localenv %s finished", String.join(" ", args)).isTrue();
    assertThat(p.exitValue()).as("localenv %s: %s", String.join(" ", args), output).isZero();
  }

  /** A row written on the primary now is visible through the replica pool. */
  private static void awaitReplicaCaughtUp() {
    Databases db = server.app().services().db();
    String name = "rd-" + UUID.randomUUID().toString().substring(0, 12);
    Await.result(db.primary()
        .preparedQuery("INSERT INTO users (username, password_hash, display_name) VALUES (?, 'x', 'replica back')")
        .execute(Tuple.of(name)));
    Await.poll(Duration.ofSeconds(60), () -> db.replicaPool()
        .preparedQuery("SELECT id FROM users WHERE username = ?").execute(Tuple.of(name))
        .map(rows -> rows.size() == 1 ? true : null));
  }
}
