import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_TYPES } from '../../api/contracts.ts';

interface Node {
  value: string;
  title: string;
  selectable: boolean;
  children?: Node[];
}

/** The GB/T 35561 codes as a tree: 大类 (11000) → class (11B00) → type (11B03), built from the code structure. */
function buildTree(minLevel: number): Node[] {
  const roots: Node[] = [];
  const byCode = new Map<string, Node>();
  for (const t of EVENT_TYPES) {
    if (t.level === 0) continue;
    const node: Node = { value: t.code, title: `${t.code} ${t.name}`, selectable: t.level >= minLevel };
    byCode.set(t.code, node);
    const parentCode = t.level === 1 ? null : t.level === 2 ? `${t.code.slice(0, 2)}000` : `${t.code.slice(0, 3)}00`;
    const parent = parentCode ? byCode.get(parentCode) : undefined;
    if (parent) {
      parent.children = parent.children ?? [];
      parent.children.push(node);
    } else roots.push(node);
  }
  return roots;
}

export function EventTypeSelect({
  value,
  onChange,
  minLevel = 2,
  allowClear,
  placeholder,
  id,
  style,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  /** The shallowest level one may pick: 1 for filters (a 大类 matches its children), 2 for records. */
  minLevel?: number;
  allowClear?: boolean;
  placeholder?: string;
  id?: string;
  style?: React.CSSProperties;
}) {
  const { t } = useTranslation('incidents');
  const treeData = useMemo(() => buildTree(minLevel), [minLevel]);
  return (
    <TreeSelect
      id={id}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear={allowClear}
      placeholder={placeholder ?? t('form.typePlaceholder')}
      style={style}
      popupMatchSelectWidth={420}
      listHeight={360}
      treeDefaultExpandedKeys={value ? [`${value.slice(0, 2)}000`, `${value.slice(0, 3)}00`] : []}
      data-testid="event-type-select"
    />
  );
}
