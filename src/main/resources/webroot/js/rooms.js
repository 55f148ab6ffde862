// The client-side state of the user's rooms: what GET /api/v1/rooms said, the history loaded so
// far, messages being sent, read marks, typing and presence, kept current from the
// ChatConnection's events. Views listen for `change` events ({room, what}) and render from it.

const TYPING_SHOWN_MS = 5000;
const PAGE = 50;

export class RoomsModel extends EventTarget {
  /**
   * @param {object} deps
   * @param {ReturnType<import('./api.js').createApi>} deps.api
   * @param {import('./chat-connection.js').ChatConnection} deps.conn
   * @param {{id: number, name: string}} deps.me
   */
  constructor({ api, conn, me }) {
    super();
    this.api = api;
    this.conn = conn;
    this.me = me;
    /** @type {Map<number, object>} */
    this.rooms = new Map();
    /** user id -> {online, lastSeen} as the last `presence` push said */
    this.presence = new Map();
    /** user id -> display name, from the members of every room */
    this.names = new Map([[me.id, me.name]]);
    /** the room on screen, whose messages count as seen while the page is visible */
    this.openRoom = null;
    this._refreshing = null;

    conn.addEventListener('message', (e) => this._onMessage(e.detail.message));
    conn.addEventListener('ack', (e) => this._onAck(e.detail));
    conn.addEventListener('send-failed', (e) => this._onSendFailed(e.detail));
    conn.addEventListener('receipt', (e) => this._onReceipt(e.detail));
    conn.addEventListener('typing', (e) => this._onTyping(e.detail));
    conn.addEventListener('presence', (e) => this._onPresence(e.detail));
    conn.addEventListener('room', () => this.refresh());
    conn.addEventListener('reset', (e) => this._onReset(e.detail.room));
  }

  /** Loads the room list (every page) and has the connection follow each room from its head. */
  async load() {
    let cursor;
    do {
      const page = await this.api.rooms(cursor);
      for (const view of page.items) this._upsert(view);
      cursor = page.nextCursor;
    } while (cursor);
    this._changed(null, 'list');
  }

  /** load(), at most one at a time; used when rooms appear. */
  refresh() {
    this._refreshing ??= this.load().catch(() => {}).finally(() => {
      this._refreshing = null;
    });
    return this._refreshing;
  }

  _upsert(view) {
    let room = this.rooms.get(view.id);
    const isNew = !room;
    if (!room) {
      room = {
        id: view.id,
        kind: view.kind,
        name: null,
        members: [],
        lastMessage: null,
        readSeq: 0,
        head: 0,
        epoch: view.epoch,
        messages: new Map(), // seq -> message
        historyLoaded: false,
        hasOlder: false,
        pending: new Map(), // cid -> {cid, text, ts, status: 'sending'|'sent'|'failed', error}
        readBy: new Map(), // other user id -> seq they have read up to
        typing: new Map(), // user id -> timer
      };
      this.rooms.set(view.id, room);
    }
    room.kind = view.kind ?? room.kind;
    room.name = view.name ?? room.name;
    room.members = view.members ?? room.members;
    for (const m of room.members) this.names.set(m.id, m.name);
    room.readSeq = Math.max(room.readSeq, view.readSeq ?? 0);
    room.head = Math.max(room.head, view.head ?? 0);
    room.epoch = view.epoch ?? room.epoch;
    if (view.lastMessage && (!room.lastMessage || view.lastMessage.seq >= room.lastMessage.seq)) {
      room.lastMessage = view.lastMessage;
      this._noteSender(room, view.lastMessage);
    }
    if (isNew) this.conn.track(room.id, { after: view.head ?? 0, epoch: view.epoch ?? null });
    return room;
  }

  get(id) {
    return this.rooms.get(id);
  }

  /** Rooms, the most recently active first. */
  list() {
    const activity = (r) => (r.lastMessage ? Date.parse(r.lastMessage.ts) : 0);
    return [...this.rooms.values()].sort((a, b) => activity(b) - activity(a) || b.id - a.id);
  }

  others(room) {
    return room.members.filter((m) => m.id !== this.me.id);
  }

  title(room) {
    if (room.kind === 'group' && room.name) return room.name;
    const names = this.others(room).map((m) => m.name);
    return names.length ? names.join(', ') : room.name || `Chat ${room.id}`;
  }

  nameOf(userId) {
    if (userId === 0) return 'Pet Meeting';
    if (userId === this.me.id) return 'You';
    return this.names.get(userId) ?? `User ${userId}`;
  }

  unread(room) {
    return Math.max(0, room.head - room.readSeq);
  }

  /** Whether anyone else in the room is typing, as names. */
  typingNames(room) {
    return [...room.typing.keys()].map((id) => this.nameOf(id));
  }

  /** 'sending' | 'sent' | 'seen' | 'failed' for an own message (confirmed or pending). */
  status(room, item) {
    if (item.seq === undefined) return item.status;
    for (const [user, seq] of room.readBy) {
      if (user !== this.me.id && seq >= item.seq) return 'seen';
    }
    return 'sent';
  }

