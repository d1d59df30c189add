import { Type as T } from 'typebox';
import { IdParams, ListOf, paging, Version } from '../../../contracts/common.ts';
import { OrgUnit, PermissionList, RoleDto, User, UserInput, UserPatch } from '../../../contracts/org.ts';
import type { Platform, TypedApp } from '../../platform/module.ts';
import type { OrgApi } from './index.ts';

const tags = ['org'];

/** Units, users, roles and permissions: the administration of the platform's identity records. */
export function orgRoutes(app: TypedApp, api: OrgApi, p: Platform): void {
  app.get(
    '/api/v1/org/units',
    { config: { permission: 'org.read' }, schema: { tags, response: { 200: ListOf(OrgUnit) } } },
    async () => {
      const items = await api.listUnits();
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/v1/org/users',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags,
        querystring: T.Object({
          q: T.Optional(T.String({ maxLength: 100 })),
          unitCode: T.Optional(T.String({ maxLength: 64 })),
          role: T.Optional(T.String({ maxLength: 64 })),
          ...paging(),
        }),
        response: { 200: ListOf(User) },
      },
    },
    async (req) => p.access.listUsers(req.ctx, req.query),
  );

  app.post(
    '/api/v1/org/users',
    { config: { permission: 'org.manage' }, schema: { tags, body: UserInput, response: { 201: User } } },
    async (req, reply) => {
      const user = await p.access.createUser(req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/org/users/${user.id}`).send(user);
    },
  );

  app.get(
    '/api/v1/org/users/:id',
    { config: { permission: 'org.manage' }, schema: { tags, params: IdParams, response: { 200: User } } },
    async (req) => p.access.getUser(req.ctx, req.params.id),
  );

  app.patch(
    '/api/v1/org/users/:id',
    {
      config: { permission: 'org.manage' },
      schema: { tags, params: IdParams, body: UserPatch, response: { 200: User } },
    },
    async (req) => p.access.updateUser(req.ctx, req.params.id, req.body),
  );

  app.get(
    '/api/v1/org/roles',
    { config: { permission: 'org.read' }, schema: { tags, response: { 200: ListOf(RoleDto) } } },
    async () => {
      const items = await p.access.listRoles();
      return { items, total: items.length };
    },
  );

  app.patch(
    '/api/v1/org/roles/:code',
    {
      config: { permission: 'org.manage' },
      schema: {
        tags,
        params: T.Object({ code: T.String({ maxLength: 64 }) }),
        body: T.Object({ permissions: T.Array(T.String({ maxLength: 100 }), { maxItems: 500 }), version: Version() }),
        response: { 200: RoleDto },
      },
    },
    async (req) => p.access.updateRole(req.ctx, req.params.code, req.body.permissions, req.body.version),
  );

  app.get(
    '/api/v1/org/permissions',
    {
      config: { permission: 'org.read' },
      schema: {
        tags,
        description: 'Every permission the installed modules declare, with its module and names.',
        response: { 200: PermissionList },
      },
    },
    async () => {
      const items = p.access.permissions().map(({ code, module, zh, en }) => ({ code, module, name: zh, nameEn: en }));
      return { items, total: items.length };
    },
  );
}
