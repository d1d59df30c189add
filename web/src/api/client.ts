/**
 * Fetch client for `/api/v1`: cookie session (credentials same-origin), CSRF header on writes,
 * `Accept-Language` from the UI language, and `{"error":{code,message,field}}` turned into ApiError.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** the whole error reply, for refusals that say more than one thing (a CAP import's `reasons`) */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get isConflict(): boolean {
    return this.status === 409;
  }
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

const CSRF_KEY = 'anlan.csrf';
// (optional chaining: the module is also loaded outside a browser, by tests that import the feature manifests)
let csrfToken: string | null = globalThis.sessionStorage?.getItem(CSRF_KEY) ?? null;
let language = 'zh-CN';
let onUnauthorized: (() => Promise<boolean>) | null = null;
/** the sign-in every refused request waits for (one dialog however many requests were refused) */
let signingIn: Promise<boolean> | null = null;
let onPasswordChangeRequired: (() => void) | null = null;

/** The server refuses every call but `/auth/me`, `/auth/logout` and `/auth/password` until the password is changed. */
export const PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED';

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

export function setApiLanguage(lang: string): void {
  language = lang;
}

/** What a request sent outside `api` (the field app's outbox) needs to be like every other: CSRF and language. */
export function requestHeaders(): Record<string, string> {
  return { 'Accept-Language': language, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) };
}

/**
 * Called when a request (other than `/auth/*`) gets 401: the session ended. The handler asks the user to sign in again
 * where they are and resolves true once they have (the refused requests are then sent again), false if they gave up.
 */
export function setUnauthorizedHandler(fn: (() => Promise<boolean>) | null): void {
  onUnauthorized = fn;
}

/** Waits for the one sign-in the shell asks for; false when nobody can ask (no shell) or the user gave up. */
export function waitForSignIn(): Promise<boolean> {
  if (!onUnauthorized) return Promise.resolve(false);
  signingIn ??= onUnauthorized().finally(() => {
    signingIn = null;
  });
  return signingIn;
}

// ── when the session ends ──
// Sessions slide with use; the server says on every answer when this one ends unless used (x-session-expires).
// Other tabs of the same browser share the session: the latest word is kept in localStorage and heard from there.
const EXPIRY_KEY = 'anlan.sessionExpiresAt';
let sessionExpiresAt: number | null = null;
const expiryListeners = new Set<(at: number | null) => void>();

/** Notes when the session ends (an ISO time from a reply or header; null when signed out). */
export function noteSessionExpiry(iso: string | null | undefined): void {
  const at = iso ? Date.parse(iso) : null;
  if (at !== null && Number.isNaN(at)) return;
  if (at === sessionExpiresAt) return;
  sessionExpiresAt = at;
  try {
    if (at === null) globalThis.localStorage?.removeItem(EXPIRY_KEY);
    else globalThis.localStorage?.setItem(EXPIRY_KEY, String(at));
  } catch {
    // storage refused: this tab still knows
  }
  for (const fn of expiryListeners) fn(at);
}

/** When the session ends (ms since the epoch), as last heard by this browser; null when unknown. */
export function sessionExpiry(): number | null {
  return sessionExpiresAt;
}

/** Calls `fn` whenever the session's end moves (this tab's answers or another tab's); returns the unsubscribe. */
export function onSessionExpiry(fn: (at: number | null) => void): () => void {
  expiryListeners.add(fn);
  return () => expiryListeners.delete(fn);
}

globalThis.addEventListener?.('storage', (e: StorageEvent) => {
  if (e.key !== EXPIRY_KEY) return;
  const at = e.newValue ? Number(e.newValue) : null;
  if (at === sessionExpiresAt || (at !== null && Number.isNaN(at))) return;
  sessionExpiresAt = at;
  for (const fn of expiryListeners) fn(at);
});

/** Called when a request gets 403 PASSWORD_CHANGE_REQUIRED (e.g. an administrator reset the password meanwhile). */
export function setPasswordChangeHandler(fn: (() => void) | null): void {
  onPasswordChangeRequired = fn;
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function toQueryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) params.set(k, v.join(','));
    } else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

interface RequestOptions {
  query?: Query;
  /** JSON, or FormData sent as multipart/form-data (an upload; the browser sets its boundary) */
  body?: unknown;
  /** a body sent as it is, with its content type (an XML document) */
  raw?: { body: Blob | string; type: string };
  signal?: AbortSignal;
}

