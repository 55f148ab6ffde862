// The list of the user's rooms: title, presence dot (direct rooms), last message, unread badge.
import { h, replace, shortTime } from './dom.js';

export class RoomList {
  /**
   * @param {HTMLElement} root an empty <ul>
   * @param {import('./rooms.js').RoomsModel} model
   */
  constructor(root, model) {
    this.root = root;
    this.model = model;
    this.current = null;
    this.items = new Map(); // room id -> {li, link}
    model.addEventListener('change', () => this.render());
  }

  setCurrent(roomId) {
    this.current = roomId;
    this.render();
  }

  render() {
    const rooms = this.model.list();
    if (rooms.length === 0) {
      replace(this.root, h('li', { class: 'empty muted' }, 'No chats yet. Apply to a sitting request to start one.'));
      this.items.clear();
      return;
    }
    this.root.querySelector('.empty')?.remove();
    const seen = new Set();
    rooms.forEach((room, index) => {
      seen.add(room.id);
      let item = this.items.get(room.id);
      if (!item) {
        const link = h('a', { href: `#/rooms/${room.id}`, class: 'room-link' });
        item = { li: h('li', { class: 'room', dataset: { room: String(room.id) } }, link), link };
        this.items.set(room.id, item);
      }
      this.fill(item, room);
      if (this.root.children[index] !== item.li) this.root.insertBefore(item.li, this.root.children[index] ?? null);
    });
    for (const [id, item] of this.items) {
      if (!seen.has(id)) {
        item.li.remove();
        this.items.delete(id);
      }
    }
  }

  fill({ li, link }, room) {
    const model = this.model;
    const unread = model.unread(room);
    const typing = model.typingNames(room);
    const last = room.lastMessage;
    let preview = '';
    if (typing.length) preview = `${typing.join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing\u2026`;
    else if (last) preview = `${last.from === model.me.id ? 'You: ' : ''}${last.text}`;

    let presence = null;
    const others = model.others(room);
    if (room.kind === 'direct' && others.length === 1) {
      const p = model.presence.get(others[0].id);
      if (p) {
        presence = h('span', { class: `presence ${p.online ? 'online' : 'offline'}`, title: p.online ? 'online' : 'offline' },
          h('span', { class: 'visually-hidden' }, p.online ? ' (online)' : ' (offline)'));
      }
    }

    li.classList.toggle('unread', unread > 0);
    li.classList.toggle('typing', typing.length > 0);
    if (this.current === room.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    replace(link,
      h('span', { class: 'room-top' },
        h('span', { class: 'room-title' }, model.title(room), presence),
        last ? h('time', { class: 'room-time', datetime: last.ts }, shortTime(last.ts)) : null),
      h('span', { class: 'room-bottom' },
        h('span', { class: 'room-preview' }, preview || 'No messages yet'),
        unread > 0 ? h('span', { class: 'badge' }, String(unread),
          h('span', { class: 'visually-hidden' }, unread === 1 ? ' unread message' : ' unread messages')) : null));
  }
}
