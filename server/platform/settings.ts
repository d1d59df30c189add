import type { Tx } from './db/index.ts';

/** Installation-wide settings (key → JSON), shared by modules; each module names its keys `<module>.<name>`. */
/** a setting's row; `forUpdate` locks it until the transaction ends (a check of its version before a change) */
export async function getSetting(db: Tx, key: string, o: { forUpdate?: boolean } = {}) {
  const q = db.selectFrom('settings').select(['value', 'version', 'updated_at']).where('key', '=', key);
  return (o.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function putSetting(db: Tx, key: string, value: unknown, now: Date) {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        value: JSON.stringify(value),
        updated_at: now,
        version: eb('settings.version', '+', 1),
      })),
    )
    .execute();
}
