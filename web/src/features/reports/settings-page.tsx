/**
 * The reporting clocks per incident category, each default labelled with its basis (Order 493's hour; the rest
 * assumptions, not verified), the reminder lead time and the SitRep times; and the SitReps made, with "generate now".
 */
import { DownloadOutlined, FileWordOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, InputNumber, Select, Space, Spin, Table, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CATEGORIES, CATEGORY_INFO } from '../../../../contracts/incidents.ts';
import { CLOCK_FIELDS, type ClockField, type ReportSettings } from '../../../../contracts/reports.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError, downloadFile } from '../../api/client.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { makeSitrep, reportKeys, saveSettings, useReportSettings, useSitreps } from './reports-api.ts';

const TIMES = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
);

export function ReportSettingsPage() {
  const { t, i18n } = useTranslation('reports');
  const en = i18n.language === 'en';
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const settings = useReportSettings();
  const sitreps = useSitreps();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState<string | null>(null);
  const canConfigure = can(user, 'reports.configure');
  const canSitrep = can(user, 'reports.sitrep');
  const s = settings.data;
  useEffect(() => {
    if (s) form.setFieldsValue({ clocks: s.clocks, reminderMinutes: s.reminderMinutes, sitrepTimes: s.sitrepTimes });
  }, [s, form]);

  const save = async () => {
    if (!s) return;
    const v = await form.validateFields();
    setBusy('save');
    try {
      const saved = await saveSettings({ ...v, version: s.version });
      qc.setQueryData<ReportSettings>(reportKeys.settings, saved);
      message.success(t('saved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') await settings.refetch();
      if (!applyServerError(form, err)) message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const run = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await fn();
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const basisTag = (f: ClockField) =>
    s ? (
      <Tooltip title={en ? s.basis[f].en : s.basis[f].zh}>
        <Tag color={s.basis[f].verified ? 'green' : 'orange'}>
          {s.basis[f].verified ? t('basis.verified') : t('basis.assumption')}
        </Tag>
      </Tooltip>
    ) : null;

  return (
    <div className="page" data-testid="report-settings-page">
      <Card
        title={t('clocks.title')}
        size="small"
        className="section-card"
        extra={
          canConfigure && (
            <Button type="primary" loading={busy === 'save'} onClick={() => void save()} data-testid="clocks-save">
              {t('save')}
            </Button>
          )
        }
      >
        {settings.isLoading && <Spin />}
        {settings.error && <Alert type="error" showIcon title={errorMessage(settings.error)} />}
        {s && (
          <Form form={form} disabled={!canConfigure} layout="vertical">
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('clocks.note')} />
            <Table
              size="small"
              pagination={false}
              rowKey="c"
              dataSource={CATEGORIES.map((c) => ({ c }))}
              columns={[
                { title: t('clocks.category'), render: (_, r) => (en ? CATEGORY_INFO[r.c].en : CATEGORY_INFO[r.c].zh) },
                ...CLOCK_FIELDS.map((f) => ({
                  key: f,
                  title: (
                    <Space size={4}>
                      {t(`clocks.${f}`)}
                      {basisTag(f)}
                    </Space>
                  ),
                  render: (_: unknown, r: { c: string }) => (
                    <Form.Item name={['clocks', r.c, f]} noStyle rules={[{ required: true }]}>
                      <InputNumber min={1} max={f === 'initialMinutes' ? 1440 : f === 'finalDays' ? 365 : 720} />
                    </Form.Item>
                  ),
                })),
              ]}
            />
            <div className="muted" style={{ marginTop: 8 }}>
              {CLOCK_FIELDS.map((f) => (
                <div key={f}>
                  {t(`clocks.${f}`)}: {s.defaults[f]} — {en ? s.basis[f].en : s.basis[f].zh}
                </div>
              ))}
            </div>
            <Space size="large" style={{ marginTop: 12 }} wrap>
              <Form.Item name="reminderMinutes" label={t('clocks.reminderMinutes')} rules={[{ required: true }]}>
                <InputNumber min={1} max={1440} />
              </Form.Item>
              <Form.Item name="sitrepTimes" label={t('clocks.sitrepTimes')}>
                <Select
                  mode="multiple"
                  style={{ minWidth: 240 }}
                  options={TIMES.map((x) => ({ value: x, label: x }))}
                />
              </Form.Item>
            </Space>
          </Form>
        )}
      </Card>
      <Card
        title={t('sitrep.title')}
        size="small"
        className="section-card"
        extra={
          <Space>
            <Button
              icon={<FileWordOutlined />}
              loading={busy === 'now'}
              onClick={() => void run('now', () => downloadFile('/reports/sitrep.docx', undefined, 'sitrep.docx'))}
            >
              {t('sitrep.download')}
            </Button>
            {canSitrep && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                loading={busy === 'make'}
                data-testid="sitrep-generate"
                onClick={() =>
                  void run('make', async () => {
                    await makeSitrep();
                    await qc.invalidateQueries({ queryKey: reportKeys.sitreps });
                  })
                }
              >
                {t('sitrep.generate')}
              </Button>
            )}
          </Space>
        }
      >
        {sitreps.error && !(sitreps.error instanceof ApiError && sitreps.error.status === 403) && (
          <Alert type="error" showIcon title={errorMessage(sitreps.error)} />
        )}
        <Table
          size="small"
          rowKey="id"
          loading={sitreps.isLoading}
          dataSource={sitreps.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('sitrep.empty')} /> }}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('sitrep.at'),
              render: (_, r) => new Date(r.generatedAt).toLocaleString(en ? 'en-GB' : 'zh-CN'),
            },
            {
              title: t('sitrep.trigger'),
              render: (_, r) =>
                r.trigger === 'manual' ? t('sitrep.manual') : t('sitrep.scheduled', { at: r.trigger }),
            },
            { title: t('sitrep.incidents'), dataIndex: 'incidents' },
            {
              title: '',
              render: (_, r) => (
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  loading={busy === r.id}
                  onClick={() =>
                    void run(r.id, () => downloadFile(`/reports/sitreps/${r.id}`, undefined, 'sitrep.docx'))
                  }
                >
                  .docx
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
