import { type Static, Type as T, type TSchema, type TUnsafe } from 'typebox';

/** Every error reply: `{"error": {code, message, field}}`, message in the request's language. */
export const ErrorBody = T.Object({
  error: T.Object({
    code: T.String(),
    message: T.String(),
    field: T.Optional(T.String()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Lists: `{items, total}`. */
export const ListOf = <S extends TSchema>(item: S) => T.Object({ items: T.Array(item), total: T.Integer() });
/** The reply of a list route whose items are `Item` (what `ListOf(schemaOfItem)` validates). */
export type ListReply<Item> = Static<ReturnType<typeof ListOf<TUnsafe<Item>>>>;

export const IdParams = T.Object({ id: T.String({ format: 'uuid' }) });
