import { FileTextOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, List, Modal, Space, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapImportReply } from '../../../../contracts/warnings.ts';
import { ApiError } from '../../api/client.ts';
import { errorMessage } from '../../components/errors.tsx';
import { importCap, warningKeys } from './warnings-api.ts';

/** Every reason of a refusal: the server lists them in `reasons` (beside or inside `error`); else its one message. */
export function refusalReasons(err: unknown): string[] {
  if (err instanceof ApiError) {
    const body = err.body as { reasons?: unknown; error?: { reasons?: unknown } } | undefined;
    const reasons = body?.reasons ?? body?.error?.reasons;
    if (Array.isArray(reasons) && reasons.length) return reasons.map(String);
  }
  return [errorMessage(err)];
}

/**
 * Upload a CAP alert (1.0–1.2), an Atom or RSS feed of alerts, or an EDXL-DE envelope, and read what became of it:
 * the warnings created or updated, the alerts skipped and why, the linked alerts not fetched, the signature; or
 * every reason it was refused.
 */
export function CapImportDialog({
  open,
  onClose,
  onOpenWarning,
}: {
  open: boolean;
  onClose: () => void;
  onOpenWarning: (id: string) => void;
}) {
  const { t } = useTranslation('warnings');
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [reply, setReply] = useState<CapImportReply | null>(null);
  const [reasons, setReasons] = useState<string[] | null>(null);

  useEffect(() => {
    if (!open) {
      setFile(null);
      setReply(null);
      setReasons(null);
    }
  }, [open]);

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setReply(null);
    setReasons(null);
    try {
      const r = await importCap(file);
      setReply(r);
      void qc.invalidateQueries({ queryKey: warningKeys.lists });
    } catch (err) {
      setReasons(refusalReasons(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('cap.title')}
      onCancel={busy ? undefined : onClose}
      width={720}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{reply ? t('cap.close') : t('common:cancel')}</Button>
          <Button type="primary" disabled={!file} loading={busy} onClick={send} data-testid="cap-send">
            {t('cap.send')}
          </Button>
        </Space>
      }
      data-testid="cap-import"
    >
      <Upload.Dragger
        accept=".xml,.cap,.atom,.rss,.edxl,application/xml,text/xml"
        multiple={false}
        showUploadList={false}
        disabled={busy}
        beforeUpload={(f) => {
          setFile(f);
          setReply(null);
          setReasons(null);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">{file ? <FileTextOutlined /> : <InboxOutlined />}</p>
        <p className="ant-upload-text">{file ? <span data-testid="cap-file">{file.name}</span> : t('cap.drop')}</p>
        <p className="ant-upload-hint">{t('cap.formats')}</p>
      </Upload.Dragger>
      {reasons && (
        <Alert
          style={{ marginTop: 16 }}
          type="error"
          showIcon
          title={t('cap.refused', { count: reasons.length })}
          description={
            <ul className="plain-list" data-testid="cap-reasons">
              {reasons.map((r, i) => (
                // reasons may repeat (one per alert of a feed): the position keeps them apart
                // biome-ignore lint/suspicious/noArrayIndexKey: a list that never reorders
                <li key={i} className="pre-wrap">
                  {r}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {reply && (
        <div style={{ marginTop: 16 }} data-testid="cap-reply">
          <Alert
            type={reply.warnings.length ? 'success' : 'info'}
            showIcon
            title={t('cap.accepted', { count: reply.warnings.length, skipped: reply.skipped.length })}
            style={{ marginBottom: 12 }}
          />
          <Descriptions size="small" column={1} bordered styles={{ label: { width: 140 } }}>
            <Descriptions.Item label={t('cap.kind')}>
              <span className="mono">{reply.kind}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('cap.signature')}>{reply.signature}</Descriptions.Item>
          </Descriptions>
          {reply.warnings.length > 0 && (
            <List
              size="small"
              header={<b>{t('cap.warnings')}</b>}
              dataSource={reply.warnings}
              renderItem={(w) => (
                <List.Item>
                  <Space>
                    <Tag>{w.action}</Tag>
                    <Typography.Link
                      onClick={() => {
                        onClose();
                        onOpenWarning(w.id);
                      }}
                    >
                      <span className="mono small">{w.capIdentifier}</span>
                    </Typography.Link>
                  </Space>
                </List.Item>
              )}
            />
          )}
          {reply.skipped.length > 0 && (
            <List
              size="small"
              header={<b>{t('cap.skipped')}</b>}
              dataSource={reply.skipped}
              renderItem={(s) => (
                <List.Item>
                  <span className="mono small">{s.identifier}</span> — {s.reason}
                </List.Item>
              )}
            />
          )}
          {reply.links.length > 0 && (
            <List
              size="small"
              header={<b>{t('cap.links')}</b>}
              dataSource={reply.links}
              renderItem={(l) => (
                <List.Item>
                  <span className="mono small">{l}</span>
                </List.Item>
              )}
            />
          )}
        </div>
      )}
    </Modal>
  );
}
