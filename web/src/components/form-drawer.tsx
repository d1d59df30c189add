/**
 * What every editing drawer shows alike: the footer (a note on the left, cancel and the submit button on the right)
 * and the warning that someone else saved the record meanwhile (409), with the way to reload it.
 */
import { Alert, Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from './errors.tsx';

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

/** Why a save failed where the form could not put it on a field: someone else's change (409), or the server's words. */
export type SaveFailure = { conflict: true } | { conflict: false; text: string };

/** A refused save as the form shows it; a 409 is someone else's change only when a stored record was edited. */
export function saveFailureOf(err: unknown, editing = true): SaveFailure {
  return editing && err instanceof ApiError && err.status === 409
    ? { conflict: true }
    : { conflict: false, text: errorMessage(err) };
}

/** Above the form: someone else's change with the way to reload (ConflictAlert), or the error in words. */
export function SaveFailureAlert({ failure, onReload }: { failure: SaveFailure | null; onReload: () => void }) {
  if (!failure) return null;
  if (failure.conflict) return <ConflictAlert onReload={onReload} />;
  return <Alert type="error" showIcon title={failure.text} style={{ marginBottom: 16 }} data-testid="save-failure" />;
}
