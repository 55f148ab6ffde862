package org.petmeeting.support;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Blocking waits for test threads (never event loops): on a future, or polling with a deadline. */
public final class Await {
  private Await() {}

  public static <T> T result(Future<T> future) {
    return result(future, Duration.ofSeconds(60));
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Asks {@code attempt} again until it yields a non-null value or the deadline passes. Failed
   * attempts count as "not yet". Each attempt waits on its own future, so there is no sleep.
   */
  public static <T> T poll(Duration deadline, Supplier<Future<T>> attempt) {
    long end = System.nanoTime() + deadline.toNanos();
    Throwable last = null;
    while (System.nanoTime() < end) {
      try {
        T value = attempt.get().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        if (value != null) {
          return value;
        }
      } catch (ExecutionException e) {
        last = e.getCause();
      } catch (TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      // The polling interval between two attempts, bounded by the deadline above.
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    }
    throw new AssertionError("condition not met within " + deadline + (last == null ? "" : "; last error: " + last));
  }
}
