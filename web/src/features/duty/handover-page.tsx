import { CheckOutlined, MinusCircleOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Empty, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Handover, HandoverItem } from '../../../../contracts/duty.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import type { ListReply } from '../../api/contracts.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { acceptHandover, createHandover, dutyKeys, optional, useHandovers } from './duty-api.ts';
import { UserSelect } from './user-select.tsx';

const LINK: Record<string, (id: string) => string> = {
  incident: (id) => `/incidents/${id}`,
  warning: (id) => `/warnings?id=${id}`,
  task: (id) => `/tasks?id=${id}`,
};

function ItemLine({ item }: { item: HandoverItem }) {
  const { t } = useTranslation('duty');
  return (
    <div>
      <Tag>{t(`itemKind.${item.kind}`)}</Tag>
      {item.refId && LINK[item.kind] ? <Link to={LINK[item.kind]!(item.refId)}>{item.text}</Link> : item.text}
    </div>
  );
}

/** Handovers: the list (pending ones handed to me first), a new handover with the open items ticked, accepting. */
export function HandoverPage() {
  const { t } = useTranslation('duty');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);
  const list = useHandovers({ limit: 50 });
  const refresh = () => void qc.invalidateQueries({ queryKey: dutyKeys.all });
  const items = list.data?.items ?? [];
  const mineFirst = [...items].sort(
    (a, b) => Number(b.to.id === me.id && b.status === 'pending') - Number(a.to.id === me.id && a.status === 'pending'),
  );
  return (
    <div className="page" data-testid="handover-page">
      <Space style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('handover.title')}
        </Typography.Title>
        {can(me, 'duty.handover') && (
          <Button type="primary" icon={<SwapOutlined />} onClick={() => setOpen(true)} data-testid="new-handover">
            {t('handover.new')}
          </Button>
        )}
      </Space>
      {list.error && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <List
        loading={list.isLoading}
        dataSource={mineFirst}
        locale={{ emptyText: <Empty description={t('handover.empty')} /> }}
        renderItem={(h: Handover) => (
          <Card size="small" style={{ marginBottom: 8 }} data-testid="handover">
            <Space wrap>
              <Typography.Text strong>
                {h.from.displayName} → {h.to.displayName}
              </Typography.Text>
              <Typography.Text type="secondary">{dayjs(h.createdAt).format('YYYY-MM-DD HH:mm')}</Typography.Text>
              <Tag color={h.status === 'accepted' ? 'green' : 'orange'}>{t(`handover.${h.status}`)}</Tag>
              {h.status === 'pending' && h.to.id === me.id && (
                <Button
                  size="small"
                  icon={<CheckOutlined />}
                  onClick={async () => {
                    try {
                      await acceptHandover(h.id, '');
                      refresh();
                    } catch (err) {
                      message.error(errorMessage(err));
                    }
                  }}
                >
                  {t('handover.accept')}
                </Button>
              )}
            </Space>
            {h.notes && <Typography.Paragraph style={{ margin: '8px 0' }}>{h.notes}</Typography.Paragraph>}
            {h.items.map((it) => (
              <ItemLine key={`${it.kind}-${it.refId ?? ''}-${it.text}`} item={it} />
            ))}
            {h.acceptedAt && (
              <Typography.Text type="secondary">
                {t('handover.acceptedAt', { at: dayjs(h.acceptedAt).format('MM-DD HH:mm') })} {h.acceptNote}
              </Typography.Text>
            )}
          </Card>
        )}
      />
      <NewHandover
        open={open}
        onClose={() => setOpen(false)}
        onDone={() => {
          setOpen(false);
          refresh();
        }}
      />
    </div>
  );
}

interface Ref {
  id: string;
  number?: string;
  title: string;
}

/** The open items the outgoing officer may tick: active incidents, active warnings, open tasks (where installed). */
function useOpenRefs() {
  return useQuery({
    queryKey: dutyKeys.board('refs'),
    queryFn: async () => {
      const [incidents, warnings, tasks] = await Promise.all([
        optional<ListReply<Ref>>('/incidents', { status: 'reported,verified,responding', limit: 50 }),
        optional<ListReply<Ref>>('/warnings', { status: 'active', limit: 100 }),
        optional<ListReply<Ref>>('/tasks', { status: 'open', limit: 100 }),
      ]);
      return { incident: incidents?.items ?? [], warning: warnings?.items ?? [], task: tasks?.items ?? [] };
    },
  });
}

function NewHandover({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation('duty');
  const [form] = Form.useForm();
  const refs = useOpenRefs();
  const [error, setError] = useState<string | null>(null);
  const ticked = (kind: 'incident' | 'warning' | 'task', ids: string[] = []): HandoverItem[] =>
    ids.map((id) => {
      const r = refs.data?.[kind].find((x) => x.id === id);
      return { kind, refId: id, text: r ? `${r.number ?? ''} ${r.title}`.trim() : id };
    });
  return (
    <Drawer open={open} onClose={onClose} title={t('handover.new')} size={640} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setError(null);
          const items: HandoverItem[] = [
            ...ticked('incident', v.incidents),
            ...ticked('warning', v.warnings),
            ...ticked('task', v.tasks),
            ...((v.free ?? []) as string[]).filter((s) => s?.trim()).map((text) => ({ kind: 'free' as const, text })),
          ];
          try {
            await createHandover({ toUserId: v.toUserId, notes: v.notes ?? '', items });
            onDone();
          } catch (err) {
            if (!applyServerError(form, err)) setError(errorMessage(err));
          }
        }}
      >
        <Form.Item name="toUserId" label={t('handover.to')} rules={[{ required: true }]}>
          <UserSelect testId="handover-to" />
        </Form.Item>
        <Form.Item name="notes" label={t('handover.notes')}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        {(['incident', 'warning', 'task'] as const).map((kind) => (
          <Form.Item key={kind} name={`${kind}s`} label={t(`handover.open.${kind}`)}>
            <Select
              mode="multiple"
              loading={refs.isLoading}
              notFoundContent={t('handover.noneOpen')}
              options={(refs.data?.[kind] ?? []).map((r) => ({ value: r.id, label: `${r.number ?? ''} ${r.title}` }))}
            />
          </Form.Item>
        ))}
        <Form.List name="free">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={f.name} style={{ width: 420 }}>
                    <Input maxLength={1000} placeholder={t('handover.freeItem')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} style={{ marginBottom: 16 }}>
                {t('handover.addItem')}
              </Button>
            </>
          )}
        </Form.List>
        <div>
          <Button type="primary" htmlType="submit" data-testid="handover-submit">
            {t('handover.submit')}
          </Button>
        </div>
      </Form>
    </Drawer>
  );
}
