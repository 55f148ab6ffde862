package org.petmeeting.accounts;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.petmeeting.Services;
import org.petmeeting.db.ReadYourWrites;
import org.petmeeting.http.Authenticated;
import org.petmeeting.http.Problem;
import org.petmeeting.http.Replies;
import org.petmeeting.http.Requests;
import org.petmeeting.http.RestApi;
import org.petmeeting.http.Validate;
import org.petmeeting.pets.Pet;
import org.petmeeting.pets.PetStore;

/** {@code /api/v1/me} (the caller's own profile) and {@code /api/v1/users/{id}} (anyone's public one, with pets). */
public final class ProfilesApi implements RestApi {
  /** The fields a PATCH of the own profile may change; a field sent as null is cleared. */
  public record ProfileChange(String displayName, String city, String bio, String avatarUrl) {}

  /** A user's public profile: the user and their pets. */
  public record PublicProfile(long id, String username, String name, String city, String bio, String avatarUrl,
                              List<Pet> pets) {
    static PublicProfile of(UserView u, List<Pet> pets) {
      return new PublicProfile(u.id(), u.username(), u.name(), u.city(), u.bio(), u.avatarUrl(), pets);
    }
  }

  private final Authenticated auth;
  private final Pool primary;
  private final ReadYourWrites reads;
  private final AccountStore accounts = new AccountStore();
  private final PetStore pets = new PetStore();

  public ProfilesApi(Services services) {
    this.auth = new Authenticated(services.tokens());
    this.primary = services.db().primary();
    this.reads = new ReadYourWrites(services.db(), services.redis().api(), services.config().db().replica());
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/me").handler(auth).handler(Replies.json(200, this::me));
    router.patch("/api/v1/me").handler(auth).handler(Replies.json(200, this::change));
    router.get("/api/v1/users/:id").handler(auth).handler(Replies.json(200, this::profile));
  }

  private Future<UserView> me(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    return reads.read(me, db -> accounts.byId(db, me)).map(user -> found(user, me));
  }

  private Future<UserView> change(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    Requests.Patch<ProfileChange> patch = Requests.patch(ctx, ProfileChange.class);
    ProfileChange in = patch.value();
    return primary.withTransaction(tx -> accounts.byIdForUpdate(tx, me).compose(current -> {
      found(current, me);
      UserView changed = new UserView(me, current.username(),
          Validate.line("displayName", patch.pick("displayName", in.displayName(), current.name()), 1, 64),
          Validate.optionalLine("city", patch.pick("city", in.city(), current.city()), 64),
          Validate.optionalText("bio", patch.pick("bio", in.bio(), current.bio()), 1000),
          Validate.optionalHttpUrl("avatarUrl", patch.pick("avatarUrl", in.avatarUrl(), current.avatarUrl()), 500));
      return accounts.updateProfile(tx, changed).map(changed);
    })).compose(changed -> reads.wrote(me).map(changed));
  }

  private Future<PublicProfile> profile(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long id = Requests.pathId(ctx, "id");
    return reads.read(me, db -> accounts.byId(db, id).compose(user -> user == null
        ? Future.failedFuture(Problem.notFound("no user " + id))
        : pets.ofOwner(db, id).map(list -> PublicProfile.of(user, list))));
  }

  private static UserView found(UserView user, long id) {
    if (user == null) {
      throw Problem.notFound("no user " + id);
    }
    return user;
  }
}
