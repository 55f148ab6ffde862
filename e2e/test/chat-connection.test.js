// Unit tests of the reference protocol client (webroot/js/chat-connection.js) against a fake
// WebSocket server that the test drives frame by frame: ordering across sync and live pushes,
// gap repair, resending with the same cid, retry rules, epochs, throttling, reconnects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatConnection, State } from '../../src/main/resources/webroot/js/chat-connection.js';

/** A server that answers auth and ping, records every other frame and can push or drop. */
class FakeServer {
  constructor() {
    this.sockets = [];
    this.frames = [];
    this.waiters = [];
    this.refuseToken = false;
    const server = this;
    this.WebSocket = class FakeWebSocket {
      constructor(url) {
        this.url = url;
        this.readyState = 0;
        server.sockets.push(this);
        queueMicrotask(() => {
          this.readyState = 1;
          this.onopen?.();
        });
      }

      send(data) {
        assert.equal(this.readyState, 1, 'send on an open socket only');
        const frame = JSON.parse(data);
        if (frame.type === 'auth') {
          if (server.refuseToken) {
            this.push({ type: 'error', id: frame.id, code: 'unauthorized', message: 'bad token' });
            this.drop(4401);
          } else {
            this.push({ type: 'welcome', id: frame.id, user: { id: 7, name: 'mina' }, session: 's', pingIntervalSec: 25, pingTimeoutSec: 60 });
          }
          return;
        }
        if (frame.type === 'ping') {
          this.push({ type: 'pong', id: frame.id });
          return;
        }
        server.frames.push({ ws: this, frame });
        server._wake();
      }

      close(code = 1000) {
        if (this.readyState > 1) return;
        this.readyState = 3;
        this.closedWith = code;
        queueMicrotask(() => this.onclose?.({ code, reason: '' }));
      }

      /** Server side: a frame to the client. */
      push(frame) {
        if (this.readyState !== 1) return;
        queueMicrotask(() => this.onmessage?.({ data: JSON.stringify(frame) }));
      }

      /** Server side: the connection is gone. */
      drop(code = 1006) {
        if (this.readyState > 1) return;
        this.readyState = 3;
        queueMicrotask(() => this.onclose?.({ code, reason: '' }));
      }
    };
  }

  get current() {
    return this.sockets[this.sockets.length - 1];
  }

  _wake() {
    for (const w of [...this.waiters]) {
      const i = this.frames.findIndex(w.match);
      if (i >= 0) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(this.frames.splice(i, 1)[0]);
      }
    }
  }

  /** The next frame the client sent that matches (consumed), as {ws, frame}. */
  next(type, match = () => true, timeoutMs = 2000) {
    const m = ({ frame }) => frame.type === type && match(frame);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.match !== m);
        reject(new Error(`no ${type} frame came`));
      }, timeoutMs);
      this.waiters.push({ match: m, resolve: (x) => { clearTimeout(timer); resolve(x); } });
      this._wake();
    });
  }

  /** Answers a sync with messages (oldest first) and head. */
  synced({ ws, frame }, messages, { head, more = false, epoch = 'e1', reset } = {}) {
    ws.push({ type: 'synced', id: frame.id, room: frame.room, epoch, head: head ?? messages.at(-1)?.seq ?? frame.after, messages, more, ...(reset ? { reset } : {}) });
  }
}

function msg(room, seq, text = `m${seq}`, extra = {}) {
  return { type: 'message', room, seq, epoch: 'e1', cid: `c${seq}`, from: 8, text, ts: '2026-12-03T10:00:00Z', kind: 'text', ...extra };
}

function client(server, options = {}) {
  const events = [];
  const conn = new ChatConnection({ url: 'ws://test/ws', token: 't', WebSocket: server.WebSocket, window: options.window ?? null, initialBackoffMs: 1, maxBackoffMs: 5, ...options });
  for (const type of ['state', 'message', 'ack', 'send-failed', 'reset', 'unauthorized', 'receipt', 'typing', 'presence', 'room']) {
    conn.addEventListener(type, (e) => events.push({ type, ...e.detail }));
  }
  const seqs = (room) => events.filter((e) => e.type === 'message' && e.message.room === room).map((e) => e.message.seq);
  return { conn, events, seqs };
}

function until(predicate, what = 'condition') {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (predicate()) resolve();
      else if (Date.now() - started > 2000) reject(new Error(`timed out waiting for ${what}`));
      else setImmediate(check);
    };
    check();
  });
}

