import { EditOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Empty, Form, Input, InputNumber, List, Switch, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CADENCE_INFO,
  type ConsultationTemplate,
  type Occasion,
  type TemplatePatch,
} from '../../../../contracts/experts.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { consultationKeys, useTemplates } from './experts-api.ts';
import { nameIn, useLang } from './labels.tsx';

/** The periodic assessment templates: cadence, due days (assumptions, editable), agenda and minutes headings. */
export function TemplatesPage() {
  const { t } = useTranslation('experts');
  const lang = useLang();
  const user = useCurrentUser();
  const q = useTemplates();
  const [editing, setEditing] = useState<ConsultationTemplate | null>(null);
  const manage = can(user, 'consultations.templates');
  const when = (x: ConsultationTemplate) =>
    x.cadence === 'occasion'
      ? x.occasions.map((o) => `${lang === 'en' ? o.en : o.zh} ${o.date}`).join('、') +
        (x.leadDays ? ` · ${t('tpl.leadDays', { days: x.leadDays })}` : '')
      : t('tpl.dueDay', { day: x.dueDay });
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.templates')}
        </Typography.Title>
      </div>
      <Alert type="warning" showIcon title={t('due.assumption')} style={{ marginBottom: 12 }} />
      {q.isError ? (
        <Alert type="error" title={errorMessage(q.error)} />
      ) : (
        <List
          loading={q.isLoading}
          grid={{ gutter: 12, xs: 1, md: 2 }}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('tpl.none')} /> }}
          renderItem={(x) => (
            <List.Item>
              <Card
                size="small"
                title={lang === 'en' ? x.nameEn : x.name}
                extra={
                  manage && (
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => setEditing(x)}
                      data-testid="edit-template"
                    >
                      {t('common:edit')}
                    </Button>
                  )
                }
              >
                <p>
                  <Tag>{nameIn(CADENCE_INFO[x.cadence], lang)}</Tag>
                  {!x.active && <Tag color="default">{t('tpl.inactive')}</Tag>}
                  {when(x)}
                </p>
                <Typography.Text strong>{t('consult.agenda')}</Typography.Text>
                <ol>
                  {x.agenda.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ol>
                <Typography.Text strong>{t('tpl.sections')}</Typography.Text>
                <div className="muted">{x.sections.join(' / ')}</div>
              </Card>
            </List.Item>
          )}
        />
      )}
      <TemplateDrawer template={editing} onClose={() => setEditing(null)} />
    </div>
  );
}

interface Values {
  name: string;
  nameEn: string;
  dueDay?: number;
  leadDays?: number;
  occasions?: string;
  agenda: string;
  sections: string;
  active: boolean;
}

const lines = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

function TemplateDrawer({ template, onClose }: { template: ConsultationTemplate | null; onClose: () => void }) {
  const { t } = useTranslation('experts');
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  useEffect(() => {
    if (!template) return;
    form.setFieldsValue({
      name: template.name,
      nameEn: template.nameEn,
      dueDay: template.dueDay,
      leadDays: template.leadDays,
      occasions: template.occasions.map((o) => `${o.key} | ${o.zh} | ${o.en} | ${o.date}`).join('\n'),
      agenda: template.agenda.join('\n'),
      sections: template.sections.join('\n'),
      active: template.active,
    });
  }, [template, form]);
  if (!template) return null;
  const submit = async () => {
    const v = await form.validateFields();
    const occasions: Occasion[] = lines(v.occasions).map((l) => {
      const [key = '', zh = '', en = '', date = ''] = l.split('|').map((x) => x.trim());
      return { key, zh, en, date };
    });
    const body: TemplatePatch = {
      version: template.version,
      name: v.name,
      nameEn: v.nameEn,
      agenda: lines(v.agenda),
      sections: lines(v.sections),
      active: v.active,
      ...(template.cadence === 'occasion' ? { occasions, leadDays: v.leadDays ?? 0 } : { dueDay: v.dueDay ?? 1 }),
    };
    setBusy(true);
    try {
      await api.patch(`/consultations/templates/${template.id}`, body);
      void qc.invalidateQueries({ queryKey: consultationKeys.all });
      onClose();
    } catch (err) {
      if (!applyServerError(form, err, ['name', 'nameEn', 'dueDay', 'leadDays', 'agenda', 'sections']))
        report(err, { refetch: consultationKeys.templates, close: onClose });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      onClose={onClose}
      title={template.name}
      size={560}
      footer={
        <DrawerFooter
          note={t('due.assumptionShort')}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="template-save"
        />
      }
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('tpl.name')} rules={[{ required: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('tpl.nameEn')} rules={[{ required: true, max: 150 }]}>
          <Input />
        </Form.Item>
        {template.cadence === 'occasion' ? (
          <>
            <Form.Item name="occasions" label={t('tpl.occasions')} extra={t('tpl.occasionsHelp')}>
              <Input.TextArea rows={6} />
            </Form.Item>
            <Form.Item name="leadDays" label={t('tpl.leadDaysLabel')}>
              <InputNumber min={0} max={60} />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="dueDay" label={t('tpl.dueDayLabel')}>
            <InputNumber min={1} max={28} />
          </Form.Item>
        )}
        <Form.Item name="agenda" label={t('consult.agenda')} extra={t('consult.onePerLine')}>
          <Input.TextArea rows={6} />
        </Form.Item>
        <Form.Item name="sections" label={t('tpl.sections')} extra={t('consult.onePerLine')}>
          <Input.TextArea rows={6} />
        </Form.Item>
        <Form.Item name="active" label={t('tpl.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
