// The relief plan's solver against the truth: every integer split enumerated on small instances, HiGHS (the LP of
// the same transportation problem, two phases) on a medium one; the plan's verdict, unmet need and extra stock; the
// greedy comparison never better.
import loadHighs, { type Highs } from 'highs';
import { describe, expect, it } from 'vitest';
import { greedyPlan } from './greedy.ts';
import { solveTransport } from './mcf.ts';
import { type ReliefInput, reliefPlan } from './relief-plan.ts';

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Instance {
  supply: number[];
  demand: number[];
  from: Int32Array;
  to: Int32Array;
  cost: Float64Array;
}

function instance(seed: number, W: number, P: number, maxQ: number, arcShare: number): Instance {
  const r = random(seed);
  const supply = Array.from({ length: W }, () => Math.floor(r() * (maxQ + 1)));
  const demand = Array.from({ length: P }, () => Math.floor(r() * (maxQ + 1)));
  const from: number[] = [];
  const to: number[] = [];
  const cost: number[] = [];
  for (let i = 0; i < W; i++)
    for (let j = 0; j < P; j++)
      if (r() < arcShare) {
        from.push(i);
        to.push(j);
        cost.push(Math.floor(r() * 50));
      }
  return { supply, demand, from: Int32Array.from(from), to: Int32Array.from(to), cost: Float64Array.from(cost) };
}

/** the lexicographic optimum (least unmet, then least cost) by trying every integer split */
function enumerate(p: Instance): { unmet: number; cost: number } {
  const left = [...p.supply];
  const got = p.demand.map(() => 0);
  let best = { unmet: Number.POSITIVE_INFINITY, cost: Number.POSITIVE_INFINITY };
  const A = p.from.length;
  const go = (a: number, cost: number) => {
    if (a === A) {
      const unmet = p.demand.reduce((s, d, j) => s + d - got[j], 0);
      if (unmet < best.unmet || (unmet === best.unmet && cost < best.cost)) best = { unmet, cost };
      return;
    }
    const i = p.from[a];
    const j = p.to[a];
    const most = Math.min(left[i], p.demand[j] - got[j]);
    for (let q = 0; q <= most; q++) {
      left[i] -= q;
      got[j] += q;
      go(a + 1, cost + q * p.cost[a]);
      left[i] += q;
      got[j] -= q;
    }
  };
  go(0, 0);
  return best;
}

/** HiGHS on the same problem: least unmet first, then least cost with the unmet total fixed */
function highsSolve(highs: Highs, p: Instance): { unmet: number; cost: number } {
  const W = p.supply.length;
  const P = p.demand.length;
  const A = p.from.length;
  const x = (a: number) => `x${a}`;
  const u = (j: number) => `u${j}`;
  const rows = (extra: string) => {
    const out: string[] = [];
    for (let i = 0; i < W; i++) {
      const terms = [];
      for (let a = 0; a < A; a++) if (p.from[a] === i) terms.push(x(a));
      if (terms.length) out.push(` s${i}: ${terms.join(' + ')} <= ${p.supply[i]}`);
    }
    for (let j = 0; j < P; j++) {
      const terms = [u(j)];
      for (let a = 0; a < A; a++) if (p.to[a] === j) terms.push(x(a));
      out.push(` d${j}: ${terms.join(' + ')} = ${p.demand[j]}`);
    }
    return `subject to\n${out.join('\n')}\n${extra}end\n`;
  };
  const unmetSum = Array.from({ length: P }, (_, j) => u(j)).join(' + ');
  const first = highs.solve(`minimize\n obj: ${unmetSum}\n${rows('')}`);
  expect(first.Status).toBe('Optimal');
  const unmet = Math.round(first.ObjectiveValue);
  const costTerms = Array.from({ length: A }, (_, a) => `${p.cost[a]} ${x(a)}`).join(' + ');
  const second = highs.solve(`minimize\n obj: ${costTerms}\n${rows(` fix: ${unmetSum} <= ${unmet}\n`)}`);
  expect(second.Status).toBe('Optimal');
  return { unmet, cost: Math.round(second.ObjectiveValue) };
}

