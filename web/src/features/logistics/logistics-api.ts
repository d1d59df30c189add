/**
 * The logistics module's API as the web uses it: the catalogue, warehouses and their stock and ledger, gaps and the
 * procurement proposal, relief plans and their dispatch orders.
 */
import { useQuery } from '@tanstack/react-query';
import type {
  AdjustInput,
  DispatchOrder,
  GapReport,
  IssueInput,
  Movement,
  OrderTransition,
  Plan,
  PlanProgress,
  PlanRequest,
  PlanRoutes,
  PlanSummary,
  ProcurementProposal,
  ReceiptInput,
  StockLine,
  SupplyItem,
  SupplyItemInput,
  TransferInput,
  Warehouse,
  WarehouseInput,
} from '../../../../contracts/logistics.ts';
import { ApiError, api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

const enc = encodeURIComponent;

export type WarehouseFilters = {
  q?: string;
  tier?: string;
  reserveType?: string;
  district?: string;
  itemCode?: string;
  active?: string;
};
export type MovementFilters = { warehouseId?: string; itemCode?: string; kind?: string; docNo?: string };
export type GapFilters = { district?: string; tier?: string; itemCode?: string };
export type OrderFilters = { planId?: string; state?: string; warehouseId?: string; late?: string };

export const logisticsKeys = {
  items: ['supply-items'] as const,
  warehouses: ['warehouses'] as const,
  warehouseList: (f: WarehouseFilters, limit: number, offset: number) =>
    ['warehouses', 'list', f, limit, offset] as const,
  allWarehouses: ['warehouses', 'all'] as const,
  warehouse: (id: string) => ['warehouses', 'one', id] as const,
  stock: (id: string) => ['warehouses', 'stock', id] as const,
  movements: ['warehouse-movements'] as const,
  gaps: ['logistics', 'gaps'] as const,
  procurement: ['logistics', 'procurement'] as const,
  plans: ['logistics', 'plans'] as const,
  plan: (id: string) => ['logistics', 'plans', id] as const,
  routes: (id: string) => ['logistics', 'plans', id, 'routes'] as const,
  progress: (id: string) => ['logistics', 'plans', id, 'progress'] as const,
  orders: ['logistics', 'orders'] as const,
};

const noRetryOn404 = (n: number, err: unknown) =>
  !(err instanceof ApiError && (err.status === 404 || err.status === 403)) && n < 2;

// ---- catalogue ----

export function useSupplyItems(q: string | undefined, described: boolean, limit = 100, offset = 0) {
  return useQuery({
    queryKey: [...logisticsKeys.items, q ?? '', described, limit, offset],
    queryFn: ({ signal }) =>
      api.get<ListReply<SupplyItem>>('/supply-items', { q, described: described || undefined, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export const putSupplyItem = (input: SupplyItemInput) => api.put<SupplyItem>(`/supply-items/${enc(input.code)}`, input);

// ---- warehouses ----

export function useWarehouseList(filters: WarehouseFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: logisticsKeys.warehouseList(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Warehouse>>('/warehouses', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

/** Every warehouse the user may see (the map, the pickers). */
export function useAllWarehouses(enabled = true) {
  return useQuery({
    queryKey: logisticsKeys.allWarehouses,
    queryFn: ({ signal }) => api.get<ListReply<Warehouse>>('/warehouses', { limit: 500 }, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useWarehouse(id: string) {
  return useQuery({
    queryKey: logisticsKeys.warehouse(id),
    queryFn: ({ signal }) => api.get<Warehouse>(`/warehouses/${enc(id)}`, undefined, signal),
    retry: noRetryOn404,
  });
}

export function useStock(id: string) {
  return useQuery({
    queryKey: logisticsKeys.stock(id),
    queryFn: ({ signal }) => api.get<ListReply<StockLine>>(`/warehouses/${enc(id)}/stock`, { limit: 1000 }, signal),
  });
}

export function useMovements(filters: MovementFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: [...logisticsKeys.movements, filters, limit, offset],
    queryFn: ({ signal }) =>
      api.get<ListReply<Movement>>('/warehouses/movements', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export const createWarehouse = (input: WarehouseInput) => api.post<Warehouse>('/warehouses', input);
export const patchWarehouse = (id: string, patch: Partial<WarehouseInput> & { version: number }) =>
  api.patch<Warehouse>(`/warehouses/${enc(id)}`, patch);

export type StockAction = 'receipts' | 'issues' | 'transfers' | 'adjustments';
export type StockBody = ReceiptInput | IssueInput | TransferInput | AdjustInput;
export const postStock = (id: string, action: StockAction, body: StockBody) =>
  api.post<{ docNo: string; movements: Movement[] }>(`/warehouses/${enc(id)}/${action}`, body);

export interface StocktakeReply {
  docNo: string | null;
  applied: boolean;
  differences: { itemCode: string; batch: string; book: number; counted: number; difference: number }[];
}
export const postStocktake = (
  id: string,
  body: { apply: boolean; items: { itemCode: string; batch: string; counted: number }[] },
) => api.post<StocktakeReply>(`/warehouses/${enc(id)}/stocktakes`, body);

// ---- gaps and procurement ----

/** A list reply or a bare array: both read as the list. */
const itemsOf = <T>(r: ListReply<T> | T[] | { items: T[] }): T[] => (Array.isArray(r) ? r : (r.items ?? []));

export function useGaps(filters: GapFilters) {
  return useQuery({
    queryKey: [...logisticsKeys.gaps, filters],
    queryFn: ({ signal }) => api.get<GapReport>('/logistics/gaps', { ...filters }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useProcurement(year: number | undefined) {
  return useQuery({
    queryKey: [...logisticsKeys.procurement, year ?? 0],
    queryFn: ({ signal }) => api.get<ProcurementProposal>('/logistics/procurement', { year }, signal),
    placeholderData: (prev) => prev,
  });
}

// ---- relief plans ----

export const runPlan = (req: PlanRequest) => api.post<Plan>('/logistics/plan', req);

export function usePlans() {
  return useQuery({
    queryKey: logisticsKeys.plans,
    queryFn: async ({ signal }) =>
      itemsOf(await api.get<ListReply<PlanSummary>>('/logistics/plans', { limit: 50 }, signal)),
    retry: noRetryOn404,
  });
}

export function usePlan(id: string | null) {
  return useQuery({
    queryKey: logisticsKeys.plan(id ?? ''),
    queryFn: ({ signal }) => api.get<Plan>(`/logistics/plans/${enc(id ?? '')}`, undefined, signal),
    enabled: !!id,
    retry: noRetryOn404,
  });
}

export function usePlanRoutes(id: string | null) {
  return useQuery({
    queryKey: logisticsKeys.routes(id ?? ''),
    queryFn: ({ signal }) => api.get<PlanRoutes>(`/logistics/plans/${enc(id ?? '')}/routes`, undefined, signal),
    enabled: !!id,
    retry: noRetryOn404,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function usePlanProgress(id: string | null) {
  return useQuery({
    queryKey: logisticsKeys.progress(id ?? ''),
    queryFn: ({ signal }) => api.get<PlanProgress>(`/logistics/plans/${enc(id ?? '')}/progress`, undefined, signal),
    enabled: !!id,
    retry: noRetryOn404,
  });
}

// ---- dispatch orders ----

export const makeOrders = (planId: string) =>
  api.post<ListReply<DispatchOrder> | DispatchOrder[]>(`/logistics/plans/${enc(planId)}/orders`, {});

export function useOrders(filters: OrderFilters) {
  return useQuery({
    queryKey: [...logisticsKeys.orders, filters],
    queryFn: async ({ signal }) =>
      itemsOf(await api.get<ListReply<DispatchOrder>>('/logistics/orders', { ...filters, limit: 500 }, signal)),
    refetchInterval: 60_000,
  });
}

export const transitionOrder = (id: string, body: OrderTransition) =>
  api.post<DispatchOrder>(`/logistics/orders/${enc(id)}/transitions`, body);
