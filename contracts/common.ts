import { type Static, Type as T, type TSchema } from 'typebox';

/** Every error reply: `{"error": {code, message, field}}`, message in the request's language. */
export const ErrorBody = T.Object({
  error: T.Object({
    code: T.String(),
    message: T.String(),
    field: T.Optional(T.String()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Lists: `{items, total}`; `totalExact: false` marks an estimate for large unfiltered sets. */
export const ListOf = <S extends TSchema>(item: S) =>
  T.Object({ items: T.Array(item), total: T.Integer(), totalExact: T.Optional(T.Boolean()) });

export const IdParams = T.Object({ id: T.String({ format: 'uuid' }) });

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
