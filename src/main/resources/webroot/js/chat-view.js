// One room: its messages (older ones load while scrolling up), who is typing, read receipts on
// the user's own messages, and the composer.
import { errorText, h, longTime, replace, shortTime } from './dom.js';

const STATUS_TEXT = { sending: 'Sending\u2026', sent: 'Sent', seen: 'Seen', failed: 'Not sent' };
const NEAR_BOTTOM_PX = 80;

export class ChatView {
  /**
   * @param {HTMLElement} root where to render
   * @param {object} deps {model: RoomsModel, conn: ChatConnection, announce: (text) => void}
   * @param {number} roomId
   */
  constructor(root, { model, conn, announce }, roomId) {
    this.root = root;
    this.model = model;
    this.conn = conn;
    this.announce = announce;
    this.roomId = roomId;
    this.nodes = new Map(); // key -> <li>
    this.loadingOlder = false;
    this.onChange = (e) => this._changed(e.detail);
    this.onVisibility = () => this._markVisibleRead();
  }

  async mount() {
    let room = this.model.get(this.roomId);
    if (!room) {
      await this.model.refresh();
      room = this.model.get(this.roomId);
    }
    if (!room) {
      replace(this.root, h('section', { class: 'view' },
        h('h2', { tabindex: '-1' }, 'Chat not found'),
        h('p', {}, 'This chat does not exist or you are not one of its members.')));
      return;
    }
    this.room = room;
    this.model.openRoom = room.id;
    this._build();
    this.model.addEventListener('change', this.onChange);
    document.addEventListener('visibilitychange', this.onVisibility);
    try {
      await this.model.loadLatest(room);
    } catch (err) {
      this.olderStatus.textContent = errorText(err);
    }
    this._render({ scroll: 'bottom' });
    this.input.focus();
    this._fillViewport();
  }

  /** While the messages do not fill the view there is nothing to scroll: load older ones. */
  _fillViewport() {
    const s = this.scroller;
    if (this.room.hasOlder && s.isConnected && s.scrollHeight <= s.clientHeight + 200) this._loadOlder();
  }

  unmount() {
    this.model.removeEventListener('change', this.onChange);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.observer?.disconnect();
    this.topObserver?.disconnect();
    if (this.model.openRoom === this.roomId) this.model.openRoom = null;
  }

