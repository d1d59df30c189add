import { useQuery } from '@tanstack/react-query';
import { api, type Query } from './client.ts';
import type {
  ApiTokenDto,
  AuditEntryDto,
  ListReply,
  OrgUnitDto,
  PermissionInfo,
  RoleRecord,
  UserDto,
  UserInputDto,
} from './contracts.ts';

export function useUnits(enabled = true) {
  return useQuery({
    queryKey: ['org', 'units'],
    queryFn: () => api.get<ListReply<OrgUnitDto>>('/org/units'),
    staleTime: 10 * 60_000,
    enabled,
  });
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: ['org', 'users'],
    queryFn: () => api.get<ListReply<UserDto>>('/org/users', { limit: 500 }),
    enabled,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['org', 'roles'],
    queryFn: () => api.get<ListReply<RoleRecord>>('/org/roles'),
    enabled,
  });
}

/** The permissions as the server names them (each module declares its own), for the roles page. */
export function usePermissions() {
  return useQuery({
    queryKey: ['org', 'permissions'],
    queryFn: ({ signal }) => api.get<ListReply<PermissionInfo>>('/org/permissions', undefined, signal),
    staleTime: 10 * 60_000,
  });
}

/** The body of `POST /api/v1/org/users` (the contract's `UserInput`). */
export type UserCreate = UserInputDto;
export type UserPatchBody = Partial<Omit<UserCreate, 'username'>> & { version: number; disabled?: boolean };

export const createUser = (body: UserCreate) => api.post<UserDto>('/org/users', body);
export const patchUser = (id: string, body: UserPatchBody) =>
  api.patch<UserDto>(`/org/users/${encodeURIComponent(id)}`, body);
export const patchRole = (code: string, permissions: string[], version: number) =>
  api.patch<RoleRecord>(`/org/roles/${encodeURIComponent(code)}`, { permissions, version });

export type AuditQuery = {
  actor?: string;
  entity?: string;
  action?: string;
  from?: string;
  to?: string;
};
export function useAudit(q: AuditQuery, limit: number, offset: number) {
  return useQuery({
    queryKey: ['audit', q, limit, offset],
    queryFn: ({ signal }) => api.get<ListReply<AuditEntryDto>>('/audit', { ...q, limit, offset } as Query, signal),
    placeholderData: (prev) => prev,
  });
}

export function useTokens() {
  return useQuery({
    queryKey: ['auth', 'tokens'],
    queryFn: async () => {
      const r = await api.get<ListReply<ApiTokenDto> | ApiTokenDto[]>('/auth/tokens');
      return Array.isArray(r) ? { items: r, total: r.length } : r;
    },
  });
}
export const createToken = (name: string) => api.post<ApiTokenDto & { token: string }>('/auth/tokens', { name });
export const revokeToken = (id: string) => api.delete<unknown>(`/auth/tokens/${encodeURIComponent(id)}`);
