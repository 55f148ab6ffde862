package org.petmeeting.gateway;

/** A frame that breaks the contract; answered with {@code error bad_request} and counted. */
final class BadRequest extends RuntimeException {
  final String code;

  BadRequest(String message) {
    this(ErrorCodes.BAD_REQUEST, message);
  }

  BadRequest(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }
}
