import { describe, expect, it } from 'vitest';
import { importReason } from '../../../contracts/road-import.ts';
import { SKIP } from './turn-restrictions.ts';
import { DROP } from './way-rules.ts';

describe('import reasons in both languages', () => {
  it('gives every reason the importer records a Chinese text', () => {
    for (const en of [...Object.values(DROP), ...Object.values(SKIP)]) {
      const zh = importReason(en, 'zh');
      expect(zh, en).not.toBe(en);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(importReason(en, 'en')).toBe(en);
    }
  });

  it('shows a reason it does not know as recorded', () => {
    expect(importReason('something new', 'zh')).toBe('something new');
  });
});
