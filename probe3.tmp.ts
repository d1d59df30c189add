import { solveMaxCover } from './server/modules/forces/siting/mclp.ts';
import { geometricInstance } from './bench/siting.bench.ts';
const [cand, cells, k, lim] = process.argv.slice(2, 6).map(Number);
const extra = JSON.parse(process.argv[6] ?? '{}');
const p = geometricInstance(2026, cand, cells);
const r = await solveMaxCover(p, k, { timeLimitSec: lim, highsOptions: { output_flag: true, ...extra }, onLog: (l) => console.log(l) });
console.log({ ...r, chosen: r.chosen.length });
