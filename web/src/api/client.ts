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
let onUnauthorized: (() => void) | null = null;
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

/** Called when a request (other than auth/me and login) gets 401: the session ended. */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

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
function refusal(path: string, status: number, statusText: string, data: unknown): ApiError {
  const e = (data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
  const err = new ApiError(status, e?.code ?? `http_${status}`, e?.message ?? `${status} ${statusText}`, e?.field);
  if (status === 401 && !path.startsWith('/auth/')) onUnauthorized?.();
  if (status === 403 && err.code === PASSWORD_CHANGE_REQUIRED) onPasswordChangeRequired?.();
  return err;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  const form = opts.body instanceof FormData ? opts.body : undefined;
  if (opts.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${toQueryString(opts.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw unreachable();
  }
  if (res.status === 204) return undefined as T;
  const data = parse(await res.text());
  if (!res.ok) throw refusal(path, res.status, res.statusText, data);
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
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(refusal(path, xhr.status, xhr.statusText, data));
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
};

/** Downloads a file from the API (cookie session, the UI's language) and hands it to the browser as a download. */
export async function downloadFile(path: string, query?: Query, fallbackName = 'download'): Promise<void> {
  const res = await fetch(`/api/v1${path}${toQueryString(query)}`, {
    headers: { 'Accept-Language': language },
    credentials: 'same-origin',
  });
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
