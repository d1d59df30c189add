import { type Static, Type as T, type TSchema, type TUnsafe } from 'typebox';

/** Every error reply: `{"error": {code, message, field}}`, message in the request's language. */
export const ErrorBody = T.Object({
  error: T.Object({
    code: T.String({ description: 'stable code, e.g. VALIDATION, FORBIDDEN, OUT_OF_SCOPE' }),
    message: T.String({ description: 'for people, in the language of Accept-Language (zh-CN by default)' }),
    field: T.Optional(T.String({ description: 'the offending field: `casualties.deaths`, `roadIds.3`, `offset`' })),
    reasons: T.Optional(T.Array(T.String(), { description: 'a refused document: every problem, one line each' })),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Lists: `{items, total}`. */
export const ListOf = <S extends TSchema>(item: S) => T.Object({ items: T.Array(item), total: T.Integer() });
/** The reply of a list route whose items are `Item` (what `ListOf(schemaOfItem)` validates). */
export type ListReply<Item> = Static<ReturnType<typeof ListOf<TUnsafe<Item>>>>;

export const IdParams = T.Object({ id: T.String({ format: 'uuid' }) });

/** The largest value of a PostgreSQL `integer` column (counts, versions). */
export const INT4_MAX = 2_147_483_647;

/** A count stored in an `integer` column: whole, not negative, within the column's range. */
export const Count = (opts: { description?: string; default?: number } = {}) =>
  T.Integer({ minimum: 0, maximum: INT4_MAX, ...opts });

/** A record's version as read (stale → 409); an `integer` column. */
export const Version = (description = 'the version the change was made on; stale → 409') =>
  T.Integer({ minimum: 0, maximum: INT4_MAX, description });

/**
 * The deepest a list may be paged. Offset paging reads and skips every row before the page: beyond this, narrow the
 * filters instead (and a number beyond 2^53 is not a number PostgreSQL is ever sent).
 */
export const MAX_OFFSET = 100_000;

/**
 * The paging parameters every list takes (`limit`, `offset`), with the list's own page size. Spread them into the
 * list's query: `T.Object({ state: …, ...paging() })`.
 */
export function paging(opts: { maxLimit?: number; defaultLimit?: number } = {}) {
  const maxLimit = opts.maxLimit ?? 500;
  return {
    limit: T.Optional(T.Integer({ minimum: 1, maximum: maxLimit, default: opts.defaultLimit ?? 50 })),
    offset: T.Optional(
      T.Integer({
        minimum: 0,
        maximum: MAX_OFFSET,
        default: 0,
        description: `at most ${MAX_OFFSET}: narrow the filters`,
      }),
    ),
  };
}

/** A list's query with only paging. */
export const Paging = T.Object(paging());
export type Paging = Static<typeof Paging>;
