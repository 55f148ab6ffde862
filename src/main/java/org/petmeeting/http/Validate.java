package org.petmeeting.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Field checks for request bodies. Each one either returns the (normalised) value or throws a 400
 * problem whose detail names the field, so a handler reads as a list of rules. Lengths count
 * characters (code points), as MySQL's utf8mb4 VARCHAR does. Single-line text is trimmed and may
 * not hold control characters; an optional text that is empty after trimming counts as absent.
 */
public final class Validate {
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final Pattern CONTROL_BUT_NEWLINES = Pattern.compile("[\\p{Cntrl}&&[^\\n\\r\\t]]");

  private Validate() {}

  public static <T> T required(String field, T value) {
    if (value == null) {
      throw Problem.badRequest(field + " is required");
    }
    return value;
  }

  /** Required single-line text of {@code min..max} characters, trimmed. */
  public static String line(String field, String value, int min, int max) {
    String v = required(field, value).trim();
    checkLength(field, v, min, max);
    if (CONTROL.matcher(v).find()) {
      throw Problem.badRequest(field + " must not contain control characters");
    }
    return v;
  }

  /** Optional single-line text of at most {@code max} characters; null when absent or blank. */
  public static String optionalLine(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return line(field, value, 1, max);
  }

  /** Required free text (newlines allowed) of {@code min..max} characters, kept as written. */
  public static String text(String field, String value, int min, int max) {
    String v = required(field, value);
    if (v.isBlank() && min > 0) {
      throw Problem.badRequest(field + " must not be blank");
    }
    checkLength(field, v, min, max);
    if (CONTROL_BUT_NEWLINES.matcher(v).find()) {
      throw Problem.badRequest(field + " must not contain control characters other than line breaks and tabs");
    }
    return v;
  }

  /** Optional free text of at most {@code max} characters; null when absent or blank. */
  public static String optionalText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return text(field, value, 1, max);
  }

  /** Optional absolute http or https URL of at most {@code max} characters. */
  public static String optionalHttpUrl(String field, String value, int max) {
    String v = optionalLine(field, value, max);
    if (v == null) {
      return null;
    }
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null || uri.getHost().isEmpty()) {
        throw Problem.badRequest(field + " must be an absolute http or https URL");
      }
    } catch (URISyntaxException e) {
      throw Problem.badRequest(field + " must be an absolute http or https URL");
    }
    return v;
  }

  public static String oneOf(String field, String value, List<String> allowed) {
    String v = required(field, value);
    if (!allowed.contains(v)) {
      throw Problem.badRequest(field + " must be one of " + String.join(", ", allowed) + "; got '" + v + "'");
    }
    return v;
  }

  public static String optionalOneOf(String field, String value, List<String> allowed) {
    return value == null ? null : oneOf(field, value, allowed);
  }

  public static int range(String field, Integer value, int min, int max) {
    int v = required(field, value);
    if (v < min || v > max) {
      throw Problem.badRequest(field + " must be between " + min + " and " + max + "; got " + v);
    }
    return v;
  }

  public static Integer optionalRange(String field, Integer value, int min, int max) {
    return value == null ? null : range(field, value, min, max);
  }

  /** A required list with {@code min..max} entries, none of them null. */
  public static <T, C extends Collection<T>> C size(String field, C values, int min, int max) {
    C v = required(field, values);
    if (v.size() < min || v.size() > max) {
      throw Problem.badRequest(min == 1 && v.isEmpty() ? field + " must not be empty"
          : field + " must have between " + min + " and " + max + " entries; got " + v.size());
    }
    for (T entry : v) { // not v.contains(null): immutable lists throw on that
      if (entry == null) {
        throw Problem.badRequest(field + " must not contain null");
      }
    }
    return v;
  }

  private static void checkLength(String field, String v, int min, int max) {
    int n = v.codePointCount(0, v.length());
    if (n < min) {
      throw Problem.badRequest(min == 1 ? field + " must not be empty" : field + " must be at least " + min + " characters");
    }
    if (n > max) {
      throw Problem.badRequest(field + " must be at most " + max + " characters; got " + n);
    }
  }
}
