/** The demo's hidden dangers: loaded after the enterprises of the safety module (see loadDangersDemo). */
import type { DangersDeps } from './dangers.service.ts';

export async function loadDangersDemo(deps: DangersDeps): Promise<string | undefined> {
  if (!deps.safety()) return undefined;
  return undefined;
}
