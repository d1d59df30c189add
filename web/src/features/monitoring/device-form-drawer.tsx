import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEVICE_KIND_INFO,
  DEVICE_KINDS,
  DEVICE_PARAM_INFO,
  DEVICE_PARAMS,
  type Device,
  type DeviceCreated,
  type DeviceInput,
  type DeviceKind,
  type DevicePatch,
  METRICS,
} from '../../../../contracts/monitoring.ts';
import { ApiError } from '../../api/client.ts';
import { useUnits } from '../../api/org.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { ConflictAlert, DrawerFooter } from '../../components/form-drawer.tsx';
import { useDraft } from '../../components/use-draft.ts';
import { formatTime } from '../../i18n/index.ts';
import { type LngLatValue, LocationInput } from '../../map/location-input.tsx';
import { kindName, metricName, nameIn, useLang } from './labels.tsx';
import { createDevice, deviceKeys, patchDevice, upsertDeviceInCache } from './monitoring-api.ts';

interface FormValues {
  name: string;
  code?: string;
  kind: DeviceKind;
  metrics: string[];
  location: LngLatValue;
  ownerUnit?: string;
  params?: Record<string, number | null | undefined>;
  streamUrl?: string;
  offlineAfterMinutes?: number | null;
  enabled: boolean;
  notes?: string;
}

const KNOWN_FIELDS = [
  'name',
  'code',
  'kind',
  'metrics',
  'location',
  'ownerUnit',
  ...DEVICE_PARAMS.map((p) => `params.${p}`),
  'streamUrl',
  'offlineAfterMinutes',
  'notes',
];

function initialValues(d?: Device): Partial<FormValues> {
  if (!d) return { kind: 'rain_gauge', metrics: ['rain_mm'], location: null, enabled: true, offlineAfterMinutes: 30 };
  return {
    name: d.name,
    code: d.code ?? undefined,
    kind: d.kind,
    metrics: [...d.metrics],
    location: [d.location.coordinates[0], d.location.coordinates[1]],
    ownerUnit: d.ownerUnit?.code,
    params: { ...d.params },
    streamUrl: d.streamUrl ?? undefined,
    offlineAfterMinutes: d.offlineAfterMinutes,
    enabled: d.enabled,
    notes: d.notes,
  };
}

/** The form's values as the API takes them (empty texts and parameters left out). */
export function toDeviceInput(v: FormValues): DeviceInput {
  const params: Record<string, number> = {};
  for (const p of DEVICE_PARAMS) {
    const n = v.params?.[p];
    if (typeof n === 'number' && Number.isFinite(n)) params[p] = n;
  }
  return {
    name: v.name.trim(),
    ...(v.code?.trim() ? { code: v.code.trim() } : {}),
    kind: v.kind,
    metrics: v.metrics as DeviceInput['metrics'],
    location: { type: 'Point', coordinates: [v.location?.[0] ?? 0, v.location?.[1] ?? 0] },
    ...(v.ownerUnit ? { ownerUnit: v.ownerUnit } : {}),
    params,
    ...(v.streamUrl?.trim() ? { streamUrl: v.streamUrl.trim() } : {}),
    ...(v.offlineAfterMinutes ? { offlineAfterMinutes: v.offlineAfterMinutes } : {}),
    enabled: v.enabled,
    notes: v.notes?.trim() ?? '',
  };
}

/** Which parameters a kind's rules compare with: a reservoir's levels, a venue's capacity. */
const PARAMS_OF: Partial<Record<DeviceKind, readonly string[]>> = {
  water_level: ['flood_limit_m', 'warning_level_m', 'guaranteed_level_m'],
  crowd_counter: ['capacity'],
};

/**
 * Register a device (no `device`) or edit one in a drawer: name, kind (its usual metrics are filled in), the point on
 * the map, the parameters its rules compare with. A draft is kept while typing; Ctrl+Enter saves.
 */
