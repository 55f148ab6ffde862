package org.petmeeting.gateway;

/** The protocol's error codes and close codes, in one place. */
final class ErrorCodes {
  static final String BAD_REQUEST = "bad_request";
  static final String UNAUTHORIZED = "unauthorized";
  static final String FORBIDDEN = "forbidden";
  static final String NOT_FOUND = "not_found";
  static final String TOO_LARGE = "too_large";
  static final String RATE_LIMITED = "rate_limited";
  static final String UNAVAILABLE = "unavailable";
  static final String INTERNAL = "internal";

  static final short CLOSE_NORMAL = 1000;
  static final short CLOSE_POLICY = 1008;
  static final short CLOSE_TOO_BIG = 1009;
  static final short CLOSE_INTERNAL = 1011;
  static final short CLOSE_RESTARTING = 1012;
  static final short CLOSE_UNAUTHORIZED = 4401;
  static final short CLOSE_AUTH_TIMEOUT = 4408;
  static final short CLOSE_FLOODING = 4429;

  private ErrorCodes() {}
}
