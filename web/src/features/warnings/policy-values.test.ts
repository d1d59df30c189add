import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../../contracts/warnings.ts';
import { policyValues, toPolicyInput } from './policy-values.ts';

const policy: Policy = {
  id: 'p1',
  name: '暴雨升级',
  hazardCodes: ['11B03'],
  districts: ['371002'],
  minColour: 'yellow',
  steps: [
    { afterMinutes: 0, contacts: [{ user: 'duty', channels: ['in_app', 'sms'], phone: '13800000000' }] },
    {
      afterMinutes: 15,
      contacts: [
        { unit: 'WH-YJJ', channels: ['in_app'] },
        { channels: ['webhook'], webhookUrl: 'https://example.org/hook' },
      ],
    },
  ],
  enabled: true,
  version: 2,
};

describe('escalation policy values', () => {
  it('gives back the policy it was opened on', () => {
    const { id: _id, version: _v, ...input } = policy;
    expect(toPolicyInput(policyValues(policy))).toEqual(input);
  });

  it('names who a contact is by what it carries', () => {
    const v = policyValues(policy);
    expect(v.steps[0].contacts[0].who).toBe('user');
    expect(v.steps[1].contacts.map((c) => c.who)).toEqual(['unit', 'address']);
  });

  it('sends an address only with its channel, and a person only of the kind chosen', () => {
    const v = policyValues(policy);
    v.steps[0].contacts[0] = { ...v.steps[0].contacts[0], channels: ['in_app'], email: 'x@example.org' };
    v.steps[1].contacts[0] = { ...v.steps[1].contacts[0], who: 'user', user: ' commander ' };
    const input = toPolicyInput(v);
    expect(input.steps[0].contacts[0]).toEqual({ user: 'duty', channels: ['in_app'] });
    expect(input.steps[1].contacts[0]).toEqual({ user: 'commander', channels: ['in_app'] });
  });

  it('starts a new policy with one immediate step to one person in the app', () => {
    expect(policyValues().steps).toEqual([{ afterMinutes: 0, contacts: [{ who: 'user', channels: ['in_app'] }] }]);
  });
});
