package org.petmeeting.sittings;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.petmeeting.Services;
import org.petmeeting.accounts.UserRef;
import org.petmeeting.db.ReadYourWrites;
import org.petmeeting.http.Authenticated;
import org.petmeeting.http.Page;
import org.petmeeting.http.Problem;
import org.petmeeting.http.Replies;
import org.petmeeting.http.Requests;
import org.petmeeting.http.RestApi;
import org.petmeeting.http.Validate;
import org.petmeeting.pets.Pet;
import org.petmeeting.pets.PetStore;

/**
 * {@code /api/v1/sittings}: owners post sitting requests for their own pets; anyone signed in
 * lists (open ones, filtered, newest first) and reads them; only the owner changes or deletes one.
 */
public final class SittingsApi implements RestApi {
  /** What a client sends to create a sitting, or the fields it changes in a PATCH ({@code status} only there). */
  public record SittingInput(List<Long> petIds, String city, LocalDate startDate, LocalDate endDate, String reward,
                             List<String> housingTypes, String text, String status) {}

  static final int MAX_PETS = 20;

  private final Authenticated auth;
  private final Pool primary;
  private final ReadYourWrites reads;
  private final SittingStore sittings = new SittingStore();
  private final PetStore pets = new PetStore();

  public SittingsApi(Services services) {
    this.auth = new Authenticated(services.tokens());
    this.primary = services.db().primary();
    this.reads = new ReadYourWrites(services.db(), services.redis().api(), services.config().db().replica());
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/sittings").handler(auth).handler(Replies.json(201, this::create));
    router.get("/api/v1/sittings").handler(auth).handler(Replies.json(200, this::list));
    router.get("/api/v1/sittings/:id").handler(auth).handler(Replies.json(200, this::get));
    router.patch("/api/v1/sittings/:id").handler(auth).handler(Replies.json(200, this::change));
    router.delete("/api/v1/sittings/:id").handler(auth).handler(Replies.noContent(this::delete));
  }

  private Future<Sitting> create(RoutingContext ctx) {
    var principal = Authenticated.principal(ctx);
    long me = principal.userId();
    SittingInput in = Requests.body(ctx, SittingInput.class);
    List<Long> petIds = petIds(in.petIds());
    Sitting draft = validated(0, new UserRef(me, principal.name()), List.of(), in.city(), in.startDate(), in.endDate(),
        in.reward(), in.housingTypes(), in.text(), "open", true);
    return primary.withTransaction(tx -> ownPets(tx, me, petIds)
            .compose(refs -> sittings.insert(tx, withPets(draft, refs))))
        .compose(id -> reads.wrote(me).compose(v -> sittings.byId(primary, id)))
        .onSuccess(created -> ctx.response().putHeader("Location", "/api/v1/sittings/" + created.id()));
  }

  private Future<Page<Sitting>> list(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    SittingStore.Filter filter = new SittingStore.Filter(
        Validate.optionalLine("city", Requests.query(ctx, "city"), 64),
        Validate.optionalOneOf("species", Requests.query(ctx, "species"), Pet.SPECIES),
        Requests.queryDate(ctx, "from"),
        Requests.queryDate(ctx, "to"));
    if (filter.from() != null && filter.to() != null && filter.to().isBefore(filter.from())) {
      throw Problem.badRequest("to must not be before from");
    }
    Page.Request page = Page.request(ctx);
    return reads.read(me, db -> sittings.list(db, filter, page.beforeId(), page.limit() + 1))
        .map(rows -> Page.of(rows, page.limit(), Sitting::id));
  }

  private Future<Sitting> get(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long id = Requests.pathId(ctx, "id");
    return reads.read(me, db -> sittings.byId(db, id)).map(s -> found(s, id));
  }

