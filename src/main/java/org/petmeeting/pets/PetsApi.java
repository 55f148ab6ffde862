package org.petmeeting.pets;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Year;
import java.time.ZoneOffset;
import org.petmeeting.Services;
import org.petmeeting.db.ReadYourWrites;
import org.petmeeting.http.Authenticated;
import org.petmeeting.http.Problem;
import org.petmeeting.http.Replies;
import org.petmeeting.http.Requests;
import org.petmeeting.http.RestApi;
import org.petmeeting.http.Validate;

/** {@code /api/v1/pets}: anyone signed in reads a pet; only its owner changes or deletes it. */
public final class PetsApi implements RestApi {
  /** What a client sends to create a pet, or the fields it changes in a PATCH. */
  public record PetInput(String name, String species, String breed, Integer birthYear, String gender,
                         String description, String photoUrl) {}

  private static final int FIRST_BIRTH_YEAR = 1980;

  private final Authenticated auth;
  private final Pool primary;
  private final ReadYourWrites reads;
  private final PetStore pets = new PetStore();

  public PetsApi(Services services) {
    this.auth = new Authenticated(services.tokens());
    this.primary = services.db().primary();
    this.reads = new ReadYourWrites(services.db(), services.redis().api(), services.config().db().replica());
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/pets").handler(auth).handler(Replies.json(201, this::create));
    router.get("/api/v1/pets/:id").handler(auth).handler(Replies.json(200, this::get));
    router.patch("/api/v1/pets/:id").handler(auth).handler(Replies.json(200, this::change));
    router.delete("/api/v1/pets/:id").handler(auth).handler(Replies.noContent(this::delete));
  }

  private Future<Pet> create(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    Pet pet = validated(0, me, Requests.body(ctx, PetInput.class));
    return pets.insert(primary, pet)
        .compose(id -> reads.wrote(me).compose(v -> pets.byId(primary, id)))
        .onSuccess(created -> ctx.response().putHeader("Location", "/api/v1/pets/" + created.id()));
  }

  private Future<Pet> get(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long id = Requests.pathId(ctx, "id");
    return reads.read(me, db -> pets.byId(db, id)).map(pet -> found(pet, id));
  }

  private Future<Pet> change(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long id = Requests.pathId(ctx, "id");
    Requests.Patch<PetInput> patch = Requests.patch(ctx, PetInput.class);
    PetInput in = patch.value();
    return primary.withTransaction(tx -> pets.byIdForUpdate(tx, id).compose(current -> {
      owned(found(current, id), me);
      Pet changed = validated(id, me, new PetInput(
          patch.pick("name", in.name(), current.name()),
          patch.pick("species", in.species(), current.species()),
          patch.pick("breed", in.breed(), current.breed()),
          patch.pick("birthYear", in.birthYear(), current.birthYear()),
          patch.pick("gender", in.gender(), current.gender()),
          patch.pick("description", in.description(), current.description()),
          patch.pick("photoUrl", in.photoUrl(), current.photoUrl())));
      return pets.update(tx, changed).map(changed);
    })).compose(changed -> reads.wrote(me).map(changed));
  }

  private Future<Void> delete(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long id = Requests.pathId(ctx, "id");
    return primary.withTransaction(tx -> pets.byIdForUpdate(tx, id)
            .compose(current -> pets.delete(tx, owned(found(current, id), me).id())))
        .compose(v -> reads.wrote(me));
  }

  static Pet validated(long id, long ownerId, PetInput in) {
    // The newest year anywhere on Earth, so that a pet born today in UTC+14 is accepted.
    int thisYear = Year.now(ZoneOffset.ofHours(14)).getValue();
    return new Pet(id, ownerId,
        Validate.line("name", in.name(), 1, 64),
        Validate.oneOf("species", in.species(), Pet.SPECIES),
        Validate.optionalLine("breed", in.breed(), 64),
        Validate.optionalRange("birthYear", in.birthYear(), FIRST_BIRTH_YEAR, thisYear),
        Validate.optionalOneOf("gender", in.gender(), Pet.GENDERS),
        Validate.optionalText("description", in.description(), 2000),
        Validate.optionalHttpUrl("photoUrl", in.photoUrl(), 500));
  }

  private static Pet found(Pet pet, long id) {
    if (pet == null) {
      throw Problem.notFound("no pet " + id);
    }
    return pet;
  }

  private static Pet owned(Pet pet, long userId) {
    if (pet.ownerId() != userId) {
      throw Problem.forbidden("only the owner of pet " + pet.id() + " can change it");
    }
    return pet;
  }
}
