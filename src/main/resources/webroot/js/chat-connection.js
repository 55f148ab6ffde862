// ChatConnection: a client of the Pet Meeting WebSocket contract (docs/PROTOCOL.md, version 1).
//
// It is the reference client: it uses only the public contract and has no dependency on the
// page around it, so it can be copied into another application (it needs a WebSocket class and,
// optionally, `window` for the online/offline events).
//
// What it does for its user:
//
// - Connects to /ws, authenticates with the token in the first frame (`auth`), and keeps the
//   connection up: it reconnects after a drop with exponential backoff and jitter, at once when
//   the browser comes back online, after `afterMs` when the server sends `reconnect`, and it
//   notices a silent connection with its own `ping` (no `pong` in time: the connection is
//   dropped and opened again). It does not reconnect after 4401 (the token is no longer valid):
//   it emits `unauthorized` and stops.
// - Keeps, per room, the last `seq` it has delivered and the room's `epoch`. Every `message` event
//   it emits comes in `seq` order, once, with no gap. After each (re)connection it sends `sync`
//   for every room it knows, from that last seq, paging while `more` is true; live messages of a
//   room that arrive meanwhile are held and applied after the sync (see "Notes on this
//   implementation" in docs/PROTOCOL.md). A live message that would leave a gap (which the
//   server's guarantee rules out, but a caller's `track` can cause) is held and the gap synced.
//   A message already delivered (seq at or below the last) is dropped: this happens when the
//   caller tracks a room from a REST snapshot taken after the connection started.
// - Rooms to follow come from `track(room, {after, epoch})`: `after` is the seq up to which the
//   caller has (or will fetch) the history itself, typically the `head` of GET /api/v1/rooms.
//   Track the rooms you know before start(), so that each (re)connection syncs only what is new.
//   A room that appears later (a `room` event `created`, or a live message of a room not
//   tracked) is followed from seq 0: its whole history is synced, in order, before its live
//   messages, so nothing sent between the room's creation and the connection is lost.
// - Sends messages through an outbox: each gets a `cid` (`crypto.randomUUID()` unless given) and
//   stays in the outbox until its `ack`. Unacked messages are sent again, with the same `cid`,
//   after a reconnect, after `rate_limited` (once `retryAfterMs` has passed), after
//   `unavailable`/`internal` (with backoff) and when no reply came in `requestTimeoutMs`; the
//   server stores a `cid` once, so a retry never duplicates a message. Other errors are final.
// - Throttles `typing` to one frame per room every `typingIntervalMs` (the server forwards no
//   more anyway), and sends `read` only when it moves the mark forward, keeping the newest one
//   for the next connection when offline.
// - A new `epoch` (the room's sequence was restarted) emits `reset` for that room and syncs it
//   from the start.
//
// Events (an EventTarget; each event is a CustomEvent whose `detail` is shown):
//   state        {state, previous}           'connecting' | 'online' | 'reconnecting' | 'closed'
//   welcome      {user, session, pingIntervalSec, pingTimeoutSec}
//   message      {message, source}           message: as the `message` push; source: 'live' | 'sync'
//   ack          {room, cid, seq, ts, duplicate}
//   send-failed  {room, cid, error}          error: ProtocolError (final; the message was not stored)
//   receipt      {room, user, seq}
//   typing       {room, user}
//   presence     {user, online, lastSeen}
//   room         {room, event, user}         'joined' | 'left' | 'created'
//   reset        {room, epoch}               drop what is cached for the room; messages follow
//   synced       {room, head}                a room's sync finished; everything up to head is delivered
//   unauthorized {code, reason}              the token was refused; the connection is closed
//   error        {code, message}             an error push that answers no request
//
// Minimal use:
//
//   const conn = new ChatConnection({ url: 'ws://127.0.0.1:8080/ws', token });
//   conn.addEventListener('message', (e) => show(e.detail.message));
//   conn.track(12, { after: 40, epoch: 'e9' });   // e.g. the room's head from GET /api/v1/rooms
//   conn.start();
//   const { cid, acked } = conn.send(12, 'hello');

/** Connection states, in the `state` event and the `state` property. */
export const State = Object.freeze({
  CONNECTING: 'connecting',
  ONLINE: 'online',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
});

