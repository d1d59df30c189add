import { useQueryClient } from '@tanstack/react-query';
import { Alert, Col, DatePicker, Form, Input, Modal, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLOUR_INFO, type Colour } from '../../../../contracts/monitoring.ts';
import type { Warning, WarningInput } from '../../../../contracts/warnings.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { fromShanghaiWall } from '../../i18n/index.ts';
import { BOARD_COLOURS } from './board.ts';
import { colourLabel, useDistrictOptions, useHazardOptions, useLang } from './labels.tsx';
import { createWarning, upsertWarningInCache } from './warnings-api.ts';

interface Values {
  hazardCode: string;
  colour: Colour;
  title: string;
  titleEn?: string;
  district: string;
  expiresAt?: Dayjs | null;
  description?: string;
}

/** A warning for an area entered by hand (a district's boundary is its area). */
export function NewWarningModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (w: Warning) => void;
}) {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const hazards = useHazardOptions();
  const districts = useDistrictOptions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const input: WarningInput = {
        hazardCode: v.hazardCode,
        colour: v.colour,
        title: v.title.trim(),
        ...(v.titleEn?.trim() ? { titleEn: v.titleEn.trim() } : {}),
        ...(v.description?.trim() ? { description: v.description.trim() } : {}),
        district: v.district,
        ...(v.expiresAt ? { expiresAt: fromShanghaiWall(v.expiresAt) } : {}),
      };
      const w = await createWarning(input);
      upsertWarningInCache(qc, w);
      onCreated(w);
      onClose();
    } catch (err) {
      if (!applyServerError(form, err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('create.title')}
      onCancel={onClose}
      onOk={submit}
      okText={t('create.ok')}
      okButtonProps={{ loading: busy }}
      cancelText={t('common:cancel')}
      width={640}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" className="dense-form" initialValues={{ colour: 'blue' }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="hazardCode" label={t('field.hazard')} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={hazards}
                popupMatchSelectWidth={false}
                autoFocus
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="district"
              label={t('field.district')}
              rules={[{ required: true }]}
              tooltip={t('create.districtHint')}
            >
              <Select showSearch={{ optionFilterProp: 'label' }} options={districts} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="colour" label={t('field.colour')} rules={[{ required: true }]}>
          <Radio.Group>
            {BOARD_COLOURS.map((c) => (
              <Radio.Button key={c} value={c}>
                <span className="colour-swatch" style={{ background: COLOUR_INFO[c].color }} />
                {colourLabel(c, lang, true)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="title" label={t('field.title')} rules={[{ required: true, whitespace: true }, { max: 300 }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="titleEn" label={t('field.titleEn')} rules={[{ max: 300 }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('field.expiresAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="description" label={t('field.description')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
