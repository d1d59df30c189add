import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HazardIdentification } from '../../../../contracts/safety.ts';

type Line = HazardIdentification['lines'][number];
const fmt = (n: number) => String(Math.round(n * 10000) / 10000);

/** The GB 18218-2018 working: one line per substance (q, Q and its table, β and its table, q/Q). */
export function WorkingTable({ result }: { result: HazardIdentification }) {
  const { t } = useTranslation('safety');
  return (
    <>
      <Table<Line>
        size="small"
        rowKey="index"
        pagination={false}
        dataSource={result.lines}
        data-testid="gb18218-working"
        columns={[
          { title: t('calc.substance'), dataIndex: 'name' },
          { title: 'CAS', dataIndex: 'cas', render: (v: string | null) => v ?? '—' },
          { title: t('calc.category'), dataIndex: 'category', render: (v: string | null) => v ?? '—' },
          { title: t('calc.q'), dataIndex: 'quantityT', render: fmt },
          {
            title: t('calc.Q'),
            dataIndex: 'criticalT',
            render: (v: number, r) => `${fmt(v)}（${t(`calc.${r.qSource}`)}）`,
          },
          { title: 'β', dataIndex: 'beta', render: (v: number, r) => `${v}（${t(`calc.${r.betaSource}`)}）` },
          { title: 'q/Q', dataIndex: 'ratio', render: fmt },
        ]}
      />
      <p className="muted" style={{ marginTop: 8 }} data-testid="gb18218-summary">
        S = Σq/Q = {fmt(result.S)} {result.isMajorHazard ? '≥ 1' : '< 1'} →{' '}
        {result.isMajorHazard
          ? t('calc.major', { R: fmt(result.R ?? 0), alpha: result.alpha, grade: t(`grade.${result.grade}`) })
          : t('calc.notMajor')}
      </p>
    </>
  );
}