describe('min-cost flow for one item', () => {
  it('equals the optimum found by trying every integer split, on 40 small instances', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const p = instance(seed, 3, 3, 3, 0.7);
      const s = solveTransport(p);
      const truth = enumerate(p);
      expect({ seed, unmet: s.unmetTotal, cost: s.cost }).toEqual({ seed, ...truth });
      // the flow is a flow: within supply, never above need
      for (let i = 0; i < 3; i++) {
        let sent = 0;
        for (let a = 0; a < p.from.length; a++) if (p.from[a] === i) sent += s.flow[a];
        expect(sent + s.left[i]).toBe(p.supply[i]);
      }
    }
  });

  it('prefers delivering more to delivering sooner: one unit far beats none', () => {
    // one warehouse, two places; serving the near one only would be cheaper per unit but leave more unmet
    const s = solveTransport({
      supply: [2],
      demand: [1, 1],
      from: Int32Array.from([0, 0]),
      to: Int32Array.from([0, 1]),
      cost: Float64Array.from([10, 40_000]),
    });
    expect(s.unmetTotal).toBe(0);
    expect(Array.from(s.flow)).toEqual([1, 1]);
  });

  it('equals HiGHS on a random medium instance (same objective, both phases)', async () => {
    const highs = await loadHighs();
    for (const seed of [7, 8]) {
      const p = instance(seed, 12, 40, 60, 0.35);
      const s = solveTransport(p);
      expect({ unmet: s.unmetTotal, cost: s.cost }).toEqual(highsSolve(highs, p));
    }
  });

  it('refuses what is not a whole quantity or cost', () => {
    const base = { from: Int32Array.from([0]), to: Int32Array.from([0]), cost: Float64Array.from([1]) };
    expect(() => solveTransport({ ...base, supply: [1.5], demand: [1] })).toThrow(/supply\[0\]/);
    expect(() => solveTransport({ ...base, supply: [1], demand: [-1] })).toThrow(/demand\[0\]/);
  });
});

// warehouses a (near, small), b (farther, large), c (agreement: 2 h lead time); places p, q
function city(o: { deadlineHours?: number; needP?: number } = {}): ReliefInput {
  const places = ['p', 'q'];
  const travel = [
    [600, 1800], // a
    [1500, 900], // b
    [300, 300], // c
  ];
  return {
    warehouses: [
      { id: 'a', loadingMinutes: 10, leadTimeHours: 0 },
      { id: 'b', loadingMinutes: 30, leadTimeHours: 0 },
      { id: 'c', loadingMinutes: 0, leadTimeHours: 2 },
    ],
    places,
    supply: [
      { warehouseId: 'a', itemCode: '1110100', quantity: 50 },
      { warehouseId: 'b', itemCode: '1110100', quantity: 500 },
      { warehouseId: 'c', itemCode: '1110100', quantity: 1000 },
      { warehouseId: 'b', itemCode: '1120100', quantity: 10 },
    ],
    needs: [
      { placeId: 'p', itemCode: '1110100', quantity: o.needP ?? 100 },
      { placeId: 'q', itemCode: '1110100', quantity: 100 },
      { placeId: 'q', itemCode: '1120100', quantity: 30 },
    ],
    travelSeconds: Float64Array.from(travel.flat()),
    startAt: new Date('2026-12-06T00:00:00Z'),
    deadlineSeconds: (o.deadlineHours ?? 12) * 3600,
  };
}

