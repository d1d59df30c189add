import { Tag, TreeSelect } from 'antd';
import { useMemo } from 'react';
import {
  CONSULTATION_STATUS_INFO,
  type ConsultationStatus,
  INVITATION_STATUS_INFO,
  type InvitationStatus,
} from '../../../../contracts/experts.ts';
import { EVENT_TYPES, eventTypeName, parentTypeCode } from '../../../../contracts/incidents.ts';
import { useLang } from '../../components/districts.ts';

export { useDistrictLabel, useDistrictOptions, useLang } from '../../components/districts.ts';

export const nameIn = (x: { zh: string; en: string }, lang: 'zh' | 'en') => (lang === 'en' ? x.en : x.zh);

/** The expert's fields as tags: the code and its name in the reader's language. */
export function FieldTags({ fields }: { fields: readonly string[] }) {
  const lang = useLang();
  return (
    <>
      {fields.map((f) => (
        <Tag key={f} title={f}>
          {eventTypeName(f, lang)}
        </Tag>
      ))}
    </>
  );
}

interface Node {
  value: string;
  title: string;
  children?: Node[];
}

/** GB/T 35561 types as a tree (a category may be picked: it stands for everything under it). */
function useFieldTree(): Node[] {
  const lang = useLang();
  return useMemo(() => {
    const nodes = new Map<string, Node>();
    const roots: Node[] = [];
    for (const t of EVENT_TYPES) {
      if (t.level < 1) continue;
      const n: Node = { value: t.code, title: `${t.code} ${lang === 'en' ? t.nameEn : t.name}` };
      nodes.set(t.code, n);
      const parent = parentTypeCode(t);
      const p = parent ? nodes.get(parent) : undefined;
      if (p) {
        p.children ??= [];
        p.children.push(n);
      } else roots.push(n);
    }
    return roots;
  }, [lang]);
}

export function FieldSelect({
  value,
  onChange,
  multiple = true,
  placeholder,
  width,
  testId,
}: {
  value?: string[] | string;
  onChange?: (v: string[] | string | undefined) => void;
  multiple?: boolean;
  placeholder?: string;
  width?: number;
  testId?: string;
}) {
  const tree = useFieldTree();
  return (
    <TreeSelect
      treeData={tree}
      value={value}
      onChange={onChange}
      multiple={multiple}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      placeholder={placeholder}
      style={{ width: width ?? '100%' }}
      popupMatchSelectWidth={false}
      data-testid={testId}
    />
  );
}

export function InvitationTag({ status }: { status: InvitationStatus }) {
  const lang = useLang();
  const info = INVITATION_STATUS_INFO[status];
  return (
    <Tag color={info.color} data-status={status}>
      {nameIn(info, lang)}
    </Tag>
  );
}

export function ConsultationStatusTag({ status }: { status: ConsultationStatus }) {
  const lang = useLang();
  const info = CONSULTATION_STATUS_INFO[status];
  return (
    <Tag color={info.color} data-status={status}>
      {nameIn(info, lang)}
    </Tag>
  );
}

const cityTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
/** `2026-07-01 08:00`, Beijing time */
export const localTime = (iso: string | null | undefined) => (iso ? cityTime.format(new Date(iso)) : '—');
