import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, List, Popconfirm, Progress, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, upload } from '../api/client.ts';
import type { FileInfo } from '../api/contracts.ts';
import { formatTime } from '../i18n/index.ts';
import { useErrorReporter } from './errors.tsx';

const MAX_BYTES = 20 * 1024 * 1024;

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const fileKeys = (entity: string, entityId: string) => ['files', entity, entityId] as const;

/**
 * A record's attachments (`/api/v1/files`): the list with links (pictures and PDF open in a tab), upload with
 * progress when the user may attach, removal of one's own. `entity` is the record's kind as the server names it.
 */
export function Attachments({
  entity,
  entityId,
  canAttach,
  accept,
}: {
  entity: string;
  entityId: string;
  canAttach: boolean;
  accept?: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const input = useRef<HTMLInputElement>(null);
  const [sent, setSent] = useState<number | null>(null);
  const files = useQuery({
    queryKey: fileKeys(entity, entityId),
    queryFn: ({ signal }) =>
      api.get<{ items: FileInfo[]; total: number }>('/files', { entity, entityId, limit: 200 }, signal),
  });

  const send = async (list: FileList | null) => {
    for (const f of Array.from(list ?? [])) {
      if (f.size > MAX_BYTES) {
        report(new Error(t('files.tooLarge', { name: f.name })));
        continue;
      }
      const form = new FormData();
      form.append('entity', entity);
      form.append('entityId', entityId);
      form.append('file', f, f.name);
      setSent(0);
      try {
        await upload('/files', form, setSent);
      } catch (err) {
        report(err);
      } finally {
        setSent(null);
      }
    }
    if (input.current) input.current.value = '';
    await qc.invalidateQueries({ queryKey: fileKeys(entity, entityId) });
  };

  const remove = async (id: string) => {
    try {
      await api.delete(`/files/${id}`);
      await qc.invalidateQueries({ queryKey: fileKeys(entity, entityId) });
    } catch (err) {
      report(err);
    }
  };

  const items = files.data?.items ?? [];
  return (
    <div className="attachments" data-testid={`attachments-${entity}`}>
      <List
        size="small"
        loading={files.isPending}
        locale={{ emptyText: t('files.empty') }}
        dataSource={items}
        renderItem={(f) => (
          <List.Item
            actions={
              canAttach
                ? [
                    <Popconfirm
                      key="rm"
                      title={t('files.removeConfirm', { name: f.name })}
                      onConfirm={() => remove(f.id)}
                    >
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('files.remove')}
                      />
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Space size={6} wrap>
              <PaperClipOutlined />
              <a href={`/api/v1/files/${f.id}`} target="_blank" rel="noreferrer">
                {f.name}
              </a>
              <Typography.Text type="secondary">
                {size(f.size)} · {f.uploadedBy} · {formatTime(f.uploadedAt)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {canAttach && (
        <Space>
          <input
            ref={input}
            type="file"
            multiple
            accept={accept}
            hidden
            onChange={(e) => void send(e.target.files)}
            data-testid={`attach-input-${entity}`}
          />
          <Button size="small" icon={<UploadOutlined />} onClick={() => input.current?.click()} loading={sent !== null}>
            {t('files.add')}
          </Button>
          {sent !== null && <Progress percent={Math.round(sent * 100)} size="small" style={{ width: 120 }} />}
        </Space>
      )}
    </div>
  );
}
