// REST client for the Pet Meeting API (src/main/resources/openapi.yaml). Every call returns the
// parsed JSON body, or throws an ApiError carrying the problem+json answer.

/** An HTTP error answer: `status`, and the problem's `title` and `detail`. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem?.title;
    this.detail = problem?.detail;
    this.retryAfterSeconds = problem?.retryAfterSeconds;
  }
}

/**
 * @param {object} options
 * @param {() => string|null} options.token the current bearer token, if any
 * @param {(err: ApiError) => void} [options.onUnauthorized] called on a 401 to an authenticated call
 * @param {string} [options.base] where the API lives; the page's own origin by default
 */
export function createApi({ token, onUnauthorized = () => {}, base = '' }) {
  async function request(method, path, { body, query } = {}) {
    let url = base + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
      }
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }
    const headers = { Accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const err = new ApiError(response.status, data);
      if (response.status === 401 && bearer) onUnauthorized(err);
      throw err;
    }
    return data;
  }

  return {
    signup: (username, password, displayName) =>
      request('POST', '/api/v1/auth/signup', { body: { username, password, displayName: displayName || undefined } }),
    login: (username, password) => request('POST', '/api/v1/auth/login', { body: { username, password } }),
    me: () => request('GET', '/api/v1/me'),
    user: (id) => request('GET', `/api/v1/users/${id}`),

    createPet: (pet) => request('POST', '/api/v1/pets', { body: pet }),

    /** filters: {city, species, from, to, cursor, limit} */
    sittings: (filters = {}) => request('GET', '/api/v1/sittings', { query: filters }),
    createSitting: (sitting) => request('POST', '/api/v1/sittings', { body: sitting }),
    /** 201 {application, room: {id}} */
    apply: (sittingId, application) =>
      request('POST', `/api/v1/sittings/${sittingId}/applications`, { body: application }),
    applications: (sittingId) => request('GET', `/api/v1/sittings/${sittingId}/applications`),

    rooms: (cursor) => request('GET', '/api/v1/rooms', { query: { cursor, limit: 100 } }),
    /** {room, epoch, head, messages (oldest first), more} */
    messages: (roomId, { before, after, limit } = {}) =>
      request('GET', `/api/v1/rooms/${roomId}/messages`, { query: { before, after, limit } }),
  };
}
