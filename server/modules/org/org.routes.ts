import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { ListOf } from '../../../contracts/common.ts';
import { OrgUnit, RoleDto, User, UserInput, UserPatch } from '../../../contracts/org.ts';
import * as org from './org.service.ts';

export function orgRoutes(app: FastifyInstance, deps: org.OrgDeps): void {
  app.get(
    '/api/v1/org/units',
    { config: { permission: 'org.read' }, schema: { tags: ['org'], response: { 200: ListOf(OrgUnit) } } },
    async () => {
      const items = await org.listUnits(deps);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/v1/org/users',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags: ['org'],
        querystring: T.Object({
          q: T.Optional(T.String({ maxLength: 100 })),
          unitCode: T.Optional(T.String()),
          role: T.Optional(T.String()),
          limit: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: T.Optional(T.Integer({ minimum: 0, default: 0 })),
        }),
        response: { 200: ListOf(User) },
      },
    },
    async (req) => org.listUsers(deps, req.ctx, req.query as never),
  );

  app.post(
    '/api/v1/org/users',
    { config: { permission: 'org.manage' }, schema: { tags: ['org'], body: UserInput, response: { 200: User } } },
    async (req) => org.createUser(deps, req.ctx, req.body as never),
  );

  app.get(
    '/api/v1/org/users/:id',
    {
      config: { permission: 'org.manage' },
      schema: { tags: ['org'], params: T.Object({ id: T.String({ format: 'uuid' }) }), response: { 200: User } },
    },
    async (req) => org.getUser(deps, req.ctx, (req.params as { id: string }).id),
  );

  app.patch(
    '/api/v1/org/users/:id',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags: ['org'],
        params: T.Object({ id: T.String({ format: 'uuid' }) }),
        body: UserPatch,
        response: { 200: User },
      },
    },
    async (req) => org.updateUser(deps, req.ctx, (req.params as { id: string }).id, req.body as never),
  );

  app.get(
    '/api/v1/org/roles',
    { config: { permission: 'org.read' }, schema: { tags: ['org'], response: { 200: ListOf(RoleDto) } } },
    async () => {
      const items = await org.listRoles(deps);
      return { items, total: items.length };
    },
  );

  app.patch(
    '/api/v1/org/roles/:code',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags: ['org'],
        params: T.Object({ code: T.String() }),
        body: T.Object({ permissions: T.Array(T.String()), version: T.Integer() }),
        response: { 200: RoleDto },
      },
    },
    async (req) => {
      const b = req.body as { permissions: string[]; version: number };
      return org.updateRole(deps, req.ctx, (req.params as { code: string }).code, b.permissions, b.version);
    },
  );
}
