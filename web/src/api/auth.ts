import { useQuery } from '@tanstack/react-query';
import { ApiError, api, noteSessionExpiry, setCsrfToken } from './client.ts';
import type { LoginReply, MeReply, SystemInfo, UserDto } from './contracts.ts';

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user, or null when the session is absent (401). */
export function useMe() {
  return useQuery<MeReply | null>({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        const me = await api.get<MeReply>('/auth/me');
        if (me?.csrfToken) setCsrfToken(me.csrfToken);
        noteSessionExpiry(me?.sessionExpiresAt ?? null);
        return me;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          setCsrfToken(null);
          noteSessionExpiry(null);
          return null;
        }
        throw err;
      }
    },
    retry: (count, err) => !(err instanceof ApiError && err.status > 0) && count < 2,
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
  });
}

/** The signed-in user; only inside the authenticated shell. */
export function useCurrentUser(): UserDto {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside an authenticated shell');
  return data.user;
}

export function can(user: UserDto | null | undefined, permission: string): boolean {
  return !!user?.permissions.includes(permission);
}

/** Whether the user holds the permission, or any one of several; no permission: every signed-in user. */
export function allows(user: UserDto, permission: string | readonly string[] | undefined): boolean {
  if (permission === undefined) return true;
  return typeof permission === 'string' ? can(user, permission) : permission.some((p) => can(user, p));
}

export async function login(username: string, password: string): Promise<LoginReply> {
  const reply = await api.post<LoginReply>('/auth/login', { username, password });
  setCsrfToken(reply.csrfToken);
  noteSessionExpiry(reply.sessionExpiresAt ?? null);
  return reply;
}

/** "Continue working": extends the session by its whole lifetime before it ends. */
export async function refreshSession(): Promise<void> {
  const r = await api.post<{ sessionExpiresAt: string }>('/auth/refresh');
  noteSessionExpiry(r.sessionExpiresAt);
}

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } finally {
    setCsrfToken(null);
    noteSessionExpiry(null);
  }
}

export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return api.post('/auth/password', { currentPassword, newPassword });
}

/** What the system is; the server tells its version to signed-in users only, so it is read again after sign-in. */
export function useSystemInfo() {
  const signedIn = !!useMe().data;
  return useQuery<SystemInfo>({
    queryKey: ['system', 'info', signedIn],
    queryFn: () => api.get<SystemInfo>('/system/info'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
