/** One plan: its register fields, approval and retirement, its levels' actions, its editions and documents. */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PLAN_KIND_INFO, PLAN_STATUS_INFO } from '../../../../contracts/command.ts';
import { eventTypeName } from '../../../../contracts/incidents.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useUnits } from '../../api/org.ts';
import { Attachments } from '../../components/attachments.tsx';
import { useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { commandKeys, updatePlan, usePlan, usePlanVersions } from './command-api.ts';
import { PlanDrawer } from './plan-drawer.tsx';
import { ReviewTag } from './plans-page.tsx';
import { levelLabel } from './response-panel.tsx';

export function PlanPage() {
  const { id } = useParams();
  const { t } = useTranslation('command');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const plan = usePlan(id);
  const versions = usePlanVersions(id);
  const units = useUnits();
  const [editing, setEditing] = useState(false);
  if (plan.isLoading) return <Spin />;
  if (plan.error || !plan.data) return <Alert type="error" showIcon title={errorMessage(plan.error)} />;
  const p = plan.data;
  const unitName = (c: string) => {
    const u = units.data?.items.find((x) => x.code === c);
    return u ? (lang === 'en' ? u.nameEn || u.name : u.name) : c;
  };
  const refresh = () => void qc.invalidateQueries({ queryKey: commandKeys.plans });
  const setStatus = (status: 'approved' | 'retired') =>
    modal.confirm({
      title: t(status === 'approved' ? 'plan.approveTitle' : 'plan.retireTitle', { name: p.name }),
      onOk: async () => {
        try {
          await updatePlan(p.id, { version: p.version, status });
        } catch (err) {
          modal.error({ title: t('response.failed'), content: errorMessage(err) });
        } finally {
          refresh();
        }
      },
    });
  const manage = can(user, 'plans.manage') && p.status !== 'retired';
  return (
    <Space direction="vertical" className="page" style={{ width: '100%' }}>
      <Space>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {p.name}
        </Typography.Title>
        <Tag>{PLAN_STATUS_INFO[p.status][lang]}</Tag>
        {p.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
      </Space>
      <Space>
        {manage && <Button onClick={() => setEditing(true)}>{t('plan.editButton')}</Button>}
        {p.status === 'draft' && can(user, 'plans.approve') && (
          <Button type="primary" onClick={() => setStatus('approved')}>
            {t('plan.approve')}
          </Button>
        )}
        {manage && (
          <Button danger onClick={() => setStatus('retired')}>
            {t('plan.retire')}
          </Button>
        )}
      </Space>
      <Descriptions size="small" bordered column={2}>
        <Descriptions.Item label={t('field.kind')}>{PLAN_KIND_INFO[p.kind][lang]}</Descriptions.Item>
        <Descriptions.Item label={t('field.owner')}>{p.ownerUnit ? unitName(p.ownerUnit.code) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('field.hazards')} span={2}>
          {p.hazardCodes.map((c) => (
            <Tag key={c}>
              {c} {eventTypeName(c, lang)}
            </Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('field.scope')}>
          {p.scope.length ? p.scope.map(unitName).join(lang === 'zh' ? '、' : ', ') : t('field.cityWide')}
        </Descriptions.Item>
        <Descriptions.Item label={t('field.edition')}>{p.edition}</Descriptions.Item>
        <Descriptions.Item label={t('field.approvedOn')}>
          {p.approvedOn ? `${p.approvedOn} · ${p.approvedBy ?? ''}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('field.reviewDue')}>
          <ReviewTag plan={p} />
        </Descriptions.Item>
        <Descriptions.Item label={t('field.summary')} span={2}>
          {p.summary || '—'}
        </Descriptions.Item>
      </Descriptions>
      {p.activation && (
        <Card size="small" title={t('plan.activation')}>
          {t('plan.activationLine', {
            level: levelLabel(p.activation.minLevel, lang),
            colours: (p.activation.warningColours ?? []).map((c) => t(`colour.${c}`)).join(', ') || '—',
            districts: (p.activation.districts ?? []).map(unitName).join(', ') || t('field.cityWide'),
          })}
        </Card>
      )}
      {p.levels.map((l) => (
        <Card key={l.level} size="small" title={levelLabel(l.level, lang)}>
          <Table
            size="small"
            rowKey={(r) => `${r.unit}|${r.title}`}
            pagination={false}
            dataSource={l.actions}
            columns={[
              { title: t('field.unit'), dataIndex: 'unit', width: 180, render: unitName },
              { title: t('field.action'), dataIndex: 'title' },
              { title: t('field.dueMinutes'), dataIndex: 'dueMinutes', width: 110 },
              {
                title: t('field.checklist'),
                dataIndex: 'checklist',
                render: (c?: string[]) => (c ?? []).join(lang === 'zh' ? '；' : '; ') || '—',
              },
            ]}
          />
        </Card>
      ))}
      <Card size="small" title={t('plan.documents')}>
        <Attachments entity="plan" entityId={p.id} canAttach={can(user, 'plans.manage') && p.status !== 'retired'} />
      </Card>
      <Card size="small" title={t('plan.versions')}>
        {versions.data?.items.length ? (
          <Timeline
            items={versions.data.items.map((v) => ({
              children: `${t('plan.editionN', { n: v.edition })} · ${new Date(v.at).toLocaleString()} · ${v.by ?? ''} ${v.note ? `· ${v.note}` : ''}`,
            }))}
          />
        ) : (
          <Empty description={t('plan.noVersions')} />
        )}
      </Card>
      {editing && (
        <PlanDrawer
          plan={p}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            refresh();
          }}
        />
      )}
    </Space>
  );
}
