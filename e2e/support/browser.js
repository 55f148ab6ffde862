// Headless Chromium (Debian's package) driven by playwright-core, and page helpers.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { RESULTS, ROOT, tail } from './server.js';

export const CHROMIUM = process.env.PM_E2E_CHROMIUM || '/usr/bin/chromium';
export const TIMEOUT = Number(process.env.PM_E2E_TIMEOUT_MS || 15_000);

/** Each launch gets a fresh temporary profile (user-data-dir) from Playwright. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A browser context (one person) with one page; uncaught page errors are collected. */
export async function person(browser, baseURL, name) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1200, height: 760 }, locale: 'en-GB', timezoneId: 'Europe/Paris' });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(`${name}: ${err.message}`));
  return { name, context, page, errors };
}

/**
 * Saves a screenshot in e2e/test-results/screenshots, and in docs/screenshots as well when
 * PM_E2E_UPDATE_SCREENSHOTS=1 (so that an ordinary test run leaves the work tree alone).
 */
export async function screenshot(page, name) {
  const dirs = [path.join(RESULTS, 'screenshots')];
  if (process.env.PM_E2E_UPDATE_SCREENSHOTS === '1') dirs.push(path.join(ROOT, 'docs', 'screenshots'));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
  }
}

/** The texts of the messages on screen, in order. */
export function messageTexts(page) {
  return page.$$eval('#messages li .message-text', (nodes) => nodes.map((n) => n.textContent));
}

/** Waits until the messages on screen are exactly `expected` (in order), and returns them. */
export async function waitForMessages(page, expected, timeout = TIMEOUT) {
  try {
    await page.waitForFunction((want) => {
      const got = [...document.querySelectorAll('#messages li .message-text')].map((n) => n.textContent);
      return got.length === want.length && got.every((t, i) => t === want[i]);
    }, expected, { timeout });
  } catch (err) {
    const got = await messageTexts(page).catch(() => []);
    err.message += `\nexpected messages ${JSON.stringify(expected)}\n     got messages ${JSON.stringify(got)}`;
    throw err;
  }
  return expected;
}

/**
 * Returns an it() whose failures leave evidence: a screenshot of each person's page in
 * e2e/test-results/failures, and the end of the server's log in the error message.
 * `state()` gives {people: [person...], server}.
 */
export function stepsWithEvidence(it, state) {
  return (name, fn) => it(name, async () => {
    try {
      await fn();
    } catch (err) {
      const { people = [], server } = state();
      const dir = path.join(RESULTS, 'failures');
      mkdirSync(dir, { recursive: true });
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      for (const p of people) {
        if (!p?.page) continue;
        await p.page.screenshot({ path: path.join(dir, `${slug}-${p.name}.png`) }).catch(() => {});
        err.message += `\n${p.name}'s page: ${p.page.url()}`;
      }
      if (server?.logFile) err.message += `\n--- end of ${server.logFile} ---\n${tail(server.logFile, 30)}`;
      throw err;
    }
  });
}
