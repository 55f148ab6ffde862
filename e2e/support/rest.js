// A few REST calls for setting up what a test does not need to click through.
import assert from 'node:assert/strict';

/** POSTs JSON (with a bearer token if given) and returns the JSON answer; fails on an error. */
export async function post(base, path, body, token) {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await r.json();
  assert.ok(r.ok, `${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** Signs a user up: {token, user}. */
export function signUp(base, username, password, displayName) {
  return post(base, '/api/v1/auth/signup', { username, password, displayName });
}
