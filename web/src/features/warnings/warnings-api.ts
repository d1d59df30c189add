/** The warnings module's API as the web uses it, and how a changed warning reaches every cached view. */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { Colour } from '../../../../contracts/monitoring.ts';
import type {
  CapImportReply,
  Delivery,
  Policy,
  PolicyInput,
  PublishInput,
  Warning,
  WarningInput,
} from '../../../../contracts/warnings.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export type WarningFilters = {
  status?: string;
  hazardCode?: string;
  colour?: string;
  source?: string;
  district?: string;
};

export const warningKeys = {
  all: ['warnings'] as const,
  lists: ['warnings', 'list'] as const,
  list: (f: WarningFilters, limit: number, offset: number) => ['warnings', 'list', f, limit, offset] as const,
  detail: (id: string) => ['warning', id] as const,
  deliveries: (id: string) => ['warning', id, 'deliveries'] as const,
  policies: ['warning-policies'] as const,
};

const enc = encodeURIComponent;
/** The board shows every active warning at once; a city rarely has more than a few dozen. */
export const BOARD_LIMIT = 500;

export function useWarningList(filters: WarningFilters, limit: number, offset: number, enabled = true) {
  return useQuery({
    queryKey: warningKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Warning>>('/warnings', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
    enabled,
  });
}

export function useWarning(id: string | null) {
  return useQuery({
    queryKey: warningKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<Warning>(`/warnings/${enc(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/** A list route may answer with the array itself or `{items}`: both are read. */
const itemsOf = <T>(r: T[] | { items: T[] }): T[] => (Array.isArray(r) ? r : (r?.items ?? []));

export function useDeliveries(id: string | null) {
  return useQuery({
    queryKey: warningKeys.deliveries(id ?? ''),
    queryFn: async ({ signal }) =>
      itemsOf(
        await api.get<Delivery[] | { items: Delivery[] }>(`/warnings/${enc(id ?? '')}/deliveries`, undefined, signal),
      ),
    enabled: !!id,
  });
}

export function usePolicies() {
  return useQuery({
    queryKey: warningKeys.policies,
    queryFn: async ({ signal }) =>
      itemsOf(await api.get<Policy[] | { items: Policy[] }>('/warning-policies', undefined, signal)),
  });
}

const w = (id: string) => `/warnings/${enc(id)}`;
export const createWarning = (input: WarningInput) => api.post<Warning>('/warnings', input);
export const acknowledgeWarning = (x: Warning) => api.post<Warning>(`${w(x.id)}/ack`);
export const liftWarning = (x: Warning, reason: string) =>
  api.post<Warning>(`${w(x.id)}/lift`, { reason, version: x.version });
export const changeColour = (x: Warning, colour: Colour, reason: string) =>
  api.post<Warning>(`${w(x.id)}/colour`, { colour, reason, version: x.version });
export const publishWarning = (x: Warning, input: Omit<PublishInput, 'version'>) =>
  api.post<Warning>(`${w(x.id)}/publish`, { ...input, version: x.version });
export const promoteWarning = (x: Warning) => api.post<{ incidentId: string }>(`${w(x.id)}/incident`);
export const createPolicy = (input: PolicyInput) => api.post<Policy>('/warning-policies', input);
export const patchPolicy = (id: string, patch: Partial<PolicyInput> & { version: number }) =>
  api.patch<Policy>(`/warning-policies/${enc(id)}`, patch);
export const deletePolicy = (id: string) => api.delete<unknown>(`/warning-policies/${enc(id)}`);

/** An XML document (a CAP alert, an Atom or RSS feed, an EDXL-DE envelope) sent as it is. */
export const importCap = (file: Blob) => api.send<CapImportReply>('/cap/import', file, 'application/xml');

/**
 * A changed warning (a write or the stream) in every cached view: its detail (an older version never replaces a
 * newer one) and the lists, which are patched in place where it is (a board stays still while it changes) and read
 * again otherwise (a new warning, or one that moved between the active list and the history).
 */
export function upsertWarningInCache(qc: QueryClient, warning: Warning): void {
  const current = qc.getQueryData<Warning>(warningKeys.detail(warning.id));
  if (!current || current.version <= warning.version) qc.setQueryData(warningKeys.detail(warning.id), warning);
  let missing = false;
  for (const [key, data] of qc.getQueriesData<ListReply<Warning>>({ queryKey: warningKeys.lists })) {
    const filters = (key[2] ?? {}) as WarningFilters;
    const idx = data?.items.findIndex((x) => x.id === warning.id) ?? -1;
    const belongs = matches(filters, warning);
    if (idx >= 0 && data) {
      if (data.items[idx].version > warning.version) continue;
      const items = data.items.slice();
      if (belongs) items[idx] = warning;
      else items.splice(idx, 1);
      qc.setQueryData(key, { ...data, items, total: belongs ? data.total : Math.max(0, data.total - 1) });
    } else if (belongs) missing = true;
  }
  if (missing) void qc.invalidateQueries({ queryKey: warningKeys.lists });
  void qc.invalidateQueries({ queryKey: warningKeys.deliveries(warning.id) });
}

/** Whether a list with these filters shows the warning (what the server would answer). */
export function matches(f: WarningFilters, x: Warning): boolean {
  if (f.status === 'active' && x.status === 'lifted') return false;
  if (f.status && f.status !== 'active' && f.status !== x.status) return false;
  if (f.colour && f.colour !== x.colour) return false;
  if (f.source && f.source !== x.source) return false;
  if (f.district && f.district !== x.district?.code) return false;
  // a filter by a class or 大类 matches its types (11B00 → 11B03)
  if (f.hazardCode) {
    const c = f.hazardCode;
    const prefix = c.endsWith('000') ? c.slice(0, 2) : c.endsWith('00') ? c.slice(0, 3) : c;
    if (!x.hazardCode.startsWith(prefix)) return false;
  }
  return true;
}
