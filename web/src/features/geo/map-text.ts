// Pure text helpers of the map (no DOM, no React): kept apart so that they can be unit-tested in Node.

/** Catalogue notes come as "中文 / English": the part in the UI language (the whole note in the tooltip). */
export function noteIn(note: string, en: boolean): string {
  // "…道路）/ synthetic …": the English half starts after a slash and a Latin letter
  const parts = note.split(/\s*\/\s*(?=[A-Za-z])/);
  if (parts.length !== 2) return note;
  return (en ? parts[1] : parts[0]).trim();
}

/**
 * The server names the point at fault by its request field (`to`, `origins.2`): put the user's word for it in
 * place of the field name, or before the message when the field is not at its start.
 */
export function nameTheField(message: string, field: string | undefined, label: string | null): string {
  if (!label || !field) return message;
  if (message.startsWith(field)) return `${label}${message.slice(field.length)}`;
  if (message.includes(label)) return message;
  return `${label}：${message}`;
}
