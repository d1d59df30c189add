// Attachments over HTTP: the multipart upload (fields in any order), the record deciding who reads and who attaches,
// downloads inline or saved, removal by the uploader only, and every refusal in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentInput } from '../../test/factories.ts';
import { startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let duty: { token: string };
let duty2: { token: string };
let viewer: { token: string };
let wendeng: { token: string };
let incidentId: string;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

function form(parts: { name: string; value?: string; file?: { name: string; data: Buffer } }[]) {
  const boundary = '----anlan-files-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if (p.file)
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${p.file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        p.file.data,
        Buffer.from('\r\n'),
      );
    else chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  t = await startTestApp();
  duty = await t.userWith('duty_officer', 'yjj', 'city');
  duty2 = await t.userWith('duty_officer', 'yjj', 'city');
  viewer = await t.userWith('viewer', 'yjj', 'city');
  wendeng = await t.userWith('district_staff', '371003', 'district');
  // an incident in 环翠区: the 文登 district staff may not see it
  const r = await t.api('POST', '/api/v1/incidents', { token: duty.token, body: incidentInput() });
  expect(r.statusCode).toBe(201);
  incidentId = r.json().id;
});
afterAll(() => t.stop());

describe('/api/v1/files', () => {
  it('attaches a photo to an incident, lists it, serves it inline, and removes it for its uploader only', async () => {
    // the file first, the fields after it: the order of the parts does not matter
    const up = form([
      { name: 'file', file: { name: '../../现场照片.png', data: PNG } },
      { name: 'entity', value: 'incident' },
      { name: 'entityId', value: incidentId },
    ]);
    const r = await t.api('POST', '/api/v1/files', { token: duty.token, body: up.body, headers: up.headers });
    expect(r.statusCode).toBe(201);
    const info = r.json();
    expect(info).toMatchObject({ entity: 'incident', entityId: incidentId, name: '现场照片.png', mime: 'image/png' });
    expect(info.size).toBe(PNG.length);
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);

    const list = await t.api('GET', `/api/v1/files?entity=incident&entityId=${incidentId}`, { token: viewer.token });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: info.id, name: '现场照片.png' }] });

    const got = await t.api('GET', `/api/v1/files/${info.id}`, { token: viewer.token });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(String(got.headers['content-disposition'])).toMatch(/^inline; /);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    const saved = await t.api('GET', `/api/v1/files/${info.id}?download=true`, { token: viewer.token });
    expect(String(saved.headers['content-disposition'])).toContain(encodeURIComponent('现场照片.png'));
    expect(String(saved.headers['content-disposition'])).toMatch(/^attachment; /);

    // out of the record's scope: neither the list nor the file
    const far = await t.api('GET', `/api/v1/files/${info.id}`, { token: wendeng.token });
    expect(far.statusCode).toBe(403);

    // another duty officer may attach but not remove what someone else attached
    const other = await t.api('DELETE', `/api/v1/files/${info.id}`, { token: duty2.token });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FILE_NOT_OWNER');
    expect((await t.api('DELETE', `/api/v1/files/${info.id}`, { token: duty.token })).statusCode).toBe(204);
    const after = await t.api('GET', `/api/v1/files?entity=incident&entityId=${incidentId}`, { token: duty.token });
    expect(after.json().total).toBe(0);
    expect((await t.api('GET', `/api/v1/files/${info.id}`, { token: duty.token })).statusCode).toBe(404);

    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', incidentId)
      .where('action', 'like', 'file.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['file.removed', 'file.uploaded']);
  });

  it('refuses in words: no file, unknown record kind, no such record, no right to attach, an empty file', async () => {
    const send = (token: string, parts: Parameters<typeof form>[0]) => {
      const f = form(parts);
      return t.api('POST', '/api/v1/files', { token, body: f.body, headers: f.headers });
    };
    const file = { name: 'file', file: { name: 'a.pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') } };
    const noFile = await send(duty.token, [
      { name: 'entity', value: 'incident' },
      { name: 'entityId', value: incidentId },
    ]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error).toMatchObject({ code: 'FILE_MISSING', field: 'file' });
    const noEntity = await send(duty.token, [file, { name: 'entityId', value: incidentId }]);
    expect(noEntity.json().error).toMatchObject({ code: 'FILE_MISSING', field: 'entity' });
    const kind = await send(duty.token, [
      file,
      { name: 'entity', value: 'spaceship' },
      { name: 'entityId', value: 'x' },
    ]);
    expect(kind.statusCode).toBe(400);
    expect(kind.json().error).toMatchObject({ code: 'FILE_ENTITY_UNKNOWN', field: 'entity' });
    const none = await send(duty.token, [
      file,
      { name: 'entity', value: 'incident' },
      { name: 'entityId', value: '00000000-0000-4000-8000-000000000000' },
    ]);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.field).toBe('entityId');
    // a viewer reads the incident but may not write its log, so may not attach to it
    const viewerUp = await send(viewer.token, [
      file,
      { name: 'entity', value: 'incident' },
      { name: 'entityId', value: incidentId },
    ]);
    expect(viewerUp.statusCode).toBe(403);
    const empty = await send(duty.token, [
      { name: 'file', file: { name: 'e.txt', data: Buffer.alloc(0) } },
      { name: 'entity', value: 'incident' },
      { name: 'entityId', value: incidentId },
    ]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('FILE_EMPTY');
    const notForm = await t.api('POST', '/api/v1/files', { token: duty.token, body: { entity: 'incident' } });
    expect(notForm.statusCode).toBe(400);
    expect(notForm.json().error.code).toBe('FILE_MISSING');
  });
});