describe('ChatConnection', () => {
  it('authenticates with the first frame and goes online', async () => {
    const server = new FakeServer();
    const { conn, events } = client(server);
    conn.start();
    await until(() => conn.state === State.ONLINE, 'online');
    assert.deepEqual(events.filter((e) => e.type === 'state').map((e) => e.state), ['connecting', 'online']);
    assert.deepEqual(conn.user, { id: 7, name: 'mina' });
    conn.stop();
    assert.equal(conn.state, State.CLOSED);
  });

  it('syncs each tracked room from its last seq and applies live messages after the sync, each once', async () => {
    const server = new FakeServer();
    const { conn, seqs } = client(server);
    conn.track(12, { after: 3, epoch: 'e1' });
    conn.start();
    const sync = await server.next('sync');
    assert.deepEqual({ room: sync.frame.room, after: sync.frame.after, epoch: sync.frame.epoch }, { room: 12, after: 3, epoch: 'e1' });
    // Live messages 7 and 8 arrive before the reply, which pages: 4-5, then 6.
    server.current.push(msg(12, 7));
    server.current.push(msg(12, 8));
    await until(() => true);
    assert.deepEqual(seqs(12), []);
    server.synced(sync, [msg(12, 4), msg(12, 5)], { head: 6, more: true });
    const page2 = await server.next('sync');
    assert.equal(page2.frame.after, 5);
    server.synced(page2, [msg(12, 6)], { head: 6 });
    await until(() => seqs(12).length === 5, 'five messages');
    assert.deepEqual(seqs(12), [4, 5, 6, 7, 8]);
    // A repeat of something delivered is dropped.
    server.current.push(msg(12, 8));
    server.current.push(msg(12, 9));
    await until(() => seqs(12).length === 6, 'message 9');
    assert.deepEqual(seqs(12), [4, 5, 6, 7, 8, 9]);
    conn.stop();
  });

  it('repairs a gap in live messages with a sync before going on', async () => {
    const server = new FakeServer();
    const { conn, seqs } = client(server);
    conn.track(5, { after: 1 });
    conn.start();
    server.synced(await server.next('sync'), [], { head: 1 });
    await until(() => conn.state === State.ONLINE);
    server.current.push(msg(5, 2));
    server.current.push(msg(5, 4)); // 3 went missing
    const repair = await server.next('sync');
    assert.equal(repair.frame.after, 2);
    server.current.push(msg(5, 5));
    server.synced(repair, [msg(5, 3)], { head: 3 });
    await until(() => seqs(5).length === 4, 'four messages');
    assert.deepEqual(seqs(5), [2, 3, 4, 5]);
    conn.stop();
  });

  it('follows a room it was not told about from its start', async () => {
    const server = new FakeServer();
    const { conn, seqs } = client(server);
    conn.start();
    await until(() => conn.state === State.ONLINE);
    server.current.push(msg(30, 3));
    const sync = await server.next('sync');
    assert.equal(sync.frame.after, 0);
    server.synced(sync, [msg(30, 1), msg(30, 2)], { head: 2 });
    await until(() => seqs(30).length === 3);
    assert.deepEqual(seqs(30), [1, 2, 3]);
    conn.stop();
  });

  it('sends unacked messages again with the same cid after a reconnect, and syncs from where it was', async () => {
    const server = new FakeServer();
    const { conn, events, seqs } = client(server);
    conn.track(12, { after: 0 });
    conn.start();
    server.synced(await server.next('sync'), [], { head: 0 });
    const { cid, acked } = conn.send(12, 'hello');
    const first = await server.next('send');
    assert.deepEqual([first.frame.cid, first.frame.text, first.frame.room], [cid, 'hello', 12]);
    server.current.push(msg(12, 1, 'hello', { from: 7, cid }));
    await until(() => seqs(12).length === 1);
    server.current.drop(); // the ack is lost with the connection
    await until(() => server.sockets.length === 2 && conn.state === State.ONLINE, 'reconnected');
    assert.ok(events.some((e) => e.type === 'state' && e.state === 'reconnecting'));
    const sync = await server.next('sync');
    assert.equal(sync.frame.after, 1);
    const again = await server.next('send');
    assert.equal(again.frame.cid, cid);
    server.current.push({ type: 'ack', id: again.frame.id, room: 12, cid, seq: 1, ts: 'x', duplicate: true });
    assert.deepEqual(await acked, { room: 12, cid, seq: 1, ts: 'x', duplicate: true });
    server.synced(sync, [], { head: 1 });
    assert.deepEqual(conn.unacked(), []);
    conn.stop();
  });

  it('retries after rate_limited with the same cid, and gives up on a final error', async () => {
    const server = new FakeServer();
    const { conn, events } = client(server);
    conn.start();
    await until(() => conn.state === State.ONLINE);
    const { cid, acked } = conn.send(1, 'a');
    const first = await server.next('send');
    server.current.push({ type: 'error', id: first.frame.id, code: 'rate_limited', message: 'slow down', retryAfterMs: 5 });
    const retry = await server.next('send');
    assert.equal(retry.frame.cid, cid);
    server.current.push({ type: 'ack', id: retry.frame.id, room: 1, cid, seq: 1, ts: 'x' });
    await acked;

    const big = conn.send(1, 'x'.repeat(5000));
    const tooLarge = await server.next('send');
    server.current.push({ type: 'error', id: tooLarge.frame.id, code: 'too_large', message: 'text too long' });
    await assert.rejects(big.acked, { code: 'too_large' });
    assert.ok(events.some((e) => e.type === 'send-failed' && e.cid === big.cid));
    assert.deepEqual(conn.unacked(), []);
    conn.stop();
  });

  it('starts a room over on a new epoch', async () => {
    const server = new FakeServer();
    const { conn, events, seqs } = client(server);
    conn.track(4, { after: 10, epoch: 'e1' });
    conn.start();
    server.synced(await server.next('sync'), [], { head: 10 });
    await until(() => conn.state === State.ONLINE);
    server.current.push(msg(4, 2, 'after the restart', { epoch: 'e2' }));
    const sync = await server.next('sync');
    assert.deepEqual([sync.frame.after, sync.frame.epoch], [0, 'e2']);
    assert.ok(events.some((e) => e.type === 'reset' && e.room === 4 && e.epoch === 'e2'));
    server.synced(sync, [msg(4, 1, 'x', { epoch: 'e2' }), msg(4, 2, 'y', { epoch: 'e2' })], { epoch: 'e2' });
    await until(() => seqs(4).length === 2);
    assert.deepEqual(seqs(4), [1, 2]);
    conn.stop();
  });

  it('throttles typing and moves read marks only forward, sending the newest after a reconnect', async () => {
    const server = new FakeServer();
    const { conn } = client(server, { typingIntervalMs: 60_000 });
    conn.start();
    await until(() => conn.state === State.ONLINE);
    conn.typing(3);
    conn.typing(3);
    conn.typing(4);
    assert.equal((await server.next('typing')).frame.room, 3);
    assert.equal((await server.next('typing')).frame.room, 4);
    await assert.rejects(server.next('typing', () => true, 50)); // nothing more within a short while

    conn.read(3, 5);
    const read = await server.next('read');
    assert.equal(read.frame.seq, 5);
    server.current.push({ type: 'ok', id: read.frame.id });
    conn.read(3, 4); // backwards: nothing
    server.current.drop();
    conn.read(3, 9); // offline: kept for the next connection
    await until(() => conn.state === State.ONLINE && server.sockets.length === 2);
    assert.equal((await server.next('read')).frame.seq, 9);
    conn.stop();
  });

  it('stops on 4401 and reports it', async () => {
    const server = new FakeServer();
    server.refuseToken = true;
    const { conn, events } = client(server);
    conn.start();
    await until(() => events.some((e) => e.type === 'unauthorized'), 'unauthorized');
    assert.equal(conn.state, State.CLOSED);
    assert.equal(server.sockets.length, 1);
  });

  it('drops the connection when the browser goes offline and reconnects when it is back', async () => {
    const server = new FakeServer();
    const win = new EventTarget();
    win.navigator = { onLine: true };
    const { conn } = client(server, { window: win });
    conn.start();
    await until(() => conn.state === State.ONLINE);
    win.navigator.onLine = false;
    win.dispatchEvent(new Event('offline'));
    assert.equal(conn.state, State.RECONNECTING);
    await until(() => server.sockets[0].readyState === 3, 'closed');
    win.navigator.onLine = true;
    win.dispatchEvent(new Event('online'));
    await until(() => conn.state === State.ONLINE && server.sockets.length >= 2, 'back online');
    conn.stop();
  });
});