export function DeviceFormDrawer({
  open,
  device,
  onClose,
  onCreated,
}: {
  open: boolean;
  device?: Device;
  onClose: () => void;
  /** a new device and its token, which is shown once */
  onCreated?: (created: DeviceCreated) => void;
}) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const [form] = Form.useForm<FormValues>();
  const qc = useQueryClient();
  const units = useUnits(open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const editing = !!device;
  const draft = useDraft<FormValues>(open ? (device ? `device.edit.${device.id}` : 'device.new') : null, form);
  const restore = useRef(draft.restore);
  restore.current = draft.restore;
  const base = useRef<Device | undefined>(undefined);
  const deviceRef = useRef(device);
  deviceRef.current = device;

  useEffect(() => {
    if (!open) return;
    base.current = deviceRef.current;
    form.resetFields();
    form.setFieldsValue(initialValues(deviceRef.current) as FormValues);
    restore.current();
    setError(null);
    setConflict(false);
  }, [open, form]);

  const kind = Form.useWatch('kind', form);
  const paramKeys = PARAMS_OF[kind as DeviceKind] ?? [];

  const saving = useRef(false);
  const onFinish = async (v: FormValues) => {
    if (saving.current) return;
    saving.current = true;
    setBusy(true);
    setError(null);
    try {
      const input = toDeviceInput(v);
      if (base.current) {
        // only what changed, so that the audit names the real changes
        const before = toDeviceInput(initialValues(base.current) as FormValues) as Record<string, unknown>;
        const patch: Record<string, unknown> = { version: base.current.version };
        for (const [k, val] of Object.entries(input))
          if (JSON.stringify(val) !== JSON.stringify(before[k])) patch[k] = val;
        upsertDeviceInCache(qc, await patchDevice(base.current.id, patch as DevicePatch));
      } else {
        const created = await createDevice(input);
        upsertDeviceInCache(qc, created.device);
        onCreated?.(created);
      }
      draft.clear();
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(true);
      else if (!applyServerError(form, err, KNOWN_FIELDS)) setError(errorMessage(err));
    } finally {
      saving.current = false;
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={editing ? t('form.editTitle', { name: device?.name }) : t('form.createTitle')}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <DrawerFooter
          note={t('form.enterHint')}
          busy={busy}
          submitLabel={editing ? t('common:save') : t('form.submitCreate')}
          onCancel={onClose}
          onSubmit={() => form.submit()}
          testId="device-submit"
        />
      }
      data-testid="device-form-drawer"
    >
      {conflict && (
        <ConflictAlert
          onReload={() => {
            if (device) void qc.invalidateQueries({ queryKey: deviceKeys.detail(device.id) });
            onClose();
          }}
        />
      )}
      {draft.restoredAt && (
        <Alert
          type="info"
          showIcon
          title={t('form.draftRestored', { time: formatTime(draft.restoredAt) })}
          action={
            <Button
              size="small"
              onClick={() => {
                draft.discard();
                form.resetFields();
                form.setFieldsValue(initialValues(base.current) as FormValues);
              }}
            >
              {t('form.draftDiscard')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={(changed: Partial<FormValues>) => {
          // a new kind brings its usual metrics (what the user picked by hand for the old kind is replaced)
          if (changed.kind && !editing) form.setFieldValue('metrics', [...DEVICE_KIND_INFO[changed.kind].metrics]);
          draft.onValuesChange();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.submit();
          }
        }}
        scrollToFirstError
        className="dense-form"
        data-testid="device-form"
      >
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item
              name="name"
              label={t('field.name')}
              rules={[{ required: true, whitespace: true, message: t('form.nameRequired') }, { max: 200 }]}
            >
              <Input autoFocus maxLength={200} id="device-name" placeholder={t('form.namePlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="code" label={t('field.code')} tooltip={t('form.codeHint')} rules={[{ max: 64 }]}>
              <Input maxLength={64} id="device-code" className="mono" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="kind" label={t('field.kind')} rules={[{ required: true }]}>
              <Select
                id="device-kind"
                showSearch={{ optionFilterProp: 'label' }}
                options={DEVICE_KINDS.map((k) => ({ value: k, label: kindName(k, lang) }))}
              />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="metrics" label={t('field.metrics')}>
              <Select
                id="device-metrics"
                mode="multiple"
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={METRICS.map((m) => ({ value: m, label: `${metricName(m, lang)} (${m})` }))}
                placeholder={t('form.metricsPlaceholder')}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="location"
          label={t('field.location')}
          rules={[{ required: true, message: t('form.locationRequired') }]}
        >
          <LocationInput id="device-location" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="ownerUnit" label={t('field.ownerUnit')} tooltip={t('form.ownerHint')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                loading={units.isLoading}
                options={(units.data?.items ?? []).map((u) => ({
                  value: u.code,
                  label: lang === 'en' ? u.nameEn || u.name : u.name,
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="offlineAfterMinutes"
              label={t('field.offlineAfter')}
              tooltip={t('form.offlineHint')}
              rules={[{ type: 'integer', min: 1, max: 10080 }]}
            >
              <InputNumber min={1} max={10080} precision={0} style={{ width: '100%' }} suffix={t('unit.min')} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="enabled" label={t('field.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        {(paramKeys.length > 0 || editing) && (
          <fieldset className="form-section">
            <legend>{t('field.params')}</legend>
            <Row gutter={16}>
              {(paramKeys.length ? paramKeys : DEVICE_PARAMS).map((p) => {
                const info = DEVICE_PARAM_INFO[p as keyof typeof DEVICE_PARAM_INFO];
                return (
                  <Col span={8} key={p}>
                    <Form.Item name={['params', p]} label={nameIn(info, lang)}>
                      <InputNumber style={{ width: '100%' }} suffix={info.unit || undefined} />
                    </Form.Item>
                  </Col>
                );
              })}
            </Row>
          </fieldset>
        )}
        {kind === 'camera' && (
          <Form.Item
            name="streamUrl"
            label={t('field.streamUrl')}
            rules={[{ max: 1000 }, { pattern: /^(rtsp|rtmp|https?):\/\//i, message: t('form.streamUrlFormat') }]}
          >
            <Input maxLength={1000} className="mono" placeholder="rtsp://… / https://….m3u8" />
          </Form.Item>
        )}
        <Form.Item name="notes" label={t('field.notes')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}
