// Sign in and sign up.
import { errorText, h } from './dom.js';

/**
 * Renders the two forms into `root`. `onSession({token, user})` is called after a successful
 * sign-in or sign-up.
 */
export function renderAuth(root, { api, onSession, notice }) {
  const signInError = h('p', { class: 'form-error', role: 'alert', id: 'signin-error' });
  const signUpError = h('p', { class: 'form-error', role: 'alert', id: 'signup-error' });

  const signIn = h('form', { class: 'card auth-form', 'aria-labelledby': 'signin-heading', novalidate: true },
    h('h2', { id: 'signin-heading' }, 'Sign in'),
    field('signin-username', 'User name', { name: 'username', autocomplete: 'username', required: true }),
    field('signin-password', 'Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    signInError,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));

  const signUp = h('form', { class: 'card auth-form', 'aria-labelledby': 'signup-heading', novalidate: true },
    h('h2', { id: 'signup-heading' }, 'Create an account'),
    field('signup-username', 'User name', {
      name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 32,
      pattern: '[A-Za-z0-9_.\\-]{3,32}', 'aria-describedby': 'signup-username-hint',
    }, '3 to 32 letters, digits, dots, dashes or underscores.'),
    field('signup-display', 'Display name (optional)', { name: 'displayName', autocomplete: 'nickname', maxlength: 64 }),
    field('signup-password', 'Password', {
      name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8, maxlength: 128,
      'aria-describedby': 'signup-password-hint',
    }, 'At least 8 characters.'),
    signUpError,
    h('button', { type: 'submit', class: 'primary' }, 'Create account'));

  signIn.addEventListener('submit', (e) => submit(e, signIn, signInError,
    (f) => api.login(f.get('username').trim(), f.get('password'))));
  signUp.addEventListener('submit', (e) => submit(e, signUp, signUpError,
    (f) => api.signup(f.get('username').trim(), f.get('password'), f.get('displayName').trim())));

  async function submit(event, form, errorEl, call) {
    event.preventDefault();
    errorEl.textContent = '';
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const session = await call(new FormData(form));
      onSession(session);
    } catch (err) {
      errorEl.textContent = errorText(err);
      button.disabled = false;
      form.querySelector('input')?.focus();
    }
  }

  root.replaceChildren(
    h('section', { class: 'auth', 'aria-labelledby': 'auth-heading' },
      h('div', { class: 'auth-intro' },
        h('h2', { id: 'auth-heading', tabindex: '-1' }, 'Welcome to Pet Meeting'),
        h('p', {}, 'Find someone to look after your pets, offer to look after others\u2019, and chat about it.'),
        notice ? h('p', { class: 'notice', role: 'status' }, notice) : null),
      h('div', { class: 'auth-forms' }, signIn, signUp)));
  root.querySelector('#signin-username').focus();
}

function field(id, label, attrs, hint) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, type: 'text', ...attrs }),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}
