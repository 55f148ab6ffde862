package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketAllowsTheBurstThenRefusesWithTheWaitForTheNextToken() {
    TokenBucket b = new TokenBucket(20, 40, 0);
    for (int i = 0; i < 40; i++) {
      assertThat(b.take(0)).isZero();
    }
    assertThat(b.take(0)).isEqualTo(50);
  }

  @Test
  void tokensRefillAtTheRate() {
    TokenBucket b = new TokenBucket(20, 40, 0);
    for (int i = 0; i < 40; i++) {
      b.take(0);
    }
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      if (b.take(SECOND) == 0) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(20);
  }

  @Test
  void theBucketNeverHoldsMoreThanTheBurst() {
    TokenBucket b = new TokenBucket(20, 40, 0);
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      if (b.take(100 * SECOND) == 0) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(40);
  }
}
