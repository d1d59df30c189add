import { PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Query } from '../api/client.ts';
import { ExportButton } from './export-button.tsx';

/**
 * The actions at the head of a register page: refresh, the Excel export of the list as filtered, and — for those who
 * may maintain it — import and new. Test ids: `export-<name>`, `import-<name>`, and `newTestId`.
 */
export function RegisterActions({
  name,
  list,
  exportQuery,
  labels,
  manage,
  onImport,
  onCreate,
  newTestId,
}: {
  /** the register as the API names it (`teams`: `/teams/export.xlsx`, `teams.xlsx`) */
  name: string;
  list: { refetch: () => unknown; isFetching: boolean; total: number | undefined };
  exportQuery: Query;
  labels: { export: ReactNode; import: ReactNode; create: ReactNode };
  manage: boolean;
  onImport: () => void;
  onCreate: () => void;
  newTestId: string;
}) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      <Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isFetching}>
        {t('common:refresh')}
      </Button>
      <ExportButton
        path={`/${name}/export.xlsx`}
        query={exportQuery}
        fileName={`${name}.xlsx`}
        disabled={!list.total}
        testId={`export-${name}`}
      >
        {labels.export}
      </ExportButton>
      {manage && (
        <Button icon={<UploadOutlined />} onClick={onImport} data-testid={`import-${name}`}>
          {labels.import}
        </Button>
      )}
      {manage && (
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid={newTestId}>
          {labels.create}
        </Button>
      )}
    </Space>
  );
}