  /** Loads the newest page of history once. */
  async loadLatest(room) {
    if (room.historyLoaded) return;
    const page = await this.api.messages(room.id, { limit: PAGE });
    this._addHistory(room, page);
    room.hasOlder = page.more;
    room.historyLoaded = true;
    this._changed(room, 'messages');
  }

  /** Loads the page before the oldest message held; false when there is nothing older. */
  async loadOlder(room) {
    const oldest = this.oldestSeq(room);
    if (!room.hasOlder || oldest <= 1) {
      room.hasOlder = false;
      return false;
    }
    const page = await this.api.messages(room.id, { before: oldest, limit: PAGE });
    this._addHistory(room, page);
    room.hasOlder = page.more && page.messages.length > 0;
    this._changed(room, 'older');
    return true;
  }

  oldestSeq(room) {
    let min = Infinity;
    for (const seq of room.messages.keys()) min = Math.min(min, seq);
    return min;
  }

  _addHistory(room, page) {
    if (room.epoch && page.epoch && page.epoch !== room.epoch) {
      room.messages.clear();
    }
    room.epoch = page.epoch ?? room.epoch;
    room.head = Math.max(room.head, page.head ?? 0);
    for (const m of page.messages) this._store(room, m);
  }

  /** Messages on screen, oldest first, then what is being sent. */
  items(room) {
    const confirmed = [...room.messages.values()].sort((a, b) => a.seq - b.seq);
    const pending = [...room.pending.values()].map((p) => ({ ...p, from: this.me.id, pending: true }));
    return confirmed.concat(pending);
  }

  send(roomId, text) {
    const room = this.rooms.get(roomId);
    const { cid, acked } = this.conn.send(roomId, text);
    room.pending.set(cid, { cid, text, ts: new Date().toISOString(), status: 'sending' });
    this._changed(room, 'messages');
    return acked;
  }

  /** Called when messages up to seq have been on screen: moves the read mark forward. */
  markRead(roomId, seq) {
    const room = this.rooms.get(roomId);
    if (!room || seq <= room.readSeq) return;
    room.readSeq = seq;
    this.conn.read(roomId, seq);
    this._changed(room, 'read');
  }

  // ---------------------------------------------------------------- connection events

  _onMessage(m) {
    let room = this.rooms.get(m.room);
    if (!room) {
      room = this._upsert({ id: m.room, kind: 'direct', epoch: m.epoch, head: 0 });
      this.refresh(); // names and members of the new room
    }
    this._store(room, m);
    room.head = Math.max(room.head, m.seq);
    if (!room.lastMessage || m.seq >= room.lastMessage.seq) room.lastMessage = m;
    if (m.from === this.me.id) {
      room.pending.delete(m.cid);
      room.readSeq = Math.max(room.readSeq, m.seq); // sending moves the sender's read mark
    } else {
      this._stopTyping(room, m.from);
    }
    this._changed(room, 'messages', m);
  }

  _store(room, m) {
    if (!room.historyLoaded && room.messages.size === 0 && m.seq > 1) room.hasOlder = true;
    room.messages.set(m.seq, m);
    this._noteSender(room, m);
  }

  /** Sending moves the sender's read mark to their message, so they have read up to it. */
  _noteSender(room, m) {
    if (m.from > 0 && m.from !== this.me.id && (room.readBy.get(m.from) ?? 0) < m.seq) {
      room.readBy.set(m.from, m.seq);
    }
  }

  _onAck({ room: roomId, cid, seq }) {
    const room = this.rooms.get(roomId);
    const p = room?.pending.get(cid);
    // The `message` event (usually just before the ack) replaces it; until then it shows as sent.
    if (p && !room.messages.has(seq)) {
      p.status = 'sent';
      this._changed(room, 'messages');
    } else if (p) {
      room.pending.delete(cid);
      this._changed(room, 'messages');
    }
  }

  _onSendFailed({ room: roomId, cid, error }) {
    const room = this.rooms.get(roomId);
    const p = room?.pending.get(cid);
    if (p) {
      p.status = 'failed';
      p.error = error.message;
      this._changed(room, 'messages');
    }
  }

  _onReceipt({ room: roomId, user, seq }) {
    const room = this.rooms.get(roomId);
    if (!room) return;
    if ((room.readBy.get(user) ?? 0) < seq) room.readBy.set(user, seq);
    this._changed(room, 'receipt');
  }

  _onTyping({ room: roomId, user }) {
    const room = this.rooms.get(roomId);
    if (!room || user === this.me.id) return;
    clearTimeout(room.typing.get(user));
    room.typing.set(user, setTimeout(() => this._stopTyping(room, user), TYPING_SHOWN_MS));
    this._changed(room, 'typing');
  }

  _stopTyping(room, user) {
    if (!room.typing.has(user)) return;
    clearTimeout(room.typing.get(user));
    room.typing.delete(user);
    this._changed(room, 'typing');
  }

  _onPresence({ user, online, lastSeen }) {
    this.presence.set(user, { online, lastSeen });
    this._changed(null, 'presence');
  }

  _onReset(roomId) {
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.messages.clear();
    room.historyLoaded = false;
    room.hasOlder = false;
    room.head = 0;
    room.readSeq = 0;
    this._changed(room, 'reset');
  }

  _changed(room, what, message) {
    this.dispatchEvent(new CustomEvent('change', { detail: { room, what, message } }));
  }
}
