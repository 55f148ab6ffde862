// Sitting requests: the list with its filters and the apply form, and the page that posts a new
// request (with the user's pets, and a form to add one).
import { HOUSING, SPECIES, calendarDate, errorText, h, isoDate, replace } from './dom.js';

/** #/sittings: the open requests, filtered by city, species and dates. */
export function renderSittings(root, { api, me, navigate, rooms }) {
  const filters = { city: '', species: '', from: '', to: '' };
  const list = h('ul', { class: 'sittings', id: 'sitting-list', 'aria-label': 'Sitting requests' });
  const status = h('p', { class: 'list-status', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  let cursor = null;

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter sitting requests' },
    h('div', { class: 'field' }, h('label', { for: 'filter-city' }, 'City'),
      h('input', { id: 'filter-city', name: 'city', type: 'text', maxlength: 64, autocomplete: 'address-level2' })),
    h('div', { class: 'field' }, h('label', { for: 'filter-species' }, 'Species'),
      h('select', { id: 'filter-species', name: 'species' },
        h('option', { value: '' }, 'Any'), SPECIES.map((s) => h('option', { value: s }, s)))),
    h('div', { class: 'field' }, h('label', { for: 'filter-from' }, 'From'),
      h('input', { id: 'filter-from', name: 'from', type: 'date' })),
    h('div', { class: 'field' }, h('label', { for: 'filter-to' }, 'To'),
      h('input', { id: 'filter-to', name: 'to', type: 'date' })),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Search'),
      h('button', { type: 'reset', class: 'secondary' }, 'Clear')));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    for (const key of Object.keys(filters)) filters[key] = String(data.get(key) || '').trim();
    load(true);
  });
  form.addEventListener('reset', () => {
    for (const key of Object.keys(filters)) filters[key] = '';
    setTimeout(() => load(true));
  });
  more.addEventListener('click', () => load(false));

  async function load(fresh) {
    status.textContent = 'Loading\u2026';
    more.hidden = true;
    try {
      const page = await api.sittings({ ...filters, cursor: fresh ? undefined : cursor, limit: 20 });
      if (fresh) list.replaceChildren();
      for (const s of page.items) list.append(sittingItem(s));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      const count = list.children.length;
      status.textContent = count === 0 ? 'No open sitting requests match.' : `${count} request${count === 1 ? '' : 's'} shown.`;
    } catch (err) {
      status.textContent = errorText(err);
    }
  }

  function sittingItem(s) {
    const mine = s.owner.id === me.id;
    const pets = s.pets.map((p) => `${p.name} (${p.species})`).join(', ');
    const headingId = `sitting-${s.id}-title`;
    const actions = h('div', { class: 'sitting-actions' });
    const item = h('li', { class: 'card sitting', dataset: { sitting: String(s.id) } },
      h('article', { 'aria-labelledby': headingId },
        h('h3', { id: headingId }, pets || 'Pets', h('span', { class: 'city' }, ` \u00b7 ${s.city}`)),
        h('p', { class: 'dates' }, `${calendarDate(s.startDate)} \u2013 ${calendarDate(s.endDate)}`),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Owner'), h('dd', {}, mine ? `${s.owner.name} (you)` : s.owner.name),
          h('dt', {}, 'Where'), h('dd', {}, s.housingTypes.map((t) => HOUSING[t] || t).join(', ')),
          s.reward ? [h('dt', {}, 'Reward'), h('dd', {}, s.reward)] : null),
        s.text ? h('p', { class: 'sitting-text' }, s.text) : null,
        actions));
    if (mine) {
      actions.append(h('p', { class: 'muted' }, 'Your request. Applicants appear in your chats.'));
    } else {
      const apply = h('button', { type: 'button', class: 'primary', 'aria-expanded': 'false' }, 'Apply');
      apply.addEventListener('click', () => {
        apply.hidden = true;
        const form = applyForm(s, () => {
          form.remove();
          apply.hidden = false;
          apply.focus();
        });
        actions.append(form);
        form.querySelector('textarea').focus();
      });
      actions.append(apply);
    }
    return item;
  }

  function applyForm(s, cancel) {
    const id = `apply-${s.id}`;
    const choices = s.housingTypes.includes('either') ? Object.keys(HOUSING) : [...s.housingTypes, 'either'];
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'apply-form', 'aria-label': `Apply to look after ${s.pets.map((p) => p.name).join(', ')}` },
      h('div', { class: 'field' }, h('label', { for: `${id}-motivation` }, 'Why you?'),
        h('textarea', { id: `${id}-motivation`, name: 'motivation', rows: 3, required: true, maxlength: 2000 })),
      h('div', { class: 'field-row' },
        h('div', { class: 'field' }, h('label', { for: `${id}-experience` }, 'Pets looked after before'),
          h('input', { id: `${id}-experience`, name: 'experienceCount', type: 'number', min: 0, max: 1000, value: '0', required: true })),
        h('div', { class: 'field' }, h('label', { for: `${id}-housing` }, 'Where'),
          h('select', { id: `${id}-housing`, name: 'housingType' },
            [...new Set(choices)].map((t) => h('option', { value: t }, HOUSING[t] || t))))),
      error,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Send application'),
        h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      const data = new FormData(form);
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        const applied = await api.apply(s.id, {
          motivation: String(data.get('motivation')).trim(),
          experienceCount: Number(data.get('experienceCount')),
          housingType: data.get('housingType'),
        });
        await rooms.refresh();
        navigate(`#/rooms/${applied.room.id}`);
      } catch (err) {
        error.textContent = errorText(err);
        button.disabled = false;
      }
    });
    return form;
  }

  replace(root,
    h('section', { class: 'view', 'aria-labelledby': 'sittings-heading' },
      h('div', { class: 'view-header' },
        h('h2', { id: 'sittings-heading', tabindex: '-1' }, 'Sitting requests'),
        h('a', { href: '#/sittings/new', class: 'button primary' }, 'Ask for a sitter')),
      form, status, list, more));
  load(true);
}

