package org.petmeeting.chat;

import io.vertx.core.Vertx;
import org.petmeeting.config.AppConfig;
import org.petmeeting.db.Databases;
import org.petmeeting.redis.RedisClients;
import org.petmeeting.rooms.RoomStore;

/** The node-wide chat components every verticle of the process shares (all thread-safe). */
public record Chat(RoomStore rooms, RoomLog log, History history, Membership membership, Delivery delivery,
                   NodePresence presence, ChatClient client) {

  public static Chat create(Vertx vertx, String nodeId, AppConfig config, Databases db, RedisClients redis) {
    SharedJsonCodec.register(vertx);
    RoomStore rooms = new RoomStore(db.primary());
    RoomLog log = new RoomLog(redis.redis(), db.primary(), config);
    return new Chat(rooms, log, new History(log, db.primary(), db::reads),
        new Membership(rooms, config.chat().membershipCacheSeconds()),
        new Delivery(vertx, redis.redis(), nodeId, config.cluster().enabled()),
        new NodePresence(redis.api(), nodeId, config.chat().presenceTtlSeconds()),
        new ChatClient(vertx));
  }
}
