package org.petmeeting.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** Checks that an answer is an application/problem+json error of a given status and detail. */
public final class ProblemAssertions {
  private ProblemAssertions() {}

  public static JsonObject assertProblem(HttpResponse<String> r, int status, String detailContains) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("detail")).contains(detailContains);
    return problem;
  }
}
