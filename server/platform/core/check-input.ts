/**
 * The route's schema, checked again below the route: services are called by imports, the CLI, the demo and other
 * modules too, and must refuse what an HTTP request would be refused (an empty title, a negative count) in the same
 * words — `VALIDATION` naming the first wrong field, the reason in the reader's language.
 */
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../../errors.ts';
import { fieldOf, reasonOf } from '../http/errors.plugin.ts';

export function checkInput<S extends TSchema>(schema: S, input: unknown): asserts input is Static<S> {
  if (Value.Check(schema, input)) return;
  const errors = [...Value.Errors(schema, input)];
  const e = (errors.find((x) => x.keyword !== 'anyOf') ?? errors[0]) as never;
  throw new AppError('VALIDATION', { field: fieldOf(e), reason: { zh: reasonOf(e, 'zh'), en: reasonOf(e, 'en') } });
}