/** An `error` frame answering a request, or a request that could not complete. */
export class ProtocolError extends Error {
  constructor(code, message, retryAfterMs) {
    super(message || code);
    this.name = 'ProtocolError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Error codes after which a send is worth trying again with the same cid. */
const RETRYABLE = new Set(['rate_limited', 'unavailable', 'internal', 'timeout', 'connection_lost']);

const DEFAULTS = {
  /** First reconnect delay; doubled on each failed attempt up to maxBackoffMs, with jitter. */
  initialBackoffMs: 500,
  maxBackoffMs: 10000,
  /** How long a request waits for its reply before it fails with `timeout`. */
  requestTimeoutMs: 10000,
  /** How long a `ping` waits for its `pong` before the connection is taken as dead. */
  pongTimeoutMs: 10000,
  /** Used until `welcome` announces the server's ping interval. */
  pingIntervalSec: 25,
  /** At most one `typing` frame per room in this time. */
  typingIntervalMs: 2000,
  /** Messages asked for per `sync` request. */
  syncLimit: 100,
};

export class ChatConnection extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL, e.g. ws://host:port/ws
   * @param {string} options.token the JWT access token from the REST API
   * @param {typeof WebSocket} [options.WebSocket] the WebSocket class (the global one by default)
   * @param {Window} [options.window] where to listen for online/offline (the global one, if any)
   * Other options: see DEFAULTS above.
   */
  constructor({ url, token, WebSocket: WebSocketClass = globalThis.WebSocket, window: win = globalThis.window, ...rest }) {
    super();
    this.url = url;
    this.token = token;
    this.options = { ...DEFAULTS, ...rest };
    this.WebSocket = WebSocketClass;
    this.window = win;
    /** @type {string} */
    this.state = State.CLOSED;
    /** The user from the last `welcome`. */
    this.user = null;

    this._ws = null;
    this._started = false;
    this._welcomed = false;
    this._attempt = 0;
    this._nextId = 1;
    this._pending = new Map(); // request id -> {resolve, reject, timer}
    this._rooms = new Map(); // room id -> {last, epoch, syncing, held}
    this._reads = new Map(); // room id -> {sent, wanted}: read marks this client moved
    this._outbox = new Map(); // cid -> {room, cid, text, meta, resolve, reject, inFlight, retryTimer}
    this._typingSent = new Map(); // room id -> time of the last typing frame
    this._reconnectTimer = null;
    this._reconnectAfterMs = null;
    this._pingTimer = null;
    this._pingIntervalMs = this.options.pingIntervalSec * 1000;

    this._onOnline = () => this._browserOnline();
    this._onOffline = () => this._browserOffline();
  }

  // ---------------------------------------------------------------- public API

  /** Opens the connection and keeps it open until stop(). */
  start() {
    if (this._started) return;
    this._started = true;
    this.window?.addEventListener?.('online', this._onOnline);
    this.window?.addEventListener?.('offline', this._onOffline);
    this._connect();
  }

  /** Closes the connection for good; unacked sends fail with `closed`. */
  stop() {
    if (!this._started) return;
    this._started = false;
    this.window?.removeEventListener?.('online', this._onOnline);
    this.window?.removeEventListener?.('offline', this._onOffline);
    clearTimeout(this._reconnectTimer);
    this._teardown(1000, 'client stopped');
    for (const entry of this._outbox.values()) {
      clearTimeout(entry.retryTimer);
      entry.reject(new ProtocolError('closed', 'the connection was stopped'));
    }
    this._outbox.clear();
    this._setState(State.CLOSED);
  }

  /**
   * Follows a room from `after` (the last seq the caller already has, e.g. the `head` of
   * GET /api/v1/rooms) in `epoch`. When connected, the room is synced at once, so that the
   * messages between `after` and the live stream are delivered. A room already followed keeps
   * its position: what it has not delivered yet, it still will.
   */
  track(room, { after = 0, epoch = null } = {}) {
    const r = this._rooms.get(room);
    if (r) {
      if (!r.epoch && epoch) r.epoch = epoch;
      return;
    }
    this._rooms.set(room, newRoom(after, epoch));
    if (this._welcomed) this._sync(room);
  }

  /** The last seq delivered for the room (0 if none), or undefined for a room not followed. */
  lastSeq(room) {
    return this._rooms.get(room)?.last;
  }

  /**
   * Sends a text message. Returns its `cid` at once and `acked`, a promise of the `ack` frame
   * (rejected with a ProtocolError when the server refuses the message for good, or on stop()).
   * Until acked, the message is in the outbox and is sent again as described above.
   */
  send(room, text, { meta, cid = newCid() } = {}) {
    let resolve;
    let reject;
    const acked = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    acked.catch(() => {}); // the 'send-failed' event reports it too; no unhandled rejection
    this._outbox.set(cid, { room, cid, text, meta, resolve, reject, inFlight: false, retryTimer: null, failures: 0 });
    if (this._welcomed) this._transmit(cid);
    return { cid, acked };
  }

  /** The messages sent and not yet acked, oldest first: [{room, cid, text, meta}]. */
  unacked() {
    return [...this._outbox.values()].map(({ room, cid, text, meta }) => ({ room, cid, text, meta }));
  }

  /** Marks the room read up to `seq` (only ever forward). Sent now, or after the next welcome. */
  read(room, seq) {
    let mark = this._reads.get(room);
    if (!mark) this._reads.set(room, (mark = { sent: 0, wanted: 0 }));
    if (seq <= Math.max(mark.sent, mark.wanted)) return;
    mark.wanted = seq;
    if (this._welcomed) this._sendRead(room);
  }

  /** Tells the room's other members that the user is typing; throttled per room. */
  typing(room) {
    if (!this._welcomed) return;
    const now = Date.now();
    if (now - (this._typingSent.get(room) ?? -Infinity) < this.options.typingIntervalMs) return;
    this._typingSent.set(room, now);
    this._write({ type: 'typing', room });
  }

  /** Drops the connection and opens a new one at once (as after a network change). */
  reconnectNow() {
    if (!this._started) return;
    this._attempt = 0;
    this._teardown(4000, 'client reconnect');
    this._scheduleReconnect(0);
  }

  // ---------------------------------------------------------------- connection life

  _connect() {
    clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
    if (!this._started) return;
    // navigator.onLine is only a hint: it reads false on a machine whose only interface is
    // loopback, where a server on the same host is still reachable. So always try; a failed try
    // backs off, and the 'online' event brings a prompt retry.
    this._setState(this.user ? State.RECONNECTING : State.CONNECTING);
    let ws;
    try {
      ws = new this.WebSocket(this.url);
    } catch (err) {
      this._scheduleReconnect();
      return;
    }
    this._ws = ws;
    this._welcomed = false;
    ws.onopen = () => {
      if (ws !== this._ws) return;
      this._request({ type: 'auth', token: this.token })
        .then((welcome) => this._onWelcome(ws, welcome))
        .catch(() => {}); // a refused token closes the socket with 4401; see onclose
    };
    ws.onmessage = (e) => {
      if (ws === this._ws) this._onFrame(e.data);
    };
    ws.onclose = (e) => {
      if (ws === this._ws) this._onClose(e.code, e.reason);
    };
    ws.onerror = () => {}; // always followed by close
  }

  _onWelcome(ws, welcome) {
    if (ws !== this._ws) return;
    this._welcomed = true;
    this._attempt = 0;
    this.user = welcome.user;
    if (welcome.pingIntervalSec > 0) this._pingIntervalMs = welcome.pingIntervalSec * 1000;
    this._startPing();
    this._setState(State.ONLINE);
    this._emit('welcome', {
      user: welcome.user,
      session: welcome.session,
      pingIntervalSec: welcome.pingIntervalSec,
      pingTimeoutSec: welcome.pingTimeoutSec,
    });
    // Everything the previous connection may have missed, then what is still unsent.
    for (const room of this._rooms.keys()) this._sync(room);
    for (const [room, mark] of this._reads) if (mark.wanted > mark.sent) this._sendRead(room);
    for (const cid of this._outbox.keys()) this._transmit(cid);
  }

  _onClose(code, reason) {
    const wasWelcomed = this._welcomed;
    this._teardown();
    if (!this._started) return;
    if (code === 4401) {
      this._started = false;
      this._setState(State.CLOSED);
      this._emit('unauthorized', { code, reason });
      return;
    }
    if (!wasWelcomed) this._attempt++;
    this._scheduleReconnect(this._reconnectAfterMs);
    this._reconnectAfterMs = null;
  }

  /** Forgets the current socket (closing it if open) and what was in flight on it. */
  _teardown(code, reason) {
    const ws = this._ws;
    this._ws = null;
    this._welcomed = false;
    this._stopPing();
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState === 0 || ws.readyState === 1) {
        try {
          ws.close(code ?? 1000, reason ?? '');
        } catch {
          ws.close();
        }
      }
    }
    for (const [id, p] of this._pending) {
      clearTimeout(p.timer);
      p.reject(new ProtocolError('connection_lost', 'the connection was lost'));
      this._pending.delete(id);
    }
    for (const r of this._rooms.values()) {
      r.syncing = false;
      r.held = [];
    }
    for (const entry of this._outbox.values()) entry.inFlight = false;
  }

  _scheduleReconnect(delayMs) {
    if (!this._started) return;
    this._setState(this.user ? State.RECONNECTING : State.CONNECTING);
    clearTimeout(this._reconnectTimer);
    const { initialBackoffMs, maxBackoffMs } = this.options;
    const backoff = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.max(0, this._attempt - 1));
    const delay = delayMs ?? (this._attempt === 0 ? 0 : backoff / 2 + Math.random() * (backoff / 2));
    this._reconnectTimer = setTimeout(() => this._connect(), delay);
  }

  _browserOffline() {
    // Browsers know before TCP does: drop the connection now rather than after a ping timeout.
    if (!this._started || !this._ws) return;
    this._teardown(4000, 'client offline');
    // The 'online' event normally brings us back; the browser can be wrong, so try again later anyway.
    this._attempt = Math.max(this._attempt, 1);
    this._scheduleReconnect(this.options.maxBackoffMs);
  }

  _browserOnline() {
    if (!this._started || this._ws) return;
    this._attempt = 0;
    this._scheduleReconnect(0);
  }

  /** Our own ping: a connection that cannot answer it in time is dead, whatever TCP thinks. */
  _startPing() {
    this._stopPing();
    this._pingTimer = setInterval(() => {
      const ws = this._ws;
      this._request({ type: 'ping' }, this.options.pongTimeoutMs).catch((err) => {
        if (err.code === 'timeout' && ws === this._ws && this._started) {
          this._teardown(4000, 'no pong');
          this._scheduleReconnect(0);
        }
      });
    }, this._pingIntervalMs);
  }

  _stopPing() {
    clearInterval(this._pingTimer);
    this._pingTimer = null;
  }

  // ---------------------------------------------------------------- frames

  _write(frame) {
    if (!this._ws || this._ws.readyState !== 1) return false;
    this._ws.send(JSON.stringify(frame));
    return true;
  }

  /** Sends a request and resolves with its reply (rejects with a ProtocolError). */
  _request(frame, timeoutMs = this.options.requestTimeoutMs) {
    const id = String(this._nextId++);
    return new Promise((resolve, reject) => {
      if (!this._write({ ...frame, id })) {
        reject(new ProtocolError('connection_lost', 'not connected'));
        return;
      }
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new ProtocolError('timeout', `no reply to ${frame.type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this._pending.set(id, { resolve, reject, timer });
    });
  }

  _onFrame(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame.id !== undefined && this._pending.has(frame.id)) {
      const p = this._pending.get(frame.id);
      this._pending.delete(frame.id);
      clearTimeout(p.timer);
      if (frame.type === 'error') p.reject(new ProtocolError(frame.code, frame.message, frame.retryAfterMs));
      else p.resolve(frame);
      return;
    }
    switch (frame.type) {
      case 'message':
        this._onLiveMessage(frame);
        break;
      case 'receipt':
        this._emit('receipt', { room: frame.room, user: frame.user, seq: frame.seq });
        break;
      case 'typing':
        this._emit('typing', { room: frame.room, user: frame.user });
        break;
      case 'presence':
        this._emit('presence', { user: frame.user, online: frame.online, lastSeen: frame.lastSeen });
        break;
      case 'room':
        this._onRoomEvent(frame);
        break;
      case 'reconnect':
        // The node is going away and will close with 1012: come back after afterMs, anywhere.
        this._reconnectAfterMs = Math.max(0, frame.afterMs ?? 0) + Math.random() * 250;
        break;
      case 'error':
        this._emit('error', { code: frame.code, message: frame.message });
        break;
      default:
        break; // pong without a pending ping, or a type this client does not know
    }
  }

  _onRoomEvent(frame) {
    if (frame.event === 'created') {
      this.track(frame.room, { after: 0 }); // a new room: all of it is new
    } else if (frame.event === 'left' && this.user && frame.user === this.user.id) {
      this._rooms.delete(frame.room);
      this._reads.delete(frame.room);
    }
    this._emit('room', { room: frame.room, event: frame.event, user: frame.user });
  }

  // ---------------------------------------------------------------- ordered delivery

  _onLiveMessage(m) {
    let r = this._rooms.get(m.room);
    if (!r) {
      // A room nobody asked to follow: follow it from the start (the gap is synced first).
      r = newRoom(0, null);
      this._rooms.set(m.room, r);
    }
    if (r.syncing) {
      r.held.push(m);
      return;
    }
    this._deliver(m.room, r, m);
  }

  _deliver(room, r, m) {
    if (r.epoch && m.epoch && m.epoch !== r.epoch) {
      this._reset(room, r, m.epoch);
      return; // the sync from the start that _reset began brings this message too
    }
    if (!r.epoch) r.epoch = m.epoch;
    if (m.seq <= r.last) return; // already delivered
    if (m.seq > r.last + 1) {
      r.held.push(m);
      this._sync(room);
      return;
    }
    r.last = m.seq;
    this._emit('message', { message: m, source: 'live' });
  }

  _reset(room, r, epoch) {
    r.epoch = epoch;
    r.last = 0;
    r.held = [];
    this._emit('reset', { room, epoch });
    this._sync(room);
  }

  /** Brings the room up to date from its last seq; live messages wait in `held` meanwhile. */
  async _sync(room) {
    const r = this._rooms.get(room);
    if (!r || r.syncing || !this._welcomed) return;
    r.syncing = true;
    const ws = this._ws;
    try {
      let more = true;
      let head = r.last;
      while (more) {
        const reply = await this._request({ type: 'sync', room, after: r.last, epoch: r.epoch ?? undefined, limit: this.options.syncLimit });
        if (ws !== this._ws || this._rooms.get(room) !== r) return;
        if (reply.reset) {
          r.epoch = reply.epoch;
          r.last = reply.messages.length ? reply.messages[0].seq - 1 : 0;
          r.held = r.held.filter((m) => m.epoch === reply.epoch);
          this._emit('reset', { room, epoch: reply.epoch });
        }
        r.epoch = reply.epoch;
        head = reply.head;
        for (const m of reply.messages) {
          if (m.seq <= r.last) continue;
          r.last = m.seq;
          this._emit('message', { message: m, source: 'sync' });
        }
        more = reply.more && reply.messages.length > 0;
      }
      r.syncing = false;
      const held = r.held.sort((a, b) => a.seq - b.seq);
      r.held = [];
      this._emit('synced', { room, head: Math.max(head, r.last) });
      for (const m of held) {
        if (!r.syncing) this._deliver(room, r, m);
        else if (m.epoch === r.epoch) r.held.push(m); // a gap or reset began a new sync: keep the rest for it
      }
    } catch (err) {
      if (this._rooms.get(room) !== r) return;
      r.syncing = false;
      if (err.code === 'forbidden' || err.code === 'not_found') {
        this._rooms.delete(room); // no longer a member
      } else if (ws === this._ws && this._welcomed && err.code !== 'connection_lost') {
        setTimeout(() => this._sync(room), 1000); // e.g. unavailable: the log is there, try again
      }
      // connection_lost: the next welcome syncs every room again.
    }
  }

  // ---------------------------------------------------------------- sends and reads

  _transmit(cid) {
    const entry = this._outbox.get(cid);
    if (!entry || entry.inFlight || entry.retryTimer || !this._welcomed) return;
    entry.inFlight = true;
    const frame = { type: 'send', room: entry.room, cid, text: entry.text };
    if (entry.meta !== undefined) frame.meta = entry.meta;
    this._request(frame).then(
      (ack) => {
        this._outbox.delete(cid);
        const detail = { room: ack.room, cid: ack.cid, seq: ack.seq, ts: ack.ts, duplicate: !!ack.duplicate };
        entry.resolve(detail);
        this._emit('ack', detail);
      },
      (err) => {
        entry.inFlight = false;
        if (!this._outbox.has(cid)) return;
        if (!RETRYABLE.has(err.code)) {
          this._outbox.delete(cid);
          entry.reject(err);
          this._emit('send-failed', { room: entry.room, cid, error: err });
          return;
        }
        if (err.code === 'connection_lost') return; // sent again after the next welcome
        entry.failures++;
        const delay = err.retryAfterMs ?? Math.min(this.options.maxBackoffMs, 250 * 2 ** entry.failures);
        entry.retryTimer = setTimeout(() => {
          entry.retryTimer = null;
          this._transmit(cid);
        }, delay);
      },
    );
  }

  _sendRead(room) {
    const mark = this._reads.get(room);
    if (!mark || mark.wanted <= mark.sent) return;
    const seq = mark.wanted;
    mark.sent = seq;
    this._request({ type: 'read', room, seq }).catch((err) => {
      // Lost with the connection: the next welcome sends the newest wanted mark again.
      if (RETRYABLE.has(err.code) && mark.sent === seq) mark.sent = 0;
    });
  }

  // ---------------------------------------------------------------- helpers

  _setState(state) {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this._emit('state', { state, previous });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function newRoom(last, epoch) {
  return { last, epoch, syncing: false, held: [] };
}

function newCid() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
