import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: string | Tree };

// every namespace on disk, listed or not: the common one and one per feature
const files = {
  ...import.meta.glob<Tree>('./common/*.json', { eager: true, import: 'default' }),
  ...import.meta.glob<Tree>('../features/*/i18n/*.json', { eager: true, import: 'default' }),
};

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const namespaces = new Map<string, Record<string, Tree>>();
for (const [path, tree] of Object.entries(files)) {
  const m = /(?:\/(\w+)\/i18n|\.\/(common))\/([\w-]+)\.json$/.exec(path);
  if (!m) throw new Error(`unexpected translation file ${path}`);
  const ns = m[1] ?? m[2];
  namespaces.set(ns, { ...namespaces.get(ns), [m[3]]: tree });
}

describe('translations', () => {
  it('finds the common namespace and the features’', () => {
    expect([...namespaces.keys()]).toContain('common');
    expect(namespaces.size).toBeGreaterThan(1);
  });

  for (const [ns, langs] of namespaces) {
    it(`${ns}: zh-CN and en have the same keys, with the same placeholders`, () => {
      expect(Object.keys(langs).sort()).toEqual(['en', 'zh-CN']);
      const zh = leaves(langs['zh-CN']);
      const en = leaves(langs.en);
      expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
      // (an English text may be empty where Chinese needs a word English does not, like the counter 人)
      for (const [key, text] of zh) {
        expect(text.trim(), `${ns}:${key} (zh-CN)`).not.toBe('');
        expect(vars(en.get(key) ?? ''), `placeholders of ${ns}:${key}`).toEqual(vars(text));
      }
    });
  }

  // an English reader reads English: Chinese only where a Chinese name is cited in brackets (a document number)
  for (const [ns, langs] of namespaces) {
    it(`${ns}: the English texts hold no Chinese outside brackets`, () => {
      for (const [key, text] of leaves(langs.en ?? {})) {
        const outside = text.replace(/\([^)]*\)/g, '');
        expect(outside, `${ns}:${key} (en)`).not.toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }
});
