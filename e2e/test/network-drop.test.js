// End-to-end: the network under one person's browser fails abruptly (a TCP proxy in front of the
// server resets every connection and refuses new ones), unlike setOffline, which the page is
// told about. The client must notice the dead socket, reconnect when it can, sync what it
// missed and resend what it had not got acked: every message once, in order, on both sides.
import assert from 'node:assert/strict';
import { after, before, describe, it as plainIt } from 'node:test';
import { launch, messageTexts, person, stepsWithEvidence, waitForMessages } from '../support/browser.js';
import { startProxy } from '../support/proxy.js';
import { post, signUp } from '../support/rest.js';
import { startServer } from '../support/server.js';

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PASSWORD = 'pets-are-great-2';

describe('web client on a failing network', { timeout: 3 * 60_000 }, () => {
  let server;
  let proxy;
  let browser;
  let ada; // behind the proxy
  let ben; // straight to the server
  let roomId;
  const it = stepsWithEvidence(plainIt, () => ({ people: [ada, ben], server }));

  before(async () => {
    server = await startServer({ name: 'network-drop-server' });
    proxy = await startProxy(server.port);
    browser = await launch();
    const a = await signUp(server.url, `ada_${run}`, PASSWORD, 'Ada');
    const b = await signUp(server.url, `ben_${run}`, PASSWORD, 'Ben');
    roomId = (await post(server.url, '/api/v1/rooms/direct', { userId: b.user.id }, a.token)).id;
    ada = await person(browser, proxy.url, 'Ada');
    ben = await person(browser, server.url, 'Ben');
  });

  after(async () => {
    const errors = [...(ada?.errors ?? []), ...(ben?.errors ?? [])];
    await browser?.close();
    await proxy?.close();
    await server?.stop();
    assert.deepEqual(errors, [], 'no uncaught errors in the pages');
  });

  async function signIn({ page }, username) {
    await page.goto('/');
    await page.fill('#signin-username', username);
    await page.fill('#signin-password', PASSWORD);
    await page.click('#signin-heading ~ button[type=submit]');
    await page.waitForSelector('#connection[data-state="online"]');
    await page.click(`#room-list li[data-room="${roomId}"] a`);
    await page.waitForSelector(`.chat[data-room="${roomId}"] #composer`);
  }

  async function send(page, text) {
    await page.fill('#composer', text);
    await page.press('#composer', 'Enter');
  }

  it('both sign in and open their chat', async () => {
    await signIn(ada, `ada_${run}`);
    await signIn(ben, `ben_${run}`);
    await send(ben.page, 'Hi Ada, is your cat still looking for a sitter?');
    await send(ada.page, 'She is! Are you free next weekend?');
    const expected = ['Hi Ada, is your cat still looking for a sitter?', 'She is! Are you free next weekend?'];
    await waitForMessages(ada.page, expected);
    await waitForMessages(ben.page, expected);
  });

  it('reconnects after the connection is reset, with nothing lost or repeated', async () => {
    const before = await messageTexts(ben.page);
    proxy.cut();
    await ada.page.waitForSelector('#connection[data-state="reconnecting"]');
    // The server saw the connection go: Ben sees Ada offline.
    await ben.page.waitForSelector('#chat-presence:has-text("last seen")');

    await send(ada.page, 'Sorry, my connection is flaky');
    await ada.page.waitForSelector('#messages li.mine.pending:has-text("flaky")');
    const away = ['Saturday works for me.', 'I could come at 9.', 'Does she need medicine?'];
    for (const text of away) {
      await send(ben.page, text);
      await ben.page.waitForSelector(`#messages li.mine[data-status="sent"]:has-text("${text}")`);
    }

    proxy.restore();
    await ada.page.waitForSelector('#connection[data-state="online"]', { timeout: 30_000 });
    const expected = [...before, ...away, 'Sorry, my connection is flaky'];
    await waitForMessages(ada.page, expected);
    await waitForMessages(ben.page, expected);
    const seqs = await ada.page.$$eval('#messages li[data-seq]', (n) => n.map((x) => Number(x.dataset.seq)));
    assert.deepEqual(seqs, expected.map((_, i) => i + 1));
    await ben.page.waitForSelector('#chat-presence:text-is("online")');
    await ada.page.waitForSelector('#messages li.mine[data-status="seen"]:has-text("flaky")');
  });
});
