import { type Static, Type as T } from 'typebox';
import { ListOf, Version } from './common.ts';

export const ROLES = [
  'admin',
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'field_responder',
  'enterprise_user',
  'auditor',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_INFO: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  commander: { zh: '指挥长/带班领导', en: 'Commander' },
  duty_officer: { zh: '值班员', en: 'Duty officer' },
  department_staff: { zh: '部门人员', en: 'Department staff' },
  district_staff: { zh: '区市人员', en: 'District staff' },
  field_responder: { zh: '现场人员', en: 'Field responder' },
  enterprise_user: { zh: '企业用户', en: 'Enterprise user' },
  auditor: { zh: '审计员', en: 'Auditor' },
  viewer: { zh: '只读用户', en: 'Viewer' },
};

export const UNIT_KINDS = ['city', 'district', 'zone', 'department', 'enterprise'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** What a user's data scope is: the whole city, their own district (or zone), department or enterprise. */
export const SCOPES = ['city', 'district', 'department', 'enterprise'] as const;
export type Scope = (typeof SCOPES)[number];

export const OrgUnit = T.Object({
  id: T.String(),
  code: T.String(),
  name: T.String(),
  nameEn: T.String(),
  kind: T.Enum(UNIT_KINDS),
  parentCode: T.Union([T.String(), T.Null()]),
  population: T.Union([T.Integer(), T.Null()]),
  populationDemo: T.Boolean(),
  hasBoundary: T.Boolean(),
  version: T.Integer(),
});
export type OrgUnit = Static<typeof OrgUnit>;

export const User = T.Object({
  id: T.String(),
  username: T.String(),
  displayName: T.String(),
  phone: T.String({ description: 'masked (138****5678) without personal.read' }),
  unitCode: T.String(),
  unitName: T.String(),
  roles: T.Array(T.String()),
  scope: T.Enum(SCOPES),
  permissions: T.Array(T.String()),
  locale: T.String(),
  disabled: T.Boolean(),
  lockedUntil: T.Union([T.String(), T.Null()]),
  mustChangePassword: T.Boolean(),
  demo: T.Boolean(),
  version: T.Integer(),
});
export type User = Static<typeof User>;

export const UserInput = T.Object({
  username: T.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9_.-]+$' }),
  displayName: T.String({ minLength: 1, maxLength: 100 }),
  phone: T.Optional(T.String({ maxLength: 40 })),
  unitCode: T.String(),
  roles: T.Array(T.String(), { minItems: 1 }),
  scope: T.Enum(SCOPES),
  password: T.String({ minLength: 8, maxLength: 200 }),
  locale: T.Optional(T.String()),
});
export const UserPatch = T.Partial(
  T.Object({
    version: Version(),
    displayName: T.String({ minLength: 1, maxLength: 100 }),
    phone: T.String({ maxLength: 40 }),
    unitCode: T.String(),
    roles: T.Array(T.String(), { minItems: 1 }),
    scope: T.Enum(SCOPES),
    disabled: T.Boolean(),
    locale: T.String(),
    password: T.String({ minLength: 8, maxLength: 200, description: 'admin reset; the user must change it' }),
  }),
);

export const RoleDto = T.Object({
  code: T.String(),
  name: T.String(),
  nameEn: T.String(),
  permissions: T.Array(T.String()),
  version: T.Integer(),
});
export type RoleDto = Static<typeof RoleDto>;

/** Bounded: every attempt costs an argon2 hash of what is sent, so a megabyte password must not reach it. */
export const LoginInput = T.Object({
  username: T.String({ minLength: 1, maxLength: 64 }),
  password: T.String({ minLength: 1, maxLength: 200 }),
});
/** When the session ends unless used (it slides with every request; `POST /auth/refresh` extends it); null for API tokens. */
const SessionExpiresAt = T.Union([T.String({ format: 'date-time' }), T.Null()]);
export const LoginReply = T.Object({
  token: T.String(),
  csrfToken: T.String(),
  user: User,
  sessionExpiresAt: T.Optional(SessionExpiresAt),
});
/** `GET /api/v1/auth/me`: the signed-in user and the CSRF token to send with writes (null for API-token callers). */
export const MeReply = T.Object({
  user: User,
  csrfToken: T.Union([T.String(), T.Null()]),
  sessionExpiresAt: T.Optional(SessionExpiresAt),
});
/** `POST /api/v1/auth/refresh`: the session's new end. */
export const SessionRefreshReply = T.Object({ sessionExpiresAt: T.String({ format: 'date-time' }) });
export const PasswordChange = T.Object({
  currentPassword: T.String({ minLength: 1, maxLength: 200 }),
  newPassword: T.String({ minLength: 8, maxLength: 200 }),
});

export const ApiToken = T.Object({
  id: T.String(),
  name: T.String(),
  userId: T.String(),
  prefix: T.String(),
  createdAt: T.String(),
  lastUsedAt: T.Union([T.String(), T.Null()]),
  revokedAt: T.Union([T.String(), T.Null()]),
});

/** A permission as the server names it; the roles page shows these (grouped by `module`) rather than codes. */
export const PermissionInfo = T.Object({
  code: T.String({ description: 'module.action' }),
  module: T.String(),
  name: T.String(),
  nameEn: T.String(),
});
export type PermissionInfo = Static<typeof PermissionInfo>;
/** `GET /api/v1/org/permissions` */
export const PermissionList = ListOf(PermissionInfo);