const unreachable = () =>
  new ApiError(0, 'network', language === 'en' ? 'The server cannot be reached.' : '无法连接服务器。');

const parse = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** The ApiError of a refused request (with the server's message), after telling the shell what it must know. */
function refusal(status: number, statusText: string, data: unknown): ApiError {
  const e = (data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
  const err = new ApiError(
    status,
    e?.code ?? `http_${status}`,
    e?.message ?? `${status} ${statusText}`,
    e?.field,
    data,
  );
  if (status === 403 && err.code === PASSWORD_CHANGE_REQUIRED) onPasswordChangeRequired?.();
  return err;
}

/** A 401 that means the session ended (not a wrong password at sign-in, not the session check itself). */
const sessionEnded = (status: number, path: string) => status === 401 && !path.startsWith('/auth/');

async function request<T>(method: string, path: string, opts: RequestOptions = {}, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  const form = opts.body instanceof FormData ? opts.body : undefined;
  if (opts.raw) headers['Content-Type'] = opts.raw.type;
  else if (opts.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${toQueryString(opts.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.raw?.body ?? form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw unreachable();
  }
  noteSessionExpiry(res.headers.get('x-session-expires') ?? undefined);
  if (sessionEnded(res.status, path) && !retried) {
    // nothing is dropped: the user signs in again where they are, and the request goes again as it was
    if (await waitForSignIn()) return request<T>(method, path, opts, true);
  }
  if (res.status === 204) return undefined as T;
  const data = parse(await res.text());
  if (!res.ok) throw refusal(res.status, res.statusText, data);
  return data as T;
}

/**
 * POSTs a multipart form (a file upload) and reports the share sent so far. XMLHttpRequest, because fetch cannot
 * tell upload progress; headers, errors and session handling as for every other request.
 */
export function upload<T>(
  path: string,
  form: FormData,
  onProgress?: (sent: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', language);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      const data = parse(xhr.responseText);
      noteSessionExpiry(xhr.getResponseHeader('x-session-expires'));
      // the file is not sent again by itself: the user signs in, then sends it again (the dialog keeps its file)
      if (sessionEnded(xhr.status, path)) void waitForSignIn();
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(refusal(xhr.status, xhr.statusText, data));
    };
    xhr.onerror = () => reject(unreachable());
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** multipart/form-data: a file upload */
  upload: <T>(path: string, form: FormData, query?: Query) => request<T>('POST', path, { body: form, query }),
  /** a document as the body, as it is (`application/xml` …) */
  send: <T>(path: string, body: Blob | string, type: string) => request<T>('POST', path, { raw: { body, type } }),
};

/** Downloads a file from the API (cookie session, the UI's language) and hands it to the browser as a download. */
export async function downloadFile(
  path: string,
  query?: Query,
  fallbackName = 'download',
  retried = false,
): Promise<void> {
  const res = await fetch(`/api/v1${path}${toQueryString(query)}`, {
    headers: { 'Accept-Language': language },
    credentials: 'same-origin',
  });
  if (sessionEnded(res.status, path) && !retried) {
    if (await waitForSignIn()) return downloadFile(path, query, fallbackName, true);
  }
  return saveDownload(res, fallbackName);
}

/**
 * Downloads what a POST answers (an analysis asked with `?format=xlsx`): the body as JSON, with the CSRF header of
 * every other write; a refusal becomes an ApiError with the server's message.
 */
export async function downloadPosted(
  path: string,
  body: unknown,
  query?: Query,
  fallbackName = 'download',
  retried = false,
): Promise<void> {
  const headers: Record<string, string> = { 'Accept-Language': language, 'Content-Type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/v1${path}${toQueryString(query)}`, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify(body ?? {}),
  });
  if (sessionEnded(res.status, path) && !retried) {
    if (await waitForSignIn()) return downloadPosted(path, body, query, fallbackName, true);
  }
  return saveDownload(res, fallbackName);
}

/** A file answer handed to the browser under the server's file name; a refusal thrown in words. */
async function saveDownload(res: Response, fallbackName: string): Promise<void> {
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? res.statusText);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : (plain?.[1] ?? fallbackName);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
