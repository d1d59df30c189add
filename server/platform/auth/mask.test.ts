import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from './mask.ts';

describe('masking personal fields', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86****5678'],
    ['06315200001', '063****0001'],
    ['5200001', '52***01'],
    ['119', '***'],
    ['', ''],
  ])('phone %s → %s', (raw, masked) => {
    expect(maskPhone(raw)).toBe(masked);
  });
  it('keeps the first six and last four digits of an ID number', () => {
    expect(maskIdNumber('37100219900101123X')).toBe('371002********123X');
  });
});
