package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoomCursorTest {

  @Test
  void messagesAreHeldUntilTheStartingHeadIsKnown() {
    RoomCursor c = new RoomCursor();
    assertThat(c.offer(5, "m5")).isEmpty();
    assertThat(c.offer(4, "m4")).isEmpty();
    assertThat(c.start(3)).containsExactly("m4", "m5");
    assertThat(c.last()).isEqualTo(5);
  }

  @Test
  void theNextSeqGoesOutAtOnceAndDuplicatesNever() {
    RoomCursor c = new RoomCursor();
    c.start(0);
    assertThat(c.offer(1, "m1")).containsExactly("m1");
    assertThat(c.offer(1, "m1")).isEmpty();
    assertThat(c.offer(2, "m2")).containsExactly("m2");
  }

  @Test
  void aMessageAheadOfAGapIsHeldAndReleasedInOrderWhenTheGapFills() {
    RoomCursor c = new RoomCursor();
    c.start(10);
    assertThat(c.offer(13, "m13")).isEmpty();
    assertThat(c.offer(12, "m12")).isEmpty();
    assertThat(c.hasGap()).isTrue();
    assertThat(c.firstHeld()).isEqualTo(12);
    assertThat(c.offer(11, "m11")).containsExactly("m11", "m12", "m13");
    assertThat(c.hasGap()).isFalse();
    assertThat(c.heldCount()).isZero();
  }

  @Test
  void messagesAtOrBelowTheStartAreDropped() {
    RoomCursor c = new RoomCursor();
    c.offer(2, "m2");
    c.offer(4, "m4");
    assertThat(c.start(3)).containsExactly("m4");
  }

  @Test
  void skippingPastWhatASyncCarriedDropsHeldCopiesAndReleasesWhatFollows() {
    RoomCursor c = new RoomCursor();
    c.start(0);
    c.offer(3, "m3");
    c.offer(5, "m5");
    assertThat(c.skipTo(4)).containsExactly("m5");
    assertThat(c.last()).isEqualTo(5);
    assertThat(c.skipTo(2)).isEmpty();
    assertThat(c.last()).isEqualTo(5);
  }
}
