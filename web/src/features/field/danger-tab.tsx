/**
 * (e) 隐患上报: a hidden danger from the phone — title, what, grade, category, the enterprise (optional, searched),
 * the place by GPS (WGS-84, recorded as entered) or a tap on the offline map, photos from the camera. The report and
 * its photos go through the outbox (each with its Idempotency-Key; the photos wait for the report's id), so they are
 * kept on the phone while offline and sent in order once connected.
 */
import { SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Form, Input, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DANGER_CATEGORIES,
  DANGER_CATEGORY_INFO,
  DANGER_GRADE_INFO,
  DANGER_GRADES,
  type DangerInput,
} from '../../../../contracts/dangers.ts';
import { api } from '../../api/client.ts';
import { useLang } from '../../components/districts.ts';
import type { LngLatValue } from '../../map/location-input.tsx';
import { fieldOutbox } from './outbox-browser.ts';
import { PhotoPicker, PlacePicker, queuePhotos } from './pickers.tsx';

interface Values {
  title: string;
  description?: string;
  grade: DangerInput['grade'];
  category: DangerInput['category'];
  enterpriseId?: string;
}

export function DangerTab() {
  const { t } = useTranslation('field');
  const lang = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [point, setPoint] = useState<LngLatValue>(null);
  const [gps, setGps] = useState<number | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [q, setQ] = useState('');
  const enterpriseId = Form.useWatch('enterpriseId', form);
  // the enterprise register, when it can be read (online); the report stands without it
  const enterprises = useQuery({
    queryKey: ['field', 'enterprises', q],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; name: string }[] }>('/enterprises', { q: q || undefined, limit: 20 }, signal),
    retry: false,
  });

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const body: DangerInput = {
        title: v.title.trim(),
        category: v.category,
        grade: v.grade,
        source: 'field',
        ...(v.enterpriseId ? { enterpriseId: v.enterpriseId } : {}),
        // a GPS fix is recorded as entered (WGS-84); a point picked on the map is the location itself
        ...(point && gps !== null
          ? { locationEntered: { datum: 'wgs84' as const, coordinates: point } }
          : point
            ? { location: { type: 'Point' as const, coordinates: point } }
            : {}),
        ...(v.description?.trim() || gps !== null
          ? {
              description: [v.description?.trim(), gps !== null ? t('report.accuracyNote', { m: gps }) : '']
                .filter(Boolean)
                .join('\n'),
            }
          : {}),
      };
      const outbox = fieldOutbox();
      const report = await outbox.add({
        kind: 'danger',
        label: body.title,
        method: 'POST',
        path: '/hidden-dangers',
        body,
      });
      await queuePhotos(photos, {
        entity: 'hidden_danger',
        reportId: report.id,
        prefix: 'danger',
        label: (n) => t('report.photoLabel', { n, title: body.title }),
      });
      void outbox.replay();
      message.success(navigator.onLine ? t('report.queuedOnline') : t('report.queuedOffline'));
      form.resetFields();
      setPhotos([]);
      setPoint(null);
      setGps(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      className="field-form"
      size="large"
      initialValues={{ grade: 'general', category: 'environment' }}
    >
      <Form.Item
        name="title"
        label={t('danger.title')}
        rules={[{ required: true, message: t('danger.titleRequired') }]}
      >
        <Input maxLength={200} placeholder={t('danger.titlePlaceholder')} data-testid="field-danger-title" />
      </Form.Item>
      <Form.Item name="grade" label={t('danger.grade')}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={DANGER_GRADES.map((g) => ({ value: g, label: DANGER_GRADE_INFO[g][lang] }))}
        />
      </Form.Item>
      <Form.Item name="category" label={t('danger.category')}>
        <Select options={DANGER_CATEGORIES.map((c) => ({ value: c, label: DANGER_CATEGORY_INFO[c][lang] }))} />
      </Form.Item>
      <Form.Item name="enterpriseId" label={t('danger.enterprise')} extra={t('danger.enterpriseExtra')}>
        <Select
          showSearch
          allowClear
          filterOption={false}
          onSearch={setQ}
          loading={enterprises.isFetching}
          notFoundContent={enterprises.isError ? t('danger.enterprisesOffline') : undefined}
          options={(enterprises.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))}
        />
      </Form.Item>
      <Form.Item label={t('report.place')} required>
        <PlacePicker
          point={point}
          accuracy={gps}
          testId="field-danger-point"
          onChange={(p, a) => {
            setPoint(p);
            setGps(a);
          }}
        />
      </Form.Item>
      <Form.Item name="description" label={t('danger.description')}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Form.Item label={t('report.photos')}>
        <PhotoPicker photos={photos} onChange={setPhotos} />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        block
        size="large"
        icon={<SendOutlined />}
        loading={busy}
        disabled={!point && !enterpriseId}
        data-testid="field-danger-submit"
      >
        {t('danger.submit')}
      </Button>
    </Form>
  );
}
