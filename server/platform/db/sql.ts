/** Escapes LIKE's wildcards so that user text matches itself. */
export function escapeLike(text: string): string {
  return text.replace(/[%_\\]/g, (c) => `\\${c}`);
}

/** A LIKE/ILIKE pattern matching text anywhere. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
