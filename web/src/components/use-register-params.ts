import type { TFunction } from 'i18next';
import { useSearchParams } from 'react-router';

/** The page sizes a register offers. */
export const PAGE_SIZES = [20, 50, 100];

/**
 * A register's filters, page and page size, kept in the address (so a board or an alarm can link a filtered list,
 * and the browser's back button restores it). `update` sets or clears parameters and goes back to the first page
 * unless `keepPage`.
 */
export function useRegisterParams<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v)) as Partial<
    Record<K, string>
  >;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const size = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : PAGE_SIZES[0];
  const update = (patch: Record<string, string | undefined>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!keepPage) next.delete('page');
    setParams(next, { replace: true });
  };
  /** to page p of size s (the defaults left out of the address) */
  const goTo = (p: number, s: number) =>
    update({ page: p > 1 ? String(p) : undefined, size: s !== PAGE_SIZES[0] ? String(s) : undefined }, true);
  /** antd Table's pagination for this register's list of `total` rows */
  const pagination = (total: number, t: TFunction) => ({
    current: page,
    pageSize: size,
    total,
    showSizeChanger: true,
    pageSizeOptions: PAGE_SIZES,
    showTotal: (n: number) => t('common:total', { count: n }),
    onChange: goTo,
  });
  return {
    params,
    filters,
    hasAny: Object.keys(filters).length > 0,
    page,
    size,
    offset: (page - 1) * size,
    update,
    goTo,
    pagination,
  };
}
