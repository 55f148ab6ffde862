// The page: the session (kept in localStorage), the header with the connection state, the hash
// routes (#/sittings, #/sittings/new, #/rooms, #/rooms/<id>) and the wiring between the REST
// client, the WebSocket connection, the rooms model and the views.
import { createApi } from './api.js';
import { renderAuth } from './auth-view.js';
import { ChatConnection, State } from './chat-connection.js';
import { ChatView } from './chat-view.js';
import { h, replace } from './dom.js';
import { RoomList } from './room-list.js';
import { RoomsModel } from './rooms.js';
import { renderNewSitting, renderSittings } from './sittings-view.js';

const SESSION_KEY = 'petmeeting.session';
const STATE_TEXT = {
  [State.CONNECTING]: 'Connecting\u2026',
  [State.ONLINE]: 'Online',
  [State.RECONNECTING]: 'Reconnecting\u2026',
  [State.CLOSED]: 'Offline',
};

const el = {
  nav: document.getElementById('main-nav'),
  connection: document.getElementById('connection'),
  account: document.getElementById('account'),
  whoami: document.getElementById('whoami'),
  signOut: document.getElementById('sign-out'),
  auth: document.getElementById('auth'),
  shell: document.getElementById('shell'),
  roomList: document.getElementById('room-list'),
  main: document.getElementById('main'),
  announcer: document.getElementById('announcer'),
};

let session = loadSession();
let app = null; // {api, conn, model, roomList, view}

const api = createApi({
  token: () => session?.token ?? null,
  onUnauthorized: () => signOut('Your session has ended. Please sign in again.'),
});

function loadSession() {
  try {
    const s = JSON.parse(localStorage.getItem(SESSION_KEY));
    return s?.token && s?.user ? s : null;
  } catch {
    return null;
  }
}

function announce(text) {
  // Re-set so that the same text twice is announced twice.
  el.announcer.textContent = '';
  setTimeout(() => {
    el.announcer.textContent = text;
  }, 50);
}

function showConnection(state) {
  el.connection.dataset.state = state;
  el.connection.querySelector('.label').textContent = STATE_TEXT[state] ?? state;
}

function signIn(newSession) {
  session = { token: newSession.token, user: newSession.user };
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  if (!location.hash || location.hash === '#/') location.hash = '#/sittings';
  start();
}

function signOut(notice) {
  localStorage.removeItem(SESSION_KEY);
  session = null;
  if (app) {
    app.view?.unmount?.();
    app.conn.stop();
    app = null;
  }
  showAuth(notice);
}

function showAuth(notice) {
  el.nav.hidden = true;
  el.account.hidden = true;
  el.connection.hidden = true;
  el.shell.hidden = true;
  el.auth.hidden = false;
  document.title = 'Sign in \u00b7 Pet Meeting';
  renderAuth(el.auth, { api, onSession: signIn, notice });
}

async function start() {
  const me = session.user;
  el.auth.hidden = true;
  el.auth.replaceChildren();
  el.shell.hidden = false;
  el.nav.hidden = false;
  el.account.hidden = false;
  el.connection.hidden = false;
  el.whoami.textContent = me.name;

  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const conn = new ChatConnection({ url: `${scheme}//${location.host}/ws`, token: session.token });
  conn.addEventListener('state', (e) => showConnection(e.detail.state));
  conn.addEventListener('unauthorized', () => signOut('Your session has ended. Please sign in again.'));
  const model = new RoomsModel({ api, conn, me: { id: me.id, name: me.name } });
  const roomList = new RoomList(el.roomList, model);
  app = { api, conn, model, roomList, view: null };
  showConnection(State.CONNECTING);

  // The room list first, so that the connection syncs each room only from its head.
  try {
    await model.load();
  } catch (err) {
    if (!app) return; // signed out meanwhile (401)
  }
  if (!app || app.conn !== conn) return;
  conn.start();
  roomList.render();
  route();
}

function route() {
  if (!app) return;
  const hash = location.hash || '#/sittings';
  app.view?.unmount?.();
  app.view = null;
  el.main.classList.remove('chat-open');
  const deps = { api, me: session.user, navigate, rooms: app.model };
  const section = hash.startsWith('#/rooms') ? '#/rooms' : hash === '#/sittings/new' ? hash : '#/sittings';
  for (const link of el.nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  let match;
  if ((match = hash.match(/^#\/rooms\/(\d+)$/))) {
    const id = Number(match[1]);
    app.roomList.setCurrent(id);
    el.main.classList.add('chat-open');
    el.shell.dataset.view = 'chat';
    const view = new ChatView(el.main, { model: app.model, conn: app.conn, announce }, id);
    app.view = view;
    view.mount();
    return;
  }
  app.roomList.setCurrent(null);
  if (hash === '#/rooms') {
    el.shell.dataset.view = 'rooms';
    document.title = 'Chats \u00b7 Pet Meeting';
    replace(el.main, h('section', { class: 'view placeholder' },
      h('h2', { tabindex: '-1' }, 'Chats'),
      h('p', { class: 'muted' }, 'Pick a chat from the list, or apply to a sitting request to start one.')));
  } else if (hash === '#/sittings/new') {
    el.shell.dataset.view = 'page';
    document.title = 'Ask for a sitter \u00b7 Pet Meeting';
    renderNewSitting(el.main, deps);
  } else {
    el.shell.dataset.view = 'page';
    document.title = 'Sitting requests \u00b7 Pet Meeting';
    renderSittings(el.main, deps);
  }
  el.main.querySelector('h2')?.focus({ preventScroll: true });
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

window.addEventListener('hashchange', route);
el.signOut.addEventListener('click', () => signOut());

if (session) start();
else showAuth();
