package org.petmeeting.config;

/** Configuration that cannot be used; the message names the setting and its environment variable. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