  _build() {
    const room = this.room;
    this.title = h('h2', { id: 'chat-title', tabindex: '-1' });
    this.presence = h('p', { class: 'chat-presence muted', id: 'chat-presence' });
    this.olderButton = h('button', { type: 'button', class: 'link-button', id: 'load-older' }, 'Load older messages');
    this.olderStatus = h('p', { class: 'older-status muted', role: 'status' });
    this.list = h('ol', { class: 'messages', id: 'messages', 'aria-label': 'Messages' });
    this.scroller = h('div', { class: 'message-scroller', tabindex: '0', 'aria-label': 'Conversation' },
      h('div', { class: 'older' }, this.olderButton, this.olderStatus), this.list);
    this.typing = h('p', { class: 'typing-indicator', id: 'typing-indicator', 'aria-live': 'polite' });
    this.input = h('textarea', { id: 'composer', name: 'text', rows: 2, maxlength: 4000, required: true,
      'aria-describedby': 'composer-hint', autocomplete: 'off' });
    this.sendError = h('p', { class: 'form-error', role: 'alert' });
    this.form = h('form', { class: 'composer', 'aria-label': 'Send a message' },
      h('label', { for: 'composer', class: 'visually-hidden' }, 'Message'),
      this.input,
      h('button', { type: 'submit', class: 'primary' }, 'Send'),
      h('p', { id: 'composer-hint', class: 'hint' }, 'Enter sends, Shift+Enter starts a new line.'),
      this.sendError);

    this.olderButton.addEventListener('click', () => this._loadOlder());
    this.input.addEventListener('input', () => {
      if (this.input.value.trim()) this.conn.typing(room.id);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.sendError.textContent = '';
      this.input.value = '';
      this.model.send(room.id, text).catch((err) => {
        this.sendError.textContent = `Your message was not sent: ${errorText(err)}`;
      });
      this._render({ scroll: 'bottom' });
    });

    replace(this.root, h('section', { class: 'chat', 'aria-labelledby': 'chat-title', dataset: { room: String(room.id) } },
      h('header', { class: 'chat-header' }, h('a', { href: '#/rooms', class: 'back-link' }, 'All chats'), this.title, this.presence),
      this.scroller, this.typing, this.form));

    // Seen = on screen while the page is visible: move the read mark to the newest such message.
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) entry.target.dataset.visible = entry.isIntersecting ? '1' : '';
      this._markVisibleRead();
    }, { root: this.scroller, threshold: 0.5 });
    // Scrolling up to the top loads the page before.
    this.topObserver = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this._loadOlder();
    }, { root: this.scroller, rootMargin: '200px 0px 0px 0px' });
    this.topObserver.observe(this.olderButton);
  }

  _changed({ room, what, message }) {
    if (what === 'presence' || what === 'list') {
      this._renderHeader();
      return;
    }
    if (room !== this.room) return;
    if (what === 'reset') {
      this.model.loadLatest(room).catch(() => {});
    }
    if (what === 'messages' && message && message.from !== this.model.me.id && message.seq > this.room.readSeq) {
      this.announce(`${this.model.nameOf(message.from)}: ${message.text}`);
    }
    this._render({ scroll: what === 'older' ? 'keep' : 'follow' });
  }

  async _loadOlder() {
    if (this.loadingOlder || !this.room.hasOlder || !this.room.historyLoaded) return;
    this.loadingOlder = true;
    this.olderStatus.textContent = 'Loading older messages\u2026';
    let loaded = false;
    try {
      loaded = await this.model.loadOlder(this.room);
      this.olderStatus.textContent = '';
    } catch (err) {
      this.olderStatus.textContent = errorText(err);
    } finally {
      this.loadingOlder = false;
      this._renderOlder();
    }
    if (loaded) this._fillViewport();
  }

  _renderHeader() {
    const room = this.room;
    this.title.textContent = this.model.title(room);
    const others = this.model.others(room);
    let text = room.kind === 'group' ? `${room.members.length} members` : '';
    if (room.kind === 'direct' && others.length === 1) {
      const p = this.model.presence.get(others[0].id);
      if (p?.online) text = 'online';
      else if (p?.lastSeen) text = `last seen ${shortTime(p.lastSeen)}`;
      else if (p) text = 'offline';
      this.presence.dataset.online = p?.online ? 'true' : 'false';
    }
    this.presence.textContent = text;
    document.title = `${this.model.title(room)} \u00b7 Pet Meeting`;
  }

  _renderOlder() {
    const more = this.room.hasOlder;
    this.olderButton.hidden = !more;
    if (!more && this.room.historyLoaded && !this.loadingOlder) {
      this.olderStatus.textContent = this.room.messages.size ? 'This is the beginning of the conversation.' : '';
    }
  }

  /** Reconciles the list with the model: keyed nodes, so nothing on screen is rebuilt. */
  _render({ scroll }) {
    const room = this.room;
    const s = this.scroller;
    const nearBottom = s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
    const heightBefore = s.scrollHeight;
    const topBefore = s.scrollTop;

    this._renderHeader();
    this._renderOlder();
    const items = this.model.items(room);
    const keep = new Set();
    items.forEach((item, index) => {
      const key = `${item.from}:${item.cid ?? `s${item.seq}`}`;
      keep.add(key);
      let li = this.nodes.get(key);
      if (!li) {
        li = h('li');
        this.nodes.set(key, li);
      }
      this._fill(li, item);
      if (this.list.children[index] !== li) this.list.insertBefore(li, this.list.children[index] ?? null);
    });
    for (const [key, li] of this.nodes) {
      if (!keep.has(key)) {
        this.observer.unobserve(li);
        li.remove();
        this.nodes.delete(key);
      }
    }

    const names = this.model.typingNames(room);
    this.typing.textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing\u2026` : '';

    if (scroll === 'bottom' || (scroll === 'follow' && nearBottom)) {
      s.scrollTop = s.scrollHeight;
    } else if (scroll === 'keep') {
      s.scrollTop = topBefore + (s.scrollHeight - heightBefore);
    }
  }

  _fill(li, item) {
    const model = this.model;
    const mine = item.from === model.me.id;
    const system = item.kind === 'system';
    const status = mine ? model.status(this.room, item) : null;
    const signature = `${item.seq ?? ''}|${status ?? ''}|${item.text}`;
    if (li.dataset.signature === signature) return;
    li.dataset.signature = signature;
    li.className = `message ${system ? 'system' : mine ? 'mine' : 'theirs'}${item.pending ? ' pending' : ''}`;
    if (item.seq !== undefined) li.dataset.seq = String(item.seq);
    else delete li.dataset.seq;
    li.dataset.cid = item.cid ?? '';
    if (status) li.dataset.status = status;
    replace(li,
      system ? null : h('span', { class: 'message-from' }, mine ? 'You' : model.nameOf(item.from)),
      h('p', { class: 'message-text' }, item.text),
      h('span', { class: 'message-meta' },
        h('time', { datetime: item.ts, title: longTime(item.ts) }, shortTime(item.ts)),
        status ? h('span', { class: `message-status ${status}` }, STATUS_TEXT[status]) : null,
        item.error ? h('span', { class: 'form-error' }, ` (${item.error})`) : null));
    if (!mine && item.seq !== undefined) this.observer.observe(li);
  }

  _markVisibleRead() {
    if (document.visibilityState !== 'visible') return;
    let newest = 0;
    for (const li of this.list.querySelectorAll('li[data-visible="1"][data-seq]')) {
      newest = Math.max(newest, Number(li.dataset.seq));
    }
    if (newest > 0) this.model.markRead(this.roomId, newest);
  }
}
