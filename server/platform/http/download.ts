/** What a download route sends with its bytes: the type of a workbook, and how the file is named. */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Content-Disposition of a download (RFC 6266): `filename*` the name the reader should see, in UTF-8 (RFC 8187), and
 * `filename` a plain-ASCII one for clients that take nothing else (by default the same name, every other character,
 * quote and backslash replaced by `_`).
 */
export function attachment(
  name: string,
  asciiName: string = name,
  kind: 'attachment' | 'inline' = 'attachment',
): string {
  const ascii = asciiName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A register's export: `救援队伍-teams-2026-12-04.xlsx` for the reader, the ASCII name after the prefix for the rest. */
export function prefixedAttachment(prefix: string, name: string): string {
  return attachment(`${prefix}-${name}`, name);
}
