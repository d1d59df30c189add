/**
 * i18next's interpolation over one translation file, without i18next: for tests of text builders that take a `t`
 * (the same key paths and `{{name}}` placeholders; a missing key throws).
 */
export const translateFile =
  (file: Record<string, unknown>) =>
  (key: string, opts: Record<string, unknown> = {}): string => {
    const raw = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], file);
    if (typeof raw !== 'string') throw new Error(`no text for ${key}`);
    return raw.replace(/{{(\w+)}}/g, (_, k: string) => String(opts[k]));
  };