  private Future<Sitting> change(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long id = Requests.pathId(ctx, "id");
    Requests.Patch<SittingInput> patch = Requests.patch(ctx, SittingInput.class);
    SittingInput in = patch.value();
    List<Long> petIds = patch.has("petIds") ? petIds(in.petIds()) : null;
    return primary.withTransaction(tx -> ownedForChange(tx, id, me)
            .compose(v -> sittings.byId(tx, id))
            .compose(current -> {
              Sitting changed = validated(id, current.owner(), current.pets(),
                  patch.pick("city", in.city(), current.city()),
                  patch.pick("startDate", in.startDate(), current.startDate()),
                  patch.pick("endDate", in.endDate(), current.endDate()),
                  patch.pick("reward", in.reward(), current.reward()),
                  patch.pick("housingTypes", in.housingTypes(), current.housingTypes()),
                  patch.pick("text", in.text(), current.text()),
                  Validate.oneOf("status", patch.pick("status", in.status(), current.status()), Sitting.STATUSES),
                  // A sitting that has begun may still be edited; only a new start must not be in the past.
                  patch.has("startDate"));
              if (petIds == null) {
                return sittings.update(tx, changed, false);
              }
              return ownPets(tx, me, petIds).compose(refs -> sittings.update(tx, withPets(changed, refs), true));
            }))
        .compose(v -> reads.wrote(me))
        .compose(v -> sittings.byId(primary, id));
  }

  private Future<Void> delete(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long id = Requests.pathId(ctx, "id");
    return primary.withTransaction(tx -> ownedForChange(tx, id, me).compose(v -> sittings.delete(tx, id)))
        .compose(v -> reads.wrote(me));
  }

  /** Locks the sitting and checks that {@code me} owns it: 404 when it does not exist, 403 when another's. */
  private Future<Void> ownedForChange(SqlClient tx, long id, long me) {
    return sittings.lockOwner(tx, id).map(owner -> {
      if (owner == null) {
        throw Problem.notFound("no sitting " + id);
      }
      if (owner != me) {
        throw Problem.forbidden("only the owner of sitting " + id + " can change it");
      }
      return null;
    });
  }

  /** The caller's pets named by {@code petIds}, in that order; a 400 names the first id that is not one. */
  private Future<List<Sitting.PetRef>> ownPets(SqlClient tx, long me, List<Long> petIds) {
    return pets.ofOwner(tx, me).map(own -> {
      Map<Long, Pet> byId = own.stream().collect(Collectors.toMap(Pet::id, Function.identity()));
      List<Sitting.PetRef> refs = new ArrayList<>();
      for (Long id : petIds) {
        Pet pet = byId.get(id);
        if (pet == null) {
          throw Problem.badRequest("petIds: pet " + id + " is not one of your pets");
        }
        refs.add(new Sitting.PetRef(pet.id(), pet.name(), pet.species()));
      }
      return refs;
    });
  }

  private static List<Long> petIds(List<Long> raw) {
    List<Long> ids = List.copyOf(new LinkedHashSet<>(Validate.size("petIds", raw, 1, MAX_PETS)));
    for (Long id : ids) {
      if (id <= 0) {
        throw Problem.badRequest("petIds: pet " + id + " is not one of your pets");
      }
    }
    return ids;
  }

  static Sitting validated(long id, UserRef owner, List<Sitting.PetRef> pets, String city, LocalDate start,
                           LocalDate end, String reward, List<String> housingTypes, String text, String status,
                           boolean checkStartNotPast) {
    Validate.required("startDate", start);
    Validate.required("endDate", end);
    if (end.isBefore(start)) {
      throw Problem.badRequest("endDate must not be before startDate");
    }
    // "Today" in the westernmost time zone: a date that is still today somewhere is not past.
    if (checkStartNotPast && start.isBefore(LocalDate.now(ZoneOffset.ofHours(-12)))) {
      throw Problem.badRequest("startDate must not be in the past; got " + start);
    }
    LinkedHashSet<String> housing = new LinkedHashSet<>();
    for (String type : Validate.size("housingTypes", housingTypes, 1, Sitting.HOUSING_TYPES.size() * 2)) {
      housing.add(Validate.oneOf("housingTypes", type, Sitting.HOUSING_TYPES));
    }
    // Stored in the enum's order, whatever order the client sent.
    List<String> canonical = Sitting.HOUSING_TYPES.stream().filter(housing::contains).toList();
    return new Sitting(id, owner, pets,
        Validate.line("city", city, 1, 64),
        start, end,
        Validate.optionalLine("reward", reward, 200),
        canonical,
        Validate.optionalText("text", text, 4000),
        status, null);
  }

  private static Sitting withPets(Sitting s, List<Sitting.PetRef> pets) {
    return new Sitting(s.id(), s.owner(), pets, s.city(), s.startDate(), s.endDate(), s.reward(), s.housingTypes(),
        s.text(), s.status(), s.createdAt());
  }

  private static Sitting found(Sitting s, long id) {
    if (s == null) {
      throw Problem.notFound("no sitting " + id);
    }
    return s;
  }
}
