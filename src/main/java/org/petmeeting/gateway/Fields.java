package org.petmeeting.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads typed fields of a client frame, failing with a message that names the field. */
final class Fields {
  private final JsonNode node;

  Fields(JsonNode node) {
    this.node = node;
  }

  long positiveLong(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
      throw new BadRequest(name + " must be a positive integer");
    }
    return v.asLong();
  }

  long nonNegativeLong(String name, long fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new BadRequest(name + " must be a non-negative integer");
    }
    return v.asLong();
  }

  String string(String name, int minChars, int maxChars) {
    return string(name, minChars, maxChars, ErrorCodes.TOO_LARGE);
  }

  /** A string; one over {@code maxChars} is refused with {@code tooLongCode}. */
  String string(String name, int minChars, int maxChars, String tooLongCode) {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw new BadRequest(name + " must be a string");
    }
    return checkLength(name, v.asText(), minChars, maxChars, tooLongCode);
  }

  /** An optional integer, at least {@code min}; anything above {@code max} (however large) becomes max. */
  long clampedLong(String name, long fallback, long min, long max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || v.bigIntegerValue().signum() < 0) {
      throw new BadRequest(name + " must be a non-negative integer");
    }
    if (v.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(max)) > 0) {
      return max;
    }
    if (v.asLong() < min) {
      throw new BadRequest(name + " must be at least " + min);
    }
    return v.asLong();
  }

  String optionalString(String name, int maxChars) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new BadRequest(name + " must be a string");
    }
    return checkLength(name, v.asText(), 0, maxChars, ErrorCodes.TOO_LARGE);
  }

  private static String checkLength(String name, String s, int min, int max, String tooLongCode) {
    int chars = s.codePointCount(0, s.length());
    if (chars < min) {
      throw new BadRequest(name + " must not be empty");
    }
    if (chars > max) {
      throw new BadRequest(tooLongCode, name + " is longer than " + max + " characters");
    }
    return s;
  }

  /** The optional JSON object {@code name}, serialised, at most {@code maxBytes} bytes. */
  String optionalObject(String name, int maxBytes) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new BadRequest(name + " must be a JSON object");
    }
    String text = v.toString();
    if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
      throw new BadRequest(ErrorCodes.TOO_LARGE, name + " is larger than " + maxBytes + " bytes");
    }
    return text;
  }
}
