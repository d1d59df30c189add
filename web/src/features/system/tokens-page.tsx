import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiTokenDto } from '../../api/contracts.ts';
import { createToken, revokeToken, useTokens } from '../../api/org.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';

export function TokensPage() {
  const { t } = useTranslation('system');
  const tokens = useTokens();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { modal, message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  const create = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const reply = await createToken(v.name.trim());
      setCreating(false);
      setCreated(reply.token);
      await qc.invalidateQueries({ queryKey: ['auth', 'tokens'] });
    } catch (err) {
      if (!applyServerError(form, err, ['name'])) report(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = (tok: ApiTokenDto) =>
    modal.confirm({
      title: t('tokens.revokeTitle', { name: tok.name }),
      content: t('tokens.revokeBody'),
      okButtonProps: { danger: true },
      okText: t('tokens.revoke'),
      cancelText: t('common:cancel'),
      onOk: async () => {
        try {
          await revokeToken(tok.id);
          void message.success(t('tokens.revoked'));
        } catch (err) {
          report(err);
        } finally {
          await qc.invalidateQueries({ queryKey: ['auth', 'tokens'] });
        }
      },
    });

  const columns: TableColumnsType<ApiTokenDto> = [
    { title: t('tokens.name'), dataIndex: 'name' },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      width: 140,
      render: (v) => <span className="mono">{v}…</span>,
    },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', width: 160, render: (v) => formatTime(v) },
    { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', width: 160, render: (v) => formatTime(v) },
    {
      title: t('tokens.state'),
      dataIndex: 'revokedAt',
      width: 180,
      render: (v: string | null) =>
        v ? <Tag>{t('tokens.revokedAt', { at: formatTime(v) })}</Tag> : <Tag color="green">{t('tokens.active')}</Tag>,
    },
    {
      title: t('common:actions'),
      key: 'actions',
      width: 100,
      render: (_, tok) =>
        tok.revokedAt ? null : (
          <Button type="link" danger size="small" onClick={() => revoke(tok)}>
            {t('tokens.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.tokens')}
          </Typography.Title>
          <div className="page-sub">{t('tokens.subtitle')}</div>
        </div>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            form.resetFields();
            setCreating(true);
          }}
        >
          {t('tokens.new')}
        </Button>
      </div>
      {tokens.isError && (
        <Alert type="error" showIcon title={errorMessage(tokens.error)} style={{ marginBottom: 12 }} />
      )}
      <Table<ApiTokenDto>
        className="dense-table"
        rowKey="id"
        size="small"
        loading={tokens.isLoading}
        columns={columns}
        dataSource={tokens.data?.items ?? []}
        pagination={false}
      />
      <Modal
        open={creating}
        title={t('tokens.new')}
        onOk={create}
        onCancel={() => setCreating(false)}
        okText={t('tokens.create')}
        cancelText={t('common:cancel')}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
            <Input autoFocus placeholder={t('tokens.namePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!created}
        title={t('tokens.createdTitle')}
        onOk={() => setCreated(null)}
        onCancel={() => setCreated(null)}
        okText={t('tokens.copiedDone')}
        cancelButtonProps={{ style: { display: 'none' } }}
        mask={{ closable: false }}
      >
        <Alert type="warning" showIcon title={t('tokens.onceOnly')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: created ?? '', icon: <CopyOutlined /> }} className="token-plain mono">
          {created}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
