import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Space,
  Spin,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROJECT_TYPE_INFO, type ProgressReport, type ProjectDetail } from '../../../../contracts/risks.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { nameIn, ProjectStatusTag, useDistrictLabel, useLang } from './labels.tsx';
import { ProjectFormDrawer } from './project-form-drawer.tsx';
import { ProjectProgress } from './project-progress.tsx';
import { deleteProject, reportProgress, risksKeys, useProject } from './risks-api.ts';
import { formatQuantity, unitIn } from './risks-text.ts';

interface ReportValues {
  date: dayjs.Dayjs;
  quantity: number;
  note?: string;
}

/** The cumulative quantity done by a date; Enter in any field submits. */
function ProgressForm({ project, onDone }: { project: ProjectDetail; onDone: () => void }) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const [form] = Form.useForm<ReportValues>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const { message } = App.useApp();
  const submit = async (v: ReportValues) => {
    setBusy(true);
    try {
      await reportProgress(project.id, {
        date: v.date.format('YYYY-MM-DD'),
        quantity: v.quantity,
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      void message.success(t('projects.reported'));
      form.resetFields();
      onDone();
    } catch (err) {
      if (!applyServerError(form, err, ['date', 'quantity', 'note'])) report(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      form={form}
      layout="vertical"
      className="dense-form"
      initialValues={{ date: dayjs(), quantity: project.doneQuantity }}
      onFinish={submit}
      data-testid="progress-form"
    >
      <Alert type="info" showIcon title={t('projects.reportHint')} style={{ marginBottom: 12 }} />
      <Row gutter={12}>
        <Col span={10}>
          <Form.Item
            name="date"
            label={t('field.date')}
            rules={[{ required: true, message: t('projects.dateRequired') }]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        <Col span={14}>
          <Form.Item
            name="quantity"
            label={t('field.quantity')}
            extra={t('projects.of', {
              target: formatQuantity(project.targetQuantity, lang),
              unit: unitIn(project.unit, project.type, lang),
            })}
            rules={[{ required: true, message: t('projects.quantityRequired') }]}
          >
            <InputNumber
              min={0}
              max={10_000_000}
              style={{ width: '100%' }}
              suffix={unitIn(project.unit, project.type, lang)}
              data-testid="progress-quantity"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={t('field.note')} rules={[{ max: 1000 }]}>
        <Input maxLength={1000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="progress-save">
        {t('projects.reportSave')}
      </Button>
    </Form>
  );
}

/** A project: its figures, its progress reports, the progress form; edit and delete for who may manage. */
export function ProjectDrawer({ id, manage, onClose }: { id: string | null; manage: boolean; onClose: () => void }) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const project = useProject(id);
  const districtLabel = useDistrictLabel();
  const [editing, setEditing] = useState(false);
  const p = project.data;
  const refresh = () => void qc.invalidateQueries({ queryKey: risksKeys.projects });
  const remove = async () => {
    if (!p) return;
    try {
      await deleteProject(p.id);
      void message.success(t('projects.deleted'));
      refresh();
      onClose();
    } catch (err) {
      report(err);
    }
  };
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={680}
      title={p ? p.name : t('projects.detail')}
      destroyOnHidden
      extra={
        manage && p ? (
          <Space>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="project-edit">
              {t('projects.edit')}
            </Button>
            <Popconfirm
              title={t('projects.deleteConfirm', { name: p.name })}
              okButtonProps={{ danger: true }}
              okText={t('projects.delete')}
              cancelText={t('common:cancel')}
              onConfirm={remove}
            >
              <Button danger icon={<DeleteOutlined />} data-testid="project-delete">
                {t('projects.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : undefined
      }
    >
      {project.isPending && id ? (
        <Spin />
      ) : project.isError ? (
        <Alert type="error" showIcon title={errorMessage(project.error)} />
      ) : p ? (
        <div data-testid="project-detail">
          <Descriptions
            size="small"
            column={2}
            items={[
              {
                key: 'type',
                label: t('field.type'),
                children: nameIn(PROJECT_TYPE_INFO[p.type], lang),
              },
              {
                key: 'district',
                label: t('field.district'),
                children: districtLabel({ code: p.district, name: p.districtName }),
              },
              {
                key: 'status',
                label: t('field.status'),
                children: (
                  <Space size={4}>
                    <ProjectStatusTag status={p.status} />
                    {p.demo && <Tag>{t('common:demoShort')}</Tag>}
                  </Space>
                ),
              },
              { key: 'unit', label: t('field.responsibleUnit'), children: p.responsibleUnit },
              {
                key: 'dates',
                label: t('field.dates'),
                children: `${p.startDate.slice(0, 10)} ~ ${p.endDate.slice(0, 10)}`,
              },
              { key: 'last', label: t('field.lastReport'), children: p.lastReportDate?.slice(0, 10) ?? '—' },
              {
                key: 'progress',
                label: t('field.progress'),
                span: 2,
                children: <ProjectProgress project={p} wide />,
              },
              ...(p.notes ? [{ key: 'notes', label: t('field.notes'), span: 2, children: p.notes }] : []),
            ]}
          />
          {manage && (
            <Card size="small" title={t('projects.reportTitle')} className="section-card" style={{ marginTop: 12 }}>
              <ProgressForm project={p} onDone={refresh} />
            </Card>
          )}
          <Card size="small" title={t('projects.reports')} className="section-card" style={{ marginTop: 12 }}>
            <Table<ProgressReport>
              size="small"
              className="dense-table"
              rowKey="id"
              pagination={false}
              dataSource={[...p.reports].sort((a, b) => b.date.localeCompare(a.date))}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.noReports')} />,
              }}
              onRow={() => ({ 'data-testid': 'progress-row' }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                { title: t('field.date'), dataIndex: 'date', width: 100, render: (v: string) => v.slice(0, 10) },
                {
                  title: t('field.quantity'),
                  dataIndex: 'quantity',
                  width: 110,
                  align: 'right',
                  render: (v: number) => formatQuantity(v, lang),
                },
                {
                  title: t('field.increment'),
                  dataIndex: 'increment',
                  width: 90,
                  align: 'right',
                  render: (v: number) => (v > 0 ? `+${formatQuantity(v, lang)}` : formatQuantity(v, lang)),
                },
                { title: t('field.note'), dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '' },
                {
                  title: t('field.reporter'),
                  dataIndex: 'reporter',
                  width: 140,
                  render: (v: string, r) => <span title={formatTime(r.createdAt)}>{v}</span>,
                },
              ]}
            />
          </Card>
          <ProjectFormDrawer open={editing} project={p} onClose={() => setEditing(false)} onSaved={refresh} />
        </div>
      ) : null}
    </Drawer>
  );
}
