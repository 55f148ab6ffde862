package org.petmeeting.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem body; thrown from handlers, written by {@link Problems#handler}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, Long retryAfterSeconds) {

  public static ProblemException badRequest(String detail) {
    return of(400, "Bad Request", detail);
  }

  public static ProblemException unauthorized(String detail) {
    return of(401, "Unauthorized", detail);
  }

  public static ProblemException forbidden(String detail) {
    return of(403, "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return of(404, "Not Found", detail);
  }

  public static ProblemException conflict(String detail) {
    return of(409, "Conflict", detail);
  }

  public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
    return new ProblemException(new Problem("about:blank", "Too Many Requests", 429, detail, retryAfterSeconds));
  }

  public static ProblemException unavailable(String detail) {
    return of(503, "Service Unavailable", detail);
  }

  public static ProblemException of(int status, String title, String detail) {
    return new ProblemException(new Problem("about:blank", title, status, detail, null));
  }

  /** Carries a problem through a failed future or a throw. */
  public static final class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }
}
