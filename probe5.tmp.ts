import { reduceCover } from './server/modules/forces/siting/mclp.ts';
import { geometricInstance } from './bench/siting.bench.ts';
const p = geometricInstance(2027, 2000, 20000);
for (let i = 0; i < 3; i++) { const t = performance.now(); const r = reduceCover(p); console.log((performance.now() - t).toFixed(0), 'ms', r.keep.length, r.problem.weights.length); }
