// No request silently dropped when the session ends (issue 9 §3): the user signs in again, the request goes again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onSessionExpiry, sessionExpiry, setUnauthorizedHandler } from './client.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const ended = () => json(401, { error: { code: 'UNAUTHENTICATED', message: '请先登录' } });

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe('a request refused because the session ended', () => {
  it('waits for the user to sign in again, then is sent again as it was', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(ended())
      .mockResolvedValueOnce(json(200, { number: 'WH-2026-000042' }));
    vi.stubGlobal('fetch', fetch);
    const signIn = vi.fn(async () => true);
    setUnauthorizedHandler(signIn);
    const body = { title: '石岛港区油罐起火', typeCode: '12D03' };
    await expect(api.post('/incidents', body)).resolves.toEqual({ number: 'WH-2026-000042' });
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[1][1].body).toBe(JSON.stringify(body));
  });

  it('asks once for several refused requests', async () => {
    vi.stubGlobal(
      'fetch',
      vi
        .fn(async () => ended())
        .mockResolvedValueOnce(ended())
        .mockResolvedValueOnce(ended())
        .mockResolvedValueOnce(json(200, { a: 1 }))
        .mockResolvedValueOnce(json(200, { b: 2 })),
    );
    let release: (ok: boolean) => void = () => undefined;
    const signIn = vi.fn(() => new Promise<boolean>((r) => (release = r)));
    setUnauthorizedHandler(signIn);
    const both = Promise.all([api.get('/a'), api.get('/b')]);
    await vi.waitFor(() => expect(signIn).toHaveBeenCalled());
    release(true);
    expect(await both).toHaveLength(2);
    expect(signIn).toHaveBeenCalledTimes(1);
  });

  it('fails with 401 when the user gives up signing in (the form keeps its draft)', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => ended()),
    );
    setUnauthorizedHandler(async () => false);
    const err = await api.post('/incidents', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).isUnauthorized).toBe(true);
  });

  it('a wrong password at sign-in is no ended session', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => ended()),
    );
    const signIn = vi.fn(async () => true);
    setUnauthorizedHandler(signIn);
    await expect(api.post('/auth/login', {})).rejects.toBeInstanceOf(ApiError);
    expect(signIn).not.toHaveBeenCalled();
  });
});

describe("the session's end", () => {
  it('is read from every answer, and heard by whoever listens', async () => {
    const at = '2026-12-04T22:00:00.000Z';
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, {}, { 'x-session-expires': at })),
    );
    const heard: (number | null)[] = [];
    const off = onSessionExpiry((t) => heard.push(t));
    await api.get('/incidents');
    off();
    expect(sessionExpiry()).toBe(Date.parse(at));
    expect(heard).toEqual([Date.parse(at)]);
  });
});

describe('a document sent as it is', () => {
  it('goes with its own content type, and a refusal keeps every reason the server gave', async () => {
    const fetch = vi.fn(async () =>
      json(400, {
        error: { code: 'CAP_INVALID', message: '不是有效的 CAP 文档', field: 'body' },
        reasons: ['第 3 行：缺少 <identifier>', '第 9 行：<status> 的值 Draft 不在允许范围内'],
      }),
    );
    vi.stubGlobal('fetch', fetch);
    const xml = '<?xml version="1.0"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>';
    const err = (await api.send('/cap/import', xml, 'application/xml').catch((e: unknown) => e)) as ApiError;
    const sent = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(sent[1].body).toBe(xml);
    expect((sent[1].headers as Record<string, string>)['Content-Type']).toBe('application/xml');
    expect(err.code).toBe('CAP_INVALID');
    expect((err.body as { reasons: string[] }).reasons).toHaveLength(2);
  });
});
