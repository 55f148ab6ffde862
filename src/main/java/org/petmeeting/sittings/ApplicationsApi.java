package org.petmeeting.sittings;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.petmeeting.Services;
import org.petmeeting.chat.ChatClient;
import org.petmeeting.db.DbErrors;
import org.petmeeting.db.ReadYourWrites;
import org.petmeeting.http.Authenticated;
import org.petmeeting.http.Page;
import org.petmeeting.http.Problem;
import org.petmeeting.http.Replies;
import org.petmeeting.http.Requests;
import org.petmeeting.http.RestApi;
import org.petmeeting.http.Validate;
import org.petmeeting.rooms.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/sittings/{id}/applications}. Applying opens (or reuses) the direct room of the
 * applicant and the owner and posts a system message about the application into it, which the
 * owner receives live.
 *
 * <p>The application row is the record; the chat side effects follow it. When announcing the room
 * or posting the message fails (the chat side is down), the application still stands and the
 * answer is still 201: the room exists and both are members, so the conversation can start, and
 * a retry would only meet the one-application-per-user rule. The failure is logged.
 */
public final class ApplicationsApi implements RestApi {
  private static final Logger log = LoggerFactory.getLogger(ApplicationsApi.class);

  public record ApplicationInput(String motivation, Integer experienceCount, String housingType) {}

  /** The answer to an application: it, and the room where applicant and owner talk. */
  public record Applied(Application application, Room room) {}

  public record Room(long id) {}

  private final Authenticated auth;
  private final Pool primary;
  private final ReadYourWrites reads;
  private final SittingStore sittings = new SittingStore();
  private final ApplicationStore applications = new ApplicationStore();
  private final RoomStore rooms;
  private final ChatClient chat;

  public ApplicationsApi(Services services) {
    this.auth = new Authenticated(services.tokens());
    this.primary = services.db().primary();
    this.reads = new ReadYourWrites(services.db(), services.redis().api(), services.config().db().replica());
    this.rooms = new RoomStore(primary);
    this.chat = new ChatClient(services.vertx());
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/sittings/:id/applications").handler(auth).handler(Replies.json(201, this::apply));
    router.get("/api/v1/sittings/:id/applications").handler(auth).handler(Replies.json(200, this::list));
  }

  private Future<Applied> apply(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long sittingId = Requests.pathId(ctx, "id");
    ApplicationInput in = Requests.body(ctx, ApplicationInput.class);
    String motivation = Validate.text("motivation", in.motivation(), 1, 2000);
    int experience = Validate.range("experienceCount", in.experienceCount(), 0, 1000);
    String housing = Validate.oneOf("housingType", in.housingType(), Sitting.HOUSING_TYPES);
    // The primary: someone may apply the moment a sitting is posted.
    return sittings.byId(primary, sittingId).compose(sitting -> {
      if (sitting == null) {
        throw Problem.notFound("no sitting " + sittingId);
      }
      long owner = sitting.owner().id();
      if (owner == me) {
        throw Problem.forbidden("you cannot apply to your own sitting");
      }
      if (!"open".equals(sitting.status())) {
        throw Problem.conflict("sitting " + sittingId + " is closed to applications");
      }
      if (!sitting.accepts(housing)) {
        throw Problem.badRequest("housingType must be one the sitting accepts: "
            + String.join(", ", sitting.housingTypes()) + "; got '" + housing + "'");
      }
      return applications.exists(primary, sittingId, me)
          .compose(exists -> exists ? Future.failedFuture(alreadyApplied(sittingId)) : rooms.openDirect(me, owner))
          .compose(room -> applications.insert(primary, sittingId, me, motivation, experience, housing, room.roomId())
              .recover(err -> Future.failedFuture(DbErrors.isDuplicateKey(err) ? alreadyApplied(sittingId) : err))
              .compose(id -> reads.wrote(me).compose(v -> applications.byId(primary, id)))
              .compose(application -> announce(sitting, application, room).map(
                  new Applied(application, new Room(room.roomId())))));
    });
  }

  private Future<Page<Application>> list(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long sittingId = Requests.pathId(ctx, "id");
    Page.Request page = Page.request(ctx);
    return reads.read(me, db -> sittings.byId(db, sittingId).compose(sitting -> {
      if (sitting == null) {
        throw Problem.notFound("no sitting " + sittingId);
      }
      if (sitting.owner().id() != me) {
        throw Problem.forbidden("only the owner of sitting " + sittingId + " sees its applications");
      }
      return applications.ofSitting(db, sittingId, page.beforeId(), page.limit() + 1);
    })).map(rows -> Page.of(rows, page.limit(), Application::id));
  }

  /**
   * Tells the chat side about a new room (so open connections of both users see it at once), then
   * posts the system message. Never fails: see the class comment.
   */
  private Future<Void> announce(Sitting sitting, Application application, RoomStore.Opened room) {
    long applicant = application.applicant().id();
    Future<Void> membership = room.created()
        ? chat.membershipChanged(room.roomId(), "created", List.of(applicant, sitting.owner().id()), applicant)
            .recover(err -> {
              log.warn("room {} created for application {}, but the chat side was not told: {}",
                  room.roomId(), application.id(), err.getMessage());
              return Future.succeededFuture();
            })
        : Future.succeededFuture();
    JsonObject meta = new JsonObject().put("application", application.id()).put("sitting", sitting.id());
    return membership
        .compose(v -> chat.postSystem(room.roomId(), systemText(sitting, application), meta))
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("application {} stored, but its system message in room {} was not posted: {}",
              application.id(), room.roomId(), err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** "Mina applied to look after Rex and Luna (2026-12-10 to 2026-12-14)". */
  static String systemText(Sitting sitting, Application application) {
    List<String> names = sitting.pets().stream().map(Sitting.PetRef::name).toList();
    String pets = names.isEmpty() ? "the pets"
        : names.size() == 1 ? names.get(0)
        : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    String dates = sitting.startDate().equals(sitting.endDate()) ? sitting.startDate().toString()
        : sitting.startDate() + " to " + sitting.endDate();
    return application.applicant().name() + " applied to look after " + pets + " (" + dates + ")";
  }

  private static Problem.ProblemException alreadyApplied(long sittingId) {
    return Problem.conflict("you have already applied to sitting " + sittingId);
  }
}
