package org.petmeeting.chat;

/** Redis key names of a room; one place so scripts, readers and tests agree. */
public final class RoomKeys {
  private RoomKeys() {}

  public static String seq(long room) {
    return "r:" + room + ":seq";
  }

  public static String epoch(long room) {
    return "r:" + room + ":ep";
  }

  public static String log(long room) {
    return "r:" + room + ":log";
  }

  public static String reads(long room) {
    return "r:" + room + ":rd";
  }

  public static String cid(long room, long sender, String cid) {
    return "r:" + room + ":cid:" + sender + ":" + cid;
  }

  public static String typing(long room, long user) {
    return "r:" + room + ":ty:" + user;
  }

  public static int partition(long room, int partitions) {
    return (int) Math.floorMod(room, (long) partitions);
  }

  public static String persist(int partition) {
    return "persist:" + partition;
  }

  public static String persist(long room, int partitions) {
    return persist(partition(room, partitions));
  }
}
