import type { Tx } from '../db/index.ts';

const INFO = [
  'id',
  'entity',
  'entity_id',
  'name',
  'mime',
  'size',
  'sha256',
  'uploaded_by',
  'uploaded_by_name',
  'uploaded_at',
] as const;

export async function insertFile(
  db: Tx,
  f: {
    id: string;
    entity: string;
    entityId: string;
    name: string;
    mime: string;
    data: Uint8Array;
    sha256: string;
    uploadedBy: string | null;
    uploadedByName: string;
    uploadedAt: Date;
  },
) {
  return db
    .insertInto('files')
    .values({
      id: f.id,
      entity: f.entity,
      entity_id: f.entityId,
      name: f.name,
      mime: f.mime,
      size: f.data.byteLength,
      sha256: f.sha256,
      data: f.data,
      uploaded_by: f.uploadedBy,
      uploaded_by_name: f.uploadedByName,
      uploaded_at: f.uploadedAt,
    })
    .returning(INFO)
    .executeTakeFirstOrThrow();
}

export async function findFile(db: Tx, id: string) {
  return db.selectFrom('files').select(INFO).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function fileData(db: Tx, id: string) {
  const r = await db.selectFrom('files').select('data').where('id', '=', id).executeTakeFirst();
  return r?.data;
}

export async function listFiles(db: Tx, entity: string, entityId: string, limit: number, offset: number) {
  const base = db
    .selectFrom('files')
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .where('deleted_at', 'is', null);
  const [items, total] = await Promise.all([
    base.select(INFO).orderBy('uploaded_at').orderBy('id').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function markDeleted(db: Tx, id: string, at: Date) {
  await db.updateTable('files').set({ deleted_at: at }).where('id', '=', id).execute();
}
