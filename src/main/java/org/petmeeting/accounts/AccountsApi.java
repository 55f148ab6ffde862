package org.petmeeting.accounts;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.regex.Pattern;
import org.petmeeting.Services;
import org.petmeeting.db.DbErrors;
import org.petmeeting.db.ReadYourWrites;
import org.petmeeting.http.Problem;
import org.petmeeting.http.Replies;
import org.petmeeting.http.Requests;
import org.petmeeting.http.RestApi;
import org.petmeeting.http.Validate;

/** {@code POST /api/v1/auth/signup} and {@code /login}: the two routes that need no token, and hand one out. */
public final class AccountsApi implements RestApi {
  public record Signup(String username, String password, String displayName) {}

  public record Login(String username, String password) {}

  /** The answer to a sign-up or log-in. */
  public record Session(String token, UserView user) {}

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
  static final int PASSWORD_MIN = 8;
  static final int PASSWORD_MAX = 128;
  /** One answer for an unknown user and a wrong password, so it does not tell which names exist. */
  static final String BAD_PAIR = "the user name or password is wrong";

  private final Services services;
  private final Pool primary;
  private final ReadYourWrites reads;
  private final AccountStore accounts = new AccountStore();
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;

  public AccountsApi(Services services) {
    this.services = services;
    this.primary = services.db().primary();
    this.reads = new ReadYourWrites(services.db(), services.redis().api(), services.config().db().replica());
    this.hasher = new PasswordHasher(services.vertx(), services.config().auth().bcryptCost());
    this.throttle = new LoginThrottle(services.redis().api(), services.config().auth().loginAttemptsPerMinute());
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/auth/signup").handler(Replies.json(201, this::signup));
    router.post("/api/v1/auth/login").handler(Replies.json(200, this::login));
  }

  private Future<Session> signup(RoutingContext ctx) {
    Signup in = Requests.body(ctx, Signup.class);
    String username = Validate.required("username", in.username());
    if (!USERNAME.matcher(username).matches()) {
      throw Problem.badRequest("username must be 3 to 32 characters, each a letter, digit, '_', '.' or '-'");
    }
    String password = Validate.text("password", in.password(), PASSWORD_MIN, PASSWORD_MAX);
    String displayName = in.displayName() == null ? username : Validate.line("displayName", in.displayName(), 1, 64);
    return hasher.hash(password)
        .compose(hash -> accounts.insert(primary, username, hash, displayName))
        .recover(err -> Future.failedFuture(DbErrors.isDuplicateKey(err)
            ? Problem.conflict("the user name '" + username + "' is taken") : err))
        .compose(id -> reads.wrote(id).map(new UserView(id, username, displayName, null, null, null)))
        .map(this::session);
  }

  private Future<Session> login(RoutingContext ctx) {
    Login in = Requests.body(ctx, Login.class);
    // Bounded so that a throttle key stays small; no valid name or password is longer.
    String username = Validate.text("username", in.username(), 1, PASSWORD_MAX);
    String password = Validate.text("password", in.password(), 1, PASSWORD_MAX);
    String address = clientAddress(ctx);
    return throttle.check(username, address)
        // The primary: a log-in right after sign-up must find the new user.
        .compose(v -> accounts.credentials(primary, username))
        .compose(found -> hasher.verify(password, found == null ? null : found.passwordHash())
            .compose(matches -> {
              if (matches) {
                return throttle.recordSuccess(username).map(session(found.user()));
              }
              return throttle.recordFailure(username, address)
                  .compose(v -> Future.failedFuture(Problem.unauthorized(BAD_PAIR)));
            }));
  }

  private Session session(UserView user) {
    return new Session(services.tokens().issue(user.id(), user.name()), user);
  }

  /**
   * The peer address of the connection. Behind a proxy this is the proxy's, unless the router is
   * configured to trust forwarded headers; we do not read X-Forwarded-For ourselves, since any
   * client could send one to dodge the per-address limit.
   */
  private static String clientAddress(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    return host == null || host.isEmpty() ? "unknown" : host;
  }
}