/** #/sittings/new: the user's pets (and a form to add one), and the request form. */
export function renderNewSitting(root, { api, me, navigate }) {
  const petList = h('div', { class: 'pet-choices', id: 'pet-choices' });
  const requestError = h('p', { class: 'form-error', role: 'alert' });
  const petError = h('p', { class: 'form-error', role: 'alert' });
  const petStatus = h('p', { class: 'visually-hidden', role: 'status' });
  let pets = [];

  function renderPets(checked = new Set()) {
    if (pets.length === 0) {
      replace(petList, h('p', { class: 'muted' }, 'You have no pets yet: add one below.'));
      return;
    }
    replace(petList, pets.map((p) => h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: `pet-${p.id}`, name: 'petIds', value: String(p.id), checked: checked.has(p.id) }),
      h('label', { for: `pet-${p.id}` }, `${p.name} (${p.species}${p.breed ? `, ${p.breed}` : ''})`))));
  }

  const petForm = h('form', { class: 'card pet-form', 'aria-labelledby': 'pet-heading' },
    h('h3', { id: 'pet-heading' }, 'Add a pet'),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'pet-name' }, 'Name'),
        h('input', { id: 'pet-name', name: 'name', type: 'text', required: true, maxlength: 64 })),
      h('div', { class: 'field' }, h('label', { for: 'pet-species' }, 'Species'),
        h('select', { id: 'pet-species', name: 'species' }, SPECIES.map((s) => h('option', { value: s }, s))))),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'pet-breed' }, 'Breed (optional)'),
        h('input', { id: 'pet-breed', name: 'breed', type: 'text', maxlength: 64 })),
      h('div', { class: 'field' }, h('label', { for: 'pet-year' }, 'Birth year (optional)'),
        h('input', { id: 'pet-year', name: 'birthYear', type: 'number', min: 1980, max: new Date().getFullYear() })),
      h('div', { class: 'field' }, h('label', { for: 'pet-gender' }, 'Gender'),
        h('select', { id: 'pet-gender', name: 'gender' },
          h('option', { value: 'unknown' }, 'unknown'), h('option', { value: 'female' }, 'female'), h('option', { value: 'male' }, 'male')))),
    h('div', { class: 'field' }, h('label', { for: 'pet-description' }, 'About (optional)'),
      h('textarea', { id: 'pet-description', name: 'description', rows: 2, maxlength: 2000 })),
    petError, petStatus,
    h('button', { type: 'submit', class: 'secondary' }, 'Add pet'));

  petForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    petError.textContent = '';
    const data = new FormData(petForm);
    const pet = {
      name: String(data.get('name')).trim(),
      species: data.get('species'),
      gender: data.get('gender'),
    };
    const breed = String(data.get('breed')).trim();
    const year = String(data.get('birthYear')).trim();
    const description = String(data.get('description')).trim();
    if (breed) pet.breed = breed;
    if (year) pet.birthYear = Number(year);
    if (description) pet.description = description;
    try {
      const created = await api.createPet(pet);
      const checked = new Set([...root.querySelectorAll('input[name=petIds]:checked')].map((i) => Number(i.value)));
      checked.add(created.id);
      pets.push(created);
      renderPets(checked);
      petForm.reset();
      petStatus.textContent = `${created.name} added.`;
      root.querySelector(`#pet-${created.id}`).focus();
    } catch (err) {
      petError.textContent = errorText(err);
    }
  });

  const requestForm = h('form', { class: 'card request-form', 'aria-labelledby': 'request-heading' },
    h('h3', { id: 'request-heading' }, 'Your request'),
    h('fieldset', {}, h('legend', {}, 'Which pets?'), petList),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'sitting-city' }, 'City'),
        h('input', { id: 'sitting-city', name: 'city', type: 'text', required: true, maxlength: 64, value: me.city || '' })),
      h('div', { class: 'field' }, h('label', { for: 'sitting-start' }, 'From'),
        h('input', { id: 'sitting-start', name: 'startDate', type: 'date', required: true, min: isoDate(0), value: isoDate(7) })),
      h('div', { class: 'field' }, h('label', { for: 'sitting-end' }, 'To'),
        h('input', { id: 'sitting-end', name: 'endDate', type: 'date', required: true, min: isoDate(0), value: isoDate(10) }))),
    h('fieldset', {}, h('legend', {}, 'Where may the pets stay?'),
      h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'housing-owner', name: 'housingTypes', value: 'owner_home', checked: true }),
        h('label', { for: 'housing-owner' }, HOUSING.owner_home)),
      h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'housing-sitter', name: 'housingTypes', value: 'sitter_home' }),
        h('label', { for: 'housing-sitter' }, HOUSING.sitter_home))),
    h('div', { class: 'field' }, h('label', { for: 'sitting-reward' }, 'Reward (optional)'),
      h('input', { id: 'sitting-reward', name: 'reward', type: 'text', maxlength: 200 })),
    h('div', { class: 'field' }, h('label', { for: 'sitting-text' }, 'Anything a sitter should know (optional)'),
      h('textarea', { id: 'sitting-text', name: 'text', rows: 3, maxlength: 4000 })),
    requestError,
    h('button', { type: 'submit', class: 'primary' }, 'Post request'));

  requestForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    requestError.textContent = '';
    const data = new FormData(requestForm);
    const housing = data.getAll('housingTypes');
    const body = {
      petIds: data.getAll('petIds').map(Number),
      city: String(data.get('city')).trim(),
      startDate: data.get('startDate'),
      endDate: data.get('endDate'),
      housingTypes: housing.length === 2 ? ['either'] : housing,
    };
    const reward = String(data.get('reward')).trim();
    const text = String(data.get('text')).trim();
    if (reward) body.reward = reward;
    if (text) body.text = text;
    if (body.petIds.length === 0) {
      requestError.textContent = pets.length ? 'Choose at least one pet.' : 'Add a pet first.';
      return;
    }
    try {
      await api.createSitting(body);
      navigate('#/sittings');
    } catch (err) {
      requestError.textContent = errorText(err);
    }
  });

  replace(root,
    h('section', { class: 'view', 'aria-labelledby': 'new-sitting-heading' },
      h('div', { class: 'view-header' },
        h('h2', { id: 'new-sitting-heading', tabindex: '-1' }, 'Ask for a sitter'),
        h('a', { href: '#/sittings' }, 'Back to the list')),
      h('div', { class: 'two-columns' }, requestForm, petForm)));
  renderPets();
  api.user(me.id).then((profile) => {
    pets = profile.pets || [];
    renderPets(new Set(pets.length === 1 ? [pets[0].id] : []));
  }).catch((err) => {
    requestError.textContent = errorText(err);
  });
}
