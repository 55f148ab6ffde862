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
  void aMessageOfANewEpochRestartsTheCursorAndIsDeliveredThoughItsSeqIsNotNew() {
    RoomCursor c = new RoomCursor();
    c.start(0, "e1");
    c.offer(1, "e1", "a1");
    c.offer(2, "e1", "a2");
    c.offer(4, "e1", "a4");
    // Redis lost the room; MySQL had up to 1, so the new epoch goes on from 2.
    assertThat(c.offer(2, "e2", "b2")).containsExactly("b2");
    assertThat(c.epoch()).isEqualTo("e2");
    assertThat(c.offer(3, "e2", "b3")).containsExactly("b3");
    assertThat(c.heldCount()).isZero();
  }
}
