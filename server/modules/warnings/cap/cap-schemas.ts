/**
 * The OASIS schemas shipped in `schemas/` beside this file (copied as they are into dist/ by
 * scripts/build-server.mjs, so the compiled start finds them at the same place), compiled once by libxml2.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import type { CapVersion } from './cap-types.ts';

/** The folder of the shipped schemas, from the sources or from dist/. */
export const SCHEMA_DIR = fileURLToPath(new URL('./schemas/', import.meta.url));

export const SCHEMA_FILES = {
  '1.0': 'cap10.xsd',
  '1.1': 'cap11.xsd',
  '1.2': 'cap12.xsd',
  'edxl-de': 'edxlde-1_0.xsd',
} as const satisfies Record<CapVersion | 'edxl-de', string>;
export type SchemaName = keyof typeof SCHEMA_FILES;

const compiled = new Map<SchemaName, XsdValidator>();

/** The compiled validator of one schema (kept for the life of the process: a few kilobytes each). */
export function schemaValidator(name: SchemaName): XsdValidator {
  let v = compiled.get(name);
  if (!v) {
    // the schema document stays alive with its validator: libxml2's compiled schema may point into it
    const doc = XmlDocument.fromBuffer(readFileSync(`${SCHEMA_DIR}${SCHEMA_FILES[name]}`));
    v = XsdValidator.fromDoc(doc);
    compiled.set(name, v);
  }
  return v;
}
