// The agent's REST API (/api/v1, openapi.json): the console does nothing the API does not offer.
// The session is an HttpOnly cookie; unsafe requests carry the session's CSRF token.
import {currentLanguage} from './i18n.js';

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token;
}

/** A refused request: status, code and message of the API's error, its field list, Retry-After. */
export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const e = body && body.error ? body.error : {};
    super(e.message || ('HTTP ' + status));
    this.status = status;
    this.code = e.code || null;
    this.fields = e.fields || [];
    this.retryAfter = retryAfter ? Number(retryAfter) : null;
  }
}

/** Calls the API: method, path below /api/v1/, JSON body (optional). Resolves to the JSON answer. */
export async function api(method, path, body) {
  const headers = {'Accept': 'application/json', 'Accept-Language': currentLanguage()};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let r;
  try {
    r = await fetch('/api/v1/' + path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  } catch (e) {
    throw new ApiError(0, {error: {code: 'unreachable', message: null}});
  }
  const text = await r.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!r.ok) {
    throw new ApiError(r.status, data, r.headers.get('Retry-After'));
  }
  return data;
}

/** Every backup set the caller may see, all pages of GET /sets. */
export async function allSets() {
  const sets = [];
  let after = null;
  do {
    const page = await api('GET', 'sets?limit=1000' + (after ? '&after=' + after : ''));
    sets.push(...page.items);
    after = page.next;
  } while (after);
  return sets;
}
