import { FileExcelOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { type ReactNode, useState } from 'react';
import { downloadFile } from '../api/client.ts';
import { useErrorReporter } from './errors.tsx';

type Query = Parameters<typeof downloadFile>[1];

/**
 * An Excel export of what a register's filter shows: busy while the file is built, a refusal said in words, nothing
 * to export when the list is empty.
 */
export function ExportButton({
  path,
  query,
  fileName,
  disabled,
  testId,
  children,
}: {
  path: string;
  query: Query;
  fileName: string;
  disabled?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const report = useErrorReporter();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<FileExcelOutlined />}
      loading={busy}
      disabled={disabled}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadFile(path, query, fileName);
        } catch (err) {
          report(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      {children}
    </Button>
  );
}
