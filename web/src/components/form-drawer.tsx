/**
 * What every editing drawer shows alike: the footer (a note on the left, cancel and the submit button on the right)
 * and the warning that someone else saved the record meanwhile (409), with the way to reload it.
 */
import { Alert, Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function DrawerFooter({
  note,
  busy,
  submitLabel,
  onCancel,
  onSubmit,
  testId,
}: {
  note: ReactNode;
  busy: boolean;
  submitLabel: string;
  onCancel: () => void;
  onSubmit: () => void;
  /** the submit button's data-testid */
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="drawer-footer">
      <span className="muted">{note}</span>
      <Space>
        <Button onClick={onCancel}>{t('common:cancel')}</Button>
        <Button type="primary" loading={busy} onClick={onSubmit} data-testid={testId}>
          {submitLabel}
        </Button>
      </Space>
    </div>
  );
}

/** The record changed since the form opened: say so, and offer to reload it. */
export function ConflictAlert({ onReload }: { onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      title={t('common:conflict.title')}
      description={t('common:conflict.body')}
      action={
        <Button size="small" onClick={onReload}>
          {t('common:conflict.reload')}
        </Button>
      }
      style={{ marginBottom: 16 }}
    />
  );
}
