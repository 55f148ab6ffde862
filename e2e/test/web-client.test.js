// End-to-end: two people in two browser contexts use the web client served by a real server.
// The steps run in order and build on each other (accounts, a sitting request, a chat).
import assert from 'node:assert/strict';
import { after, before, describe, it as plainIt } from 'node:test';
import { launch, messageTexts, person, screenshot, stepsWithEvidence, waitForMessages } from '../support/browser.js';
import { post, signUp as signUpOverRest } from '../support/rest.js';
import { startServer } from '../support/server.js';

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PASSWORD = 'pets-are-great-1';
const OWNER = { username: `mina_${run}`, name: 'Mina' };
const SITTER = { username: `sam_${run}`, name: 'Sam' };
const CITY = 'Lyon';

/** A date `days` from today as yyyy-mm-dd (local time, as the date inputs use). */
function dateIn(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Lea signs up, adds her cat and asks for a sitter in CITY on the same dates; the sitting id. */
async function thirdOwnerRequest(base, startDate, endDate) {
  const { token } = await signUpOverRest(base, `lea_${run}`, PASSWORD, 'Lea');
  const pet = await post(base, '/api/v1/pets', { name: 'Luna', species: 'cat', breed: 'Chartreux' }, token);
  const sitting = await post(base, '/api/v1/sittings', {
    petIds: [pet.id], city: CITY, startDate, endDate, housingTypes: ['either'],
    reward: 'Fresh croissants', text: 'Luna is shy at first, then very cuddly.',
  }, token);
  return sitting.id;
}

describe('web client', { timeout: 5 * 60_000 }, () => {
  let server;
  let browser;
  let owner;
  let sitter;
  let sittingId;
  let roomId;
  // Dates of their own, so that earlier runs' requests in the same database rarely show up.
  const offset = 20 + Math.floor(Math.random() * 300);
  const startDate = dateIn(offset);
  const endDate = dateIn(offset + 4);
  /** What both should see in the chat, in order. */
  const conversation = [];
  const it = stepsWithEvidence(plainIt, () => ({ people: [owner, sitter], server }));

  before(async () => {
    server = await startServer({ name: 'web-client-server' });
    browser = await launch();
    owner = await person(browser, server.url, OWNER.name);
    sitter = await person(browser, server.url, SITTER.name);
  });

  after(async () => {
    const errors = [...(owner?.errors ?? []), ...(sitter?.errors ?? [])];
    await browser?.close();
    await server?.stop();
    assert.deepEqual(errors, [], 'no uncaught errors in the pages');
  });

  async function signUp({ page }, { username, name }) {
    await page.goto('/');
    await page.fill('#signup-username', username);
    await page.fill('#signup-display', name);
    await page.fill('#signup-password', PASSWORD);
    await page.click('#signup-heading ~ button[type=submit]');
    await page.waitForSelector('#connection[data-state="online"]');
    assert.equal(await page.textContent('#whoami'), name);
  }

  async function sendMessage(page, text) {
    await page.fill('#composer', text);
    await page.press('#composer', 'Enter');
  }

  it('shows the sign-in page', async () => {
    await owner.page.goto('/');
    await owner.page.waitForSelector('#signin-username:focus');
    assert.equal(await owner.page.title(), 'Sign in \u00b7 Pet Meeting');
    assert.ok(await owner.page.isVisible('#signup-username'));
    await screenshot(owner.page, 'sign-in');
  });

  it('signs two people up', async () => {
    await signUp(owner, OWNER);
    await signUp(sitter, SITTER);
  });

  it('lets the owner add a pet and post a sitting request', async () => {
    const { page } = owner;
    await page.click('#main-nav >> text=Ask for a sitter');
    await page.waitForSelector('#pet-name');
    await page.waitForSelector('#pet-choices >> text=You have no pets yet');
    await page.fill('#pet-name', 'Rex');
    await page.selectOption('#pet-species', 'dog');
    await page.fill('#pet-breed', 'Beagle');
    await page.fill('#pet-year', '2019');
    await page.click('button:has-text("Add pet")');
    await page.waitForSelector('#pet-choices input[name=petIds]:checked');
    await page.fill('#sitting-city', CITY);
    await page.fill('#sitting-start', startDate);
    await page.fill('#sitting-end', endDate);
    await page.fill('#sitting-reward', 'A homemade lemon cake');
    await page.fill('#sitting-text', 'Rex needs two walks a day and loves the park by the river.');
    await page.click('button:has-text("Post request")');
    const mine = await page.waitForSelector('#sitting-list li.sitting:has-text("(you)")');
    sittingId = Number(await mine.getAttribute('data-sitting'));
    assert.ok(sittingId > 0);
  });

  it('lets the other person find it with the filters and apply, which opens the chat', async () => {
    // A third member asks for a cat sitter in the same city at the same time (over REST).
    const catSitting = await thirdOwnerRequest(server.url, dateIn(offset + 1), endDate);
    const { page } = sitter;
    await page.click('#main-nav >> text=Sittings');
    await page.fill('#filter-city', CITY.toLowerCase());
    await page.fill('#filter-from', startDate);
    await page.fill('#filter-to', endDate);
    await page.click('.filters button[type=submit]');
    const item = `#sitting-list li[data-sitting="${sittingId}"]`;
    const cat = `#sitting-list li[data-sitting="${catSitting}"]`;
    await page.waitForSelector(item);
    await page.waitForSelector(cat);
    const cities = await page.$$eval('#sitting-list li.sitting .city', (n) => n.map((x) => x.textContent));
    assert.ok(cities.every((c) => c.includes(CITY)), `cities shown: ${cities}`);
    await screenshot(page, 'sittings');

    await page.selectOption('#filter-species', 'dog');
    await page.click('.filters button[type=submit]');
    await page.waitForSelector(cat, { state: 'detached' });
    await page.waitForSelector(item);

    await page.click(`${item} button:has-text("Apply")`);
    await page.fill(`${item} textarea[name=motivation]`, 'I grew up with beagles and work from home.');
    await page.fill(`${item} input[name=experienceCount]`, '3');
    await page.click(`${item} button:has-text("Send application")`);
    await page.waitForURL(/#\/rooms\/\d+$/);
    roomId = Number(new URL(page.url()).hash.split('/').pop());
    const system = `${SITTER.name} applied to look after Rex (${startDate} to ${endDate})`;
    conversation.push(system);
    await waitForMessages(page, conversation);
    assert.equal(await page.textContent('#chat-title'), OWNER.name);
  });

  it('shows the owner the new chat live, with an unread badge, and clears it once read', async () => {
    const { page } = owner;
    const link = `#room-list li[data-room="${roomId}"]`;
    await page.waitForSelector(`${link} .badge`);
    assert.match(await page.textContent(`${link} .badge`), /^1 unread message$/);
    assert.match(await page.textContent(`${link} .room-preview`), /applied to look after Rex/);
    await page.click(`${link} a`);
    await waitForMessages(page, conversation);
    await page.waitForSelector(`${link} .badge`, { state: 'detached' });
  });

  it('carries messages both ways, with typing and read receipts', async () => {
    // Sam types: Mina, who has the chat open, sees it.
    await sitter.page.type('#composer', 'Hello Mina! When', { delay: 10 });
    await owner.page.waitForSelector('#typing-indicator:has-text("Sam is typing\u2026")');
    await sitter.page.type('#composer', ' should I come by to meet Rex?', { delay: 5 });
    await sitter.page.press('#composer', 'Enter');
    conversation.push('Hello Mina! When should I come by to meet Rex?');
    await waitForMessages(owner.page, conversation);
    await owner.page.waitForSelector('#typing-indicator:text-is("")', { state: 'attached' });
    // Mina's page saw it, so Sam's own message turns to "Seen".
    await sitter.page.waitForSelector('#messages li.mine[data-status="seen"]:has-text("meet Rex")');

    await sendMessage(owner.page, 'Hi Sam! Saturday at 10 works for me.');
    conversation.push('Hi Sam! Saturday at 10 works for me.');
    await waitForMessages(sitter.page, conversation);
    await owner.page.waitForSelector('#messages li.mine[data-status="seen"]:has-text("Saturday")');
    await sendMessage(sitter.page, 'Perfect, see you then!');
    conversation.push('Perfect, see you then!');
    await waitForMessages(owner.page, conversation);
    await waitForMessages(sitter.page, conversation);

    // For the screenshot: Mina is typing, Sam sees it. Typing is forwarded at most once per 2 s
    // and Mina's last message started a window, so she types for longer than that.
    await sitter.page.waitForSelector('#messages li.mine[data-status="seen"]:has-text("see you then")');
    await Promise.all([
      owner.page.type('#composer', 'Should I bring his favourite ball?', { delay: 90 }),
      sitter.page.waitForSelector('#typing-indicator:has-text("Mina is typing\u2026")'),
    ]);
    await screenshot(sitter.page, 'chat');
    await owner.page.fill('#composer', '');
  });

  it('keeps the history and the session across a reload', async () => {
    const { page } = sitter;
    await page.reload();
    await page.waitForSelector('#connection[data-state="online"]');
    await waitForMessages(page, conversation);
    const seqs = await page.$$eval('#messages li[data-seq]', (n) => n.map((x) => Number(x.dataset.seq)));
    assert.deepEqual(seqs, conversation.map((_, i) => i + 1));
  });

  it('recovers from a dropped connection without losing or repeating a message', async () => {
    await owner.context.setOffline(true);
    await owner.page.waitForSelector('#connection[data-state="reconnecting"]');
    assert.equal(await owner.page.textContent('#connection .label'), 'Reconnecting\u2026');
    // The server noticed: Sam sees Mina go offline.
    await sitter.page.waitForSelector('#chat-presence:has-text("last seen")');

    // Mina writes while offline: the message waits in the outbox.
    await sendMessage(owner.page, 'Sorry, my train is in a tunnel');
    await owner.page.waitForSelector('#messages li.mine.pending[data-status="sending"]');

    // Sam writes meanwhile; each is acked (stored) while Mina is away.
    const away = ['Are you there?', 'I can also do Sunday.', 'Or next week, whatever suits Rex.'];
    for (const text of away) {
      await sendMessage(sitter.page, text);
      await sitter.page.waitForSelector(`#messages li.mine[data-status="sent"]:has-text("${text}")`);
    }
    conversation.push(...away);
    assert.deepEqual(await messageTexts(owner.page), [...conversation.slice(0, -away.length), 'Sorry, my train is in a tunnel']);

    await owner.context.setOffline(false);
    await owner.page.waitForSelector('#connection[data-state="online"]');
    // Sam's three arrive by sync; Mina's own was sent again with the same cid after them or
    // before them, depending on which the server took first. Either way: each once, Sam's in order.
    await owner.page.waitForFunction((n) => document.querySelectorAll('#messages li[data-seq]').length === n, conversation.length + 1);
    const ownerView = await messageTexts(owner.page);
    const sitterView = await waitForMessages(sitter.page, ownerView);
    assert.deepEqual(ownerView.filter((t) => t !== 'Sorry, my train is in a tunnel'), conversation);
    assert.equal(ownerView.filter((t) => t === 'Sorry, my train is in a tunnel').length, 1);
    assert.deepEqual(sitterView, ownerView);
    conversation.splice(0, conversation.length, ...ownerView);
    const seqs = await owner.page.$$eval('#messages li[data-seq]', (n) => n.map((x) => Number(x.dataset.seq)));
    assert.deepEqual(seqs, conversation.map((_, i) => i + 1));
    await owner.page.waitForSelector('#messages li.mine[data-status="seen"]:has-text("train is in a tunnel")');
    await sitter.page.waitForSelector('#chat-presence:text-is("online")');
  });

  it('loads older history while scrolling up', async () => {
    // 60 more messages from Sam, sent over a WebSocket of its own (as another device would).
    const token = await sitter.page.evaluate(() => JSON.parse(localStorage.getItem('petmeeting.session')).token);
    const burst = Array.from({ length: 60 }, (_, i) => `history ${String(i + 1).padStart(2, '0')}`);
    await sitter.page.evaluate(async ({ token, room, texts }) => {
      const ws = new WebSocket(`ws://${location.host}/ws`);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const replies = new Map();
      ws.onmessage = (e) => {
        const f = JSON.parse(e.data);
        if (f.id) replies.get(f.id)?.(f);
      };
      const request = (frame) => new Promise((resolve) => {
        replies.set(frame.id, resolve);
        ws.send(JSON.stringify(frame));
      });
      await request({ type: 'auth', id: 'a', token });
      for (let i = 0, attempt = 0; i < texts.length; attempt++) {
        const reply = await request({ type: 'send', id: `s${i}-${attempt}`, room, cid: `burst-${i}`, text: texts[i] });
        if (reply.type === 'ack') i++;
        else if (reply.code === 'rate_limited') await new Promise((r) => setTimeout(r, reply.retryAfterMs));
        else throw new Error(JSON.stringify(reply));
      }
      ws.close();
    }, { token, room: roomId, texts: burst });
    conversation.push(...burst);
    await waitForMessages(sitter.page, conversation, 30_000);

    // Mina reloads: the newest 50 come first, the rest as she scrolls up.
    const { page } = owner;
    await page.reload();
    await page.waitForSelector('#connection[data-state="online"]');
    await waitForMessages(page, conversation.slice(-50));
    await page.$eval('.message-scroller', (s) => {
      s.scrollTop = 0;
    });
    await waitForMessages(page, conversation);
    await page.waitForSelector('.older-status:has-text("beginning of the conversation")');
    const seqs = await page.$$eval('#messages li[data-seq]', (n) => n.map((x) => Number(x.dataset.seq)));
    assert.deepEqual(seqs, conversation.map((_, i) => i + 1));
    // Scrolling up kept the reader in place: the first of the newest page is still on screen.
    const visible = await page.$eval(`#messages li[data-seq="${conversation.length - 49}"]`, (li) => {
      const s = li.closest('.message-scroller').getBoundingClientRect();
      const r = li.getBoundingClientRect();
      return r.bottom > s.top && r.top < s.bottom;
    });
    assert.ok(visible, 'the message that was at the top stays in view');
  });
});



