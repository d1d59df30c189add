import { SaveOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  CONSULTATION_KIND_INFO,
  CONSULTATION_NEXT,
  type Consultation,
  type ConsultationPatch,
  type Expert,
} from '../../../../contracts/experts.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';
import { useUnits } from '../../api/org.ts';
import { Attachments } from '../../components/attachments.tsx';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { consultationKeys, useConsultation } from './experts-api.ts';
import { ConsultationStatusTag, localTime, nameIn, useLang } from './labels.tsx';

interface Values {
  title: string;
  startsAt: dayjs.Dayjs;
  place?: string;
  link?: string;
  experts?: string[];
  units?: string[];
  agenda?: string;
  minutes?: string;
  conclusions?: string;
}

const lines = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

/** One consultation: its record, the agenda, minutes and conclusions editor, status steps, attachments. */
export function ConsultationPage() {
  const { id } = useParams();
  const { t } = useTranslation('experts');
  const lang = useLang();
  const user = useCurrentUser();
  const q = useConsultation(id);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [expertSearch, setExpertSearch] = useState('');
  const units = useUnits();
  const experts = useQuery({
    queryKey: ['experts', 'picker', expertSearch],
    queryFn: ({ signal }) =>
      api.get<ListReply<Expert>>('/experts', { q: expertSearch || undefined, limit: 50 }, signal),
  });
  const c = q.data;
  useEffect(() => {
    if (!c) return;
    form.setFieldsValue({
      title: c.title,
      startsAt: dayjs(c.startsAt),
      place: c.place,
      link: c.link,
      experts: c.participants.experts.map((e) => e.id),
      units: c.participants.units.map((u) => u.code),
      agenda: c.agenda.join('\n'),
      minutes: c.minutes,
      conclusions: c.conclusions.join('\n'),
    });
  }, [c, form]);
  if (q.isLoading) return <Skeleton active className="page" />;
  if (q.isError || !c)
    return <Result status="warning" title={t('consult.notLoaded')} subTitle={errorMessage(q.error)} />;
  const editable = can(user, 'consultations.manage') && c.status !== 'closed';
  const next = CONSULTATION_NEXT[c.status];

  const save = async (status?: Consultation['status']) => {
    const v = await form.validateFields();
    const body: ConsultationPatch = {
      version: c.version,
      title: v.title,
      startsAt: v.startsAt.toISOString(),
      place: v.place ?? '',
      link: v.link ?? '',
      participants: {
        experts: v.experts ?? [],
        units: v.units ?? [],
        users: c.participants.users.map((u) => u.id),
      },
      agenda: lines(v.agenda),
      minutes: v.minutes ?? '',
      conclusions: lines(v.conclusions),
      ...(status ? { status } : {}),
    };
    setBusy(true);
    try {
      const saved = await api.patch<Consultation>(`/consultations/${c.id}`, body);
      qc.setQueryData(consultationKeys.detail(c.id), saved);
      void qc.invalidateQueries({ queryKey: consultationKeys.all });
      void message.success(t('consult.saved'));
    } catch (err) {
      if (!applyServerError(form, err, ['title', 'startsAt', 'place', 'link', 'agenda', 'minutes', 'conclusions']))
        report(err, { refetch: consultationKeys.detail(c.id) });
    } finally {
      setBusy(false);
    }
  };

  const expertOptions = [
    ...c.participants.experts.map((e) => ({ value: e.id, label: `${e.name}（${e.organisation}）` })),
    ...(experts.data?.items ?? [])
      .filter((e) => !c.participants.experts.some((x) => x.id === e.id))
      .map((e) => ({ value: e.id, label: `${e.name}（${e.organisation}）` })),
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Space>
          <Link to="/consultations">{t('nav.consultations')}</Link>
          <span>/</span>
          <Typography.Title level={4} className="page-title">
            {c.title}
          </Typography.Title>
          <ConsultationStatusTag status={c.status} />
        </Space>
        {editable && (
          <Space>
            <Button icon={<SaveOutlined />} loading={busy} onClick={() => void save()} data-testid="consultation-save">
              {t('common:save')}
            </Button>
            {next && (
              <Button type="primary" loading={busy} onClick={() => void save(next)} data-testid="consultation-next">
                {t(`consult.to.${next}`)}
              </Button>
            )}
          </Space>
        )}
      </div>
      {c.status === 'closed' && (
        <Alert type="info" showIcon title={t('consult.closedNote')} style={{ marginBottom: 12 }} />
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('consult.kind')}>
            {nameIn(CONSULTATION_KIND_INFO[c.kind], lang)}
          </Descriptions.Item>
          {c.incident && (
            <Descriptions.Item label={t('consult.incident')}>
              <Link to={`/incidents/${c.incident.id}`}>
                {c.incident.number} {c.incident.title}
              </Link>
            </Descriptions.Item>
          )}
          {c.warning && (
            <Descriptions.Item label={t('consult.warning')}>
              {c.warning.number} {c.warning.title}
            </Descriptions.Item>
          )}
          {c.period && <Descriptions.Item label={t('due.period')}>{c.period}</Descriptions.Item>}
          <Descriptions.Item label={t('field.updatedAt')}>{localTime(c.updatedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Form form={form} layout="vertical" disabled={!editable}>
        <Row gutter={16}>
          <Col xs={24} lg={10}>
            <Card size="small" title={t('consult.session')} style={{ marginBottom: 12 }}>
              <Form.Item name="title" label={t('consult.title')} rules={[{ required: true, max: 200 }]}>
                <Input />
              </Form.Item>
              <Form.Item name="startsAt" label={t('consult.startsAt')} rules={[{ required: true }]}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
              </Form.Item>
              <Form.Item name="place" label={t('consult.place')}>
                <Input />
              </Form.Item>
              <Form.Item name="link" label={t('consult.link')}>
                <Input />
              </Form.Item>
              <Form.Item name="experts" label={t('consult.experts')}>
                <Select
                  mode="multiple"
                  options={expertOptions}
                  showSearch={{ onSearch: setExpertSearch, filterOption: false }}
                  placeholder={t('consult.expertsPlaceholder')}
                />
              </Form.Item>
              <Form.Item name="units" label={t('consult.units')}>
                <Select
                  mode="multiple"
                  showSearch={{ optionFilterProp: 'label' }}
                  options={(units.data?.items ?? []).map((u) => ({
                    value: u.code,
                    label: lang === 'en' ? u.nameEn || u.name : u.name,
                  }))}
                />
              </Form.Item>
              {c.participants.users.length > 0 && (
                <Typography.Paragraph type="secondary">
                  {t('consult.users')}: {c.participants.users.map((u) => u.name).join('、')}
                </Typography.Paragraph>
              )}
              <Form.Item name="agenda" label={t('consult.agenda')} extra={t('consult.onePerLine')}>
                <Input.TextArea rows={6} />
              </Form.Item>
            </Card>
            <Card size="small" title={t('consult.attachments')}>
              <Attachments entity="consultation" entityId={c.id} canAttach={editable} />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card size="small" title={t('consult.minutes')} style={{ marginBottom: 12 }}>
              <Form.Item name="minutes" noStyle>
                <Input.TextArea rows={18} data-testid="minutes" />
              </Form.Item>
            </Card>
            <Card size="small" title={t('consult.conclusions')}>
              <Form.Item name="conclusions" extra={t('consult.conclusionsHelp')} style={{ marginBottom: 0 }}>
                <Input.TextArea rows={5} data-testid="conclusions" />
              </Form.Item>
            </Card>
          </Col>
        </Row>
      </Form>
    </div>
  );
}
