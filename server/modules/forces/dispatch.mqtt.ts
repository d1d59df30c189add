/**
 * Positions over MQTT: `anlan/v1/teams/{id}/positions` with the HTTP body's JSON, on the monitoring module's
 * embedded broker. MQTT username = the login name, password = an API token of that user; the user must hold
 * forces.status with the team in scope (else the broker closes the connection, as for a device publishing
 * elsewhere). A message the service refuses (bad JSON, a time too old) is acknowledged and counted: sending it again
 * would not make it better.
 */
import {
  type PositionInput,
  TEAM_POSITION_TOPIC_PREFIX,
  TEAM_POSITION_TOPIC_SUFFIX,
} from '../../../contracts/dispatch.ts';
import { AppError } from '../../errors.ts';
import type { AccessService } from '../../platform/access/access.service.ts';
import { inScope } from '../../platform/access/scope.ts';
import { authenticate } from '../../platform/auth/auth.service.ts';
import { API_TOKEN_PREFIX } from '../../platform/auth/tokens.ts';
import { can, type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { PlatformLog } from '../../platform/module.ts';
import type { TopicRoute } from '../monitoring/index.ts';
import { type DispatchDeps, reportPosition } from './dispatch.service.ts';
import * as forcesRepo from './forces.repository.ts';
import { certificateDays, teamVisibility } from './forces.service.ts';

export function positionsRoute(
  deps: DispatchDeps,
  access: AccessService,
  log: PlatformLog,
): TopicRoute<RequestCtx> & { refused: () => number } {
  let refused = 0;
  let lastWarning = 0;
  return {
    name: 'team positions',
    prefix: TEAM_POSITION_TOPIC_PREFIX,
    suffix: TEAM_POSITION_TOPIC_SUFFIX,
    refused: () => refused,
    async authenticate(username, password) {
      if (!password.startsWith(API_TOKEN_PREFIX)) return undefined;
      const a = await authenticate({ db: deps.db, clock: deps.clock, ids: deps.ids }, password);
      if (!a?.actor.id) return undefined;
      const user = await access.getUser(systemCtx(), a.actor.id);
      if (user.username !== username) return undefined;
      return { actor: a.actor, requestId: null, address: 'mqtt', lang: 'zh' };
    },
    async authorize(ctx, teamId) {
      if (!can(ctx.actor, 'forces.status')) return false;
      const team = await forcesRepo.findTeam(deps.db.kysely, teamId, certificateDays(deps.clock.now()));
      return !!team && inScope(ctx.actor, teamVisibility(team));
    },
    async handle(ctx, teamId, payload) {
      try {
        const body = JSON.parse(payload.toString('utf8')) as PositionInput;
        await reportPosition(deps, ctx, teamId, body, 'mqtt');
      } catch (err) {
        if (!(err instanceof AppError || err instanceof SyntaxError)) throw err;
        refused++;
        const now = Date.now();
        if (now - lastWarning > 10_000) {
          lastWarning = now;
          log.warn(`MQTT team position refused (team ${teamId}): ${err.message}`);
        }
      }
    },
  };
}