describe('relief plan', () => {
  it('ships from the soonest warehouses, departs after loading and lead time, and says what is short', () => {
    const plan = reliefPlan(city());
    const water = plan.shipments.filter((s) => s.itemCode === '1110100');
    expect(water).toEqual([
      {
        warehouseId: 'a',
        placeId: 'p',
        itemCode: '1110100',
        quantity: 50,
        departAt: '2026-12-06T00:10:00.000Z',
        etaSeconds: 1200,
      },
      {
        warehouseId: 'b',
        placeId: 'q',
        itemCode: '1110100',
        quantity: 100,
        departAt: '2026-12-06T00:30:00.000Z',
        etaSeconds: 2700,
      },
      {
        warehouseId: 'b',
        placeId: 'p',
        itemCode: '1110100',
        quantity: 50,
        departAt: '2026-12-06T00:30:00.000Z',
        etaSeconds: 3300,
      },
    ]);
    // tents: 10 of 30 in stock (at b); extra stock would help most at a, which reaches q first (40 min against 45)
    expect(plan.unmet).toEqual([{ placeId: 'q', itemCode: '1120100', quantity: 20 }]);
    expect(plan.extraStock).toEqual([{ warehouseId: 'a', itemCode: '1120100', quantity: 20, placeIds: ['q'] }]);
    expect(plan.feasibleWithinDeadline).toBe(false);
    expect(plan.totals).toEqual({
      need: 230,
      delivered: 210,
      unmet: 20,
      weightedSeconds: 50 * 1200 + 100 * 2700 + 50 * 3300 + 10 * 2700,
      lastArrivalSeconds: 3300,
    });
  });

  it('a deadline too short for every road: all unmet, no warehouse would help, the verdict says so', () => {
    const plan = reliefPlan(city({ deadlineHours: 0.25 }));
    expect(plan.shipments).toEqual([]);
    expect(plan.feasibleWithinDeadline).toBe(false);
    expect(plan.totals.unmet).toBe(230);
    expect(plan.extraStock.every((x) => x.warehouseId === null)).toBe(true);
    expect(plan.extraStock.map((x) => [x.itemCode, x.quantity])).toEqual(
      [
        ['1120100', 30],
        ['1110100', 200],
      ].sort((a, b) => (b[1] as number) - (a[1] as number)),
    );
  });

  it("an agreement reserve's lead time counts: it serves once the deadline allows it", () => {
    const big = reliefPlan(city({ needP: 700 }));
    const fromC = big.shipments.filter((s) => s.warehouseId === 'c');
    expect(fromC.length).toBeGreaterThan(0);
    expect(fromC.every((s) => s.departAt === '2026-12-06T02:00:00.000Z' && s.etaSeconds === 7500)).toBe(true);
    const short = reliefPlan(city({ needP: 700, deadlineHours: 2 }));
    expect(short.shipments.some((s) => s.warehouseId === 'c')).toBe(false);
  });

  it('the greedy plan is never better: more unmet, or as much and no sooner in total', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = random(seed);
      const W = 6;
      const P = 15;
      const input: ReliefInput = {
        warehouses: Array.from({ length: W }, (_, i) => ({ id: `w${i}`, loadingMinutes: 30, leadTimeHours: 0 })),
        places: Array.from({ length: P }, (_, j) => `p${j}`),
        supply: Array.from({ length: W }, (_, i) => ({
          warehouseId: `w${i}`,
          itemCode: '1110100',
          quantity: Math.floor(r() * 80),
        })),
        needs: Array.from({ length: P }, (_, j) => ({
          placeId: `p${j}`,
          itemCode: '1110100',
          quantity: 1 + Math.floor(r() * 40),
        })),
        travelSeconds: Float64Array.from({ length: W * P }, () =>
          r() < 0.15 ? Number.POSITIVE_INFINITY : 300 + Math.floor(r() * 20_000),
        ),
        startAt: new Date('2026-12-06T00:00:00Z'),
        deadlineSeconds: 4 * 3600,
      };
      const best = reliefPlan(input).totals;
      const greedy = greedyPlan(input).totals;
      expect(greedy.unmet).toBeGreaterThanOrEqual(best.unmet);
      if (greedy.unmet === best.unmet) expect(greedy.weightedSeconds).toBeGreaterThanOrEqual(best.weightedSeconds);
    }
  });
});
