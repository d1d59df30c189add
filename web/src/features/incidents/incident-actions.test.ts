// Issue 9 §5: 调整级别 was offered on closed incidents (the service then refused it).
import { describe, expect, it } from 'vitest';
import { incidentActions } from './incident-actions.ts';

const all = () => true;

describe('actions on an incident', () => {
  it('offers edit and level change on an open incident, neither on a closed one', () => {
    expect(incidentActions({ status: 'responding' }, all)).toMatchObject({ edit: true, level: true });
    expect(incidentActions({ status: 'closed' }, all)).toMatchObject({ edit: false, level: false });
  });

  it('offers only what the user may do', () => {
    const a = incidentActions({ status: 'reported' }, (p) => p === 'incidents.level');
    expect(a).toEqual({ edit: false, level: true, transitions: [] });
    expect(incidentActions({ status: 'reported' }, all).transitions.length).toBeGreaterThan(0);
  });
});
