/** A name's search keys: full pinyin without tones or spaces, and the initials (`张三` → `zhangsan`, `zs`). */
import { pinyin } from 'pinyin-pro';

const CJK = /[\u3400-\u9fff]/;
const cache = new Map<string, { full: string; initials: string }>();

export function pinyinKeys(name: string): { full: string; initials: string } {
  const hit = cache.get(name);
  if (hit) return hit;
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  let keys: { full: string; initials: string };
  if (!CJK.test(name)) keys = { full: norm(name), initials: '' };
  else {
    const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) as string[];
    let full = '';
    let initials = '';
    for (const s of syllables) {
      const t = norm(s);
      if (!t) continue;
      full += t;
      initials += t[0];
    }
    keys = { full, initials };
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(name, keys);
  return keys;
}
