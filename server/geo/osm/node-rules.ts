/**
 * What a tagged OSM node on a road means for routing: a barrier or node access tags that stop a profile from
 * passing through it, and traffic signals. Pure functions over the tag record, as OSRM's car.lua `process_node`:
 * the node's access tags decide first (the same keys and value lists as ways); without them `barrier=*` decides
 * by the profile's open and closed lists, and a value in neither stops the vehicle (and is counted as unknown).
 */
import { PROFILES } from '../road/network.ts';
import type { Tags } from './osm-types.ts';
import type { ProfileConfig } from './profiles.ts';
import { type AccessRule, accessDecision, matchesTag, unknownValues } from './way-rules.ts';

export interface NodeRule {
  /** bit p set: PROFILES[p] may not pass through the node */
  closed: number;
  /** highway=traffic_signals */
  signals: boolean;
  /** the node carries barrier=* (whatever it means to the profiles) */
  barrier: boolean;
}

export interface NodeRules {
  /** the keys that make a node's tags worth reading */
  keys: ReadonlySet<string>;
  evaluate(tags: Tags): NodeRule;
}

/** Compiles the profiles' node rules; values no profile knows go to onUnknown as "key=value". */
export function compileNodeRules(cfg: ProfileConfig, onUnknown: (tag: string) => void = () => {}): NodeRules {
  const profiles = PROFILES.map((name) => {
    const p = cfg.profiles[name];
    const access: AccessRule = { allow: new Set(p.accessAllow), deny: new Set(p.accessDeny) };
    return {
      access,
      keys: p.accessKeys,
      open: new Set(p.barriers.open),
      openWhen: p.barriers.openWhen,
      openDespiteAccess: new Set(p.barriers.openDespiteAccess),
    };
  });
  const accessKeys = new Set(profiles.flatMap((p) => p.keys));
  const knownAccess = (v: string) => profiles.some((p) => p.access.allow.has(v) || p.access.deny.has(v));
  const knownBarriers = new Set(
    PROFILES.flatMap((n) => [...cfg.profiles[n].barriers.open, ...cfg.profiles[n].barriers.closed]),
  );

  return {
    keys: new Set(['barrier', 'highway', ...accessKeys]),
    evaluate(tags) {
      const barrier = tags.barrier;
      if (barrier !== undefined && !knownBarriers.has(barrier)) onUnknown(`barrier=${barrier}`);
      unknownValues(tags, accessKeys, knownAccess, onUnknown);
      let closed = 0;
      for (let p = 0; p < profiles.length; p++) {
        const pr = profiles[p];
        if (barrier !== undefined && pr.openDespiteAccess.has(barrier)) continue;
        const access = accessDecision(pr.access, tags, pr.keys);
        let open: boolean;
        if (access !== null) open = access;
        else if (barrier === undefined) open = true;
        else {
          open =
            pr.open.has(barrier) ||
            pr.openWhen.some((m) => matchesTag(tags, m)) ||
            // OSRM: a kerb on a crossing node is the crossing's kerb mistagged onto the road
            (barrier === 'kerb' && tags.highway === 'crossing');
        }
        if (!open) closed |= 1 << p;
      }
      return { closed, signals: tags.highway === 'traffic_signals', barrier: barrier !== undefined };
    },
  };
}
