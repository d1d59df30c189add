import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, DatePicker, Drawer, Form, Input, InputNumber, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import type { Incident, IncidentInput, IncidentPatch, LocationEntered } from '../../api/contracts.ts';
import { createIncident, incidentKeys, patchIncident, upsertIncidentInCache } from '../../api/incidents.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { ConflictAlert, DrawerFooter } from '../../components/form-drawer.tsx';
import { useDraft } from '../../components/use-draft.ts';
import { formatTime, fromShanghaiWall, toShanghaiWall } from '../../i18n/index.ts';
import { type LngLatValue, LocationInput } from '../../map/location-input.tsx';
import { rememberType } from './event-type-ranking.ts';
import { EventTypeSelect } from './event-type-select.tsx';

const CASUALTY_KEYS = ['deaths', 'missing', 'seriouslyInjured', 'injured', 'affected', 'relocated'] as const;

const KNOWN_FIELDS = [
  'title',
  'typeCode',
  'occurredAt',
  'location',
  'address',
  'description',
  'reporter.name',
  'reporter.unit',
  'reporter.phone',
  ...CASUALTY_KEYS.map((k) => `casualties.${k}`),
  'directLossWan',
];

interface FormValues {
  title: string;
  typeCode: string;
  occurredAt: Dayjs;
  location: LngLatValue;
  /** the point as entered in a datum other than WGS-84 (recorded with the report) */
  locationEntered?: LocationEntered | null;
  address?: string;
  description?: string;
  reporter?: { name?: string; unit?: string; phone?: string };
  casualties: Record<(typeof CASUALTY_KEYS)[number], number | null>;
  directLossWan?: number | null;
}

function initialValues(incident?: Incident): Partial<FormValues> {
  if (!incident) {
    return {
      occurredAt: toShanghaiWall(dayjs().toISOString()) ?? dayjs(),
      location: null,
      casualties: { deaths: 0, missing: 0, seriouslyInjured: 0, injured: 0, affected: 0, relocated: 0 },
      directLossWan: 0,
    };
  }
  return {
    title: incident.title,
    typeCode: incident.typeCode,
    occurredAt: toShanghaiWall(incident.occurredAt) ?? undefined,
    location: incident.location ? [incident.location.coordinates[0], incident.location.coordinates[1]] : null,
    locationEntered: incident.locationEntered,
    address: incident.address,
    description: incident.description,
    reporter: { ...incident.reporter },
    casualties: { ...incident.casualties },
    directLossWan: incident.directLossWan,
  };
}

function toInput(v: FormValues): IncidentInput {
  const casualties: Record<string, number> = {};
  for (const k of CASUALTY_KEYS) casualties[k] = Number(v.casualties?.[k] ?? 0) || 0;
  const reporter = {
    name: v.reporter?.name?.trim() || undefined,
    unit: v.reporter?.unit?.trim() || undefined,
    phone: v.reporter?.phone?.trim() || undefined,
  };
  return {
    title: v.title.trim(),
    typeCode: v.typeCode,
    occurredAt: fromShanghaiWall(v.occurredAt),
    location: v.location ? { type: 'Point', coordinates: [v.location[0], v.location[1]] } : null,
    ...(v.location && v.locationEntered ? { locationEntered: v.locationEntered } : {}),
    address: v.address?.trim() ?? '',
    description: v.description?.trim() ?? '',
    reporter,
    casualties,
    directLossWan: Number(v.directLossWan ?? 0) || 0,
  };
}

/** A form value without a control of its own (set by another field's control). */
function NoInput(_: { value?: unknown }) {
  return null;
}

/** The form's values as a draft keeps them (JSON: the time as an ISO string) and back. */
const draftOpts = {
  toStored: (v: FormValues) => ({ ...v, occurredAt: v.occurredAt?.toISOString?.() ?? null }),
  fromStored: (s: Record<string, unknown>): Partial<FormValues> => {
    const { occurredAt, ...rest } = s as Partial<FormValues> & { occurredAt?: string | null };
    const at = occurredAt ? dayjs(occurredAt) : undefined;
    return { ...rest, ...(at?.isValid() ? { occurredAt: at } : {}) };
  },
};

/**
 * Create (no `incident`) or edit an incident in a drawer. What is typed is kept as a local draft until it is saved
 * (an ended session, a reload or a closed tab loses nothing); Ctrl+Enter saves from any field.
 */
export function IncidentFormDrawer({
  open,
  incident,
  onClose,
  onSaved,
}: {
  open: boolean;
  incident?: Incident;
  onClose: () => void;
  onSaved?: (i: Incident) => void;
}) {
  const { t } = useTranslation('incidents');
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const editing = !!incident;
  const userId = useMe().data?.user.id ?? '';
  const draft = useDraft<FormValues>(
    open ? (incident ? `incident.edit.${incident.id}` : 'incident.new') : null,
    form,
    draftOpts,
  );
  const restoreDraft = useRef(draft.restore);
  restoreDraft.current = draft.restore;

  // The record as it was when the drawer opened: live updates must not reset what the user is typing,
  // and the PATCH carries the version the user started from (a newer one on the server → 409).
  const [base, setBase] = useState<Incident | undefined>(undefined);
  const incidentRef = useRef(incident);
  incidentRef.current = incident;
  useEffect(() => {
    if (!open) return;
    const snapshot = incidentRef.current;
    setBase(snapshot);
    form.resetFields();
    form.setFieldsValue(initialValues(snapshot) as FormValues);
    restoreDraft.current();
    setError(null);
    setConflict(false);
  }, [open, form]);

  const discardDraft = () => {
    draft.discard();
    form.resetFields();
    form.setFieldsValue(initialValues(base) as FormValues);
  };
  const changedMeanwhile = !!(editing && base && incident && incident.version > base.version);

  // Enter, Ctrl+Enter and the button may all ask at once: one save at a time
  const saving = useRef(false);
  const onFinish = async (v: FormValues) => {
    if (saving.current) return;
    saving.current = true;
    setBusy(true);
    setError(null);
    setConflict(false);
    try {
      const input = toInput(v);
      let saved: Incident;
      if (base) {
        // send only what the user changed, so the log and audit name the real changes
        const before = toInput(initialValues(base) as FormValues) as Record<string, unknown>;
        const patch: Record<string, unknown> = { version: base.version };
        for (const [k, val] of Object.entries(input))
          if (JSON.stringify(val) !== JSON.stringify(before[k])) patch[k] = val;
        saved = await patchIncident(base.id, patch as IncidentPatch);
      } else saved = await createIncident(input);
      upsertIncidentInCache(qc, saved);
      draft.clear();
      rememberType(globalThis.localStorage, userId, saved.typeCode);
      void message.success(editing ? t('form.updated') : t('form.created', { number: saved.number }));
      onSaved?.(saved);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(true);
      else if (!applyServerError(form, err, KNOWN_FIELDS)) setError(errorMessage(err));
    } finally {
      saving.current = false;
      setBusy(false);
    }
  };

  const reload = async () => {
    if (!base) return;
    await qc.invalidateQueries({ queryKey: incidentKeys.detail(base.id) });
    onClose();
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={editing ? t('form.editTitle', { number: base?.number ?? incident?.number }) : t('form.createTitle')}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <DrawerFooter
          note={t('form.enterHint')}
          busy={busy}
          submitLabel={editing ? t('common:save') : t('form.submitCreate')}
          onCancel={onClose}
          onSubmit={() => form.submit()}
          testId="incident-submit"
        />
      }
      data-testid="incident-form-drawer"
    >
      {changedMeanwhile && !conflict && (
        <Alert
          type="info"
          showIcon
          title={t('common:conflict.meanwhile')}
          style={{ marginBottom: 16 }}
          data-testid="changed-meanwhile"
        />
      )}
      {conflict && <ConflictAlert onReload={reload} />}
      {draft.restoredAt && (
        <Alert
          type="info"
          showIcon
          title={t('form.draftRestored', { time: formatTime(draft.restoredAt) })}
          action={
            <Button size="small" onClick={discardDraft} data-testid="draft-discard">
              {t('form.draftDiscard')}
            </Button>
          }
          style={{ marginBottom: 16 }}
          data-testid="draft-restored"
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={draft.onValuesChange}
        onKeyDown={(e) => {
          // Ctrl+Enter (⌘+Enter) saves from any field, the description's text area included
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.submit();
          } else if (e.key === 'Enter' && (e.target as HTMLElement).closest('.ant-picker')) {
            // Enter in the time field confirms the time it has typed, it does not send the half-written report
            e.preventDefault();
          }
        }}
        scrollToFirstError
        className="dense-form"
        data-testid="incident-form"
      >
        <Form.Item
          name="title"
          label={t('field.title')}
          rules={[{ required: true, whitespace: true, message: t('form.titleRequired') }, { max: 200 }]}
        >
          <Input autoFocus maxLength={200} placeholder={t('form.titlePlaceholder')} id="incident-title" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item
              name="typeCode"
              label={t('field.type')}
              rules={[{ required: true, message: t('form.typeRequired') }]}
            >
              <EventTypeSelect id="incident-type" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item
              name="occurredAt"
              label={t('field.occurredAt')}
              rules={[{ required: true, message: t('form.occurredRequired') }]}
              tooltip={t('form.tzHint')}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
                id="incident-occurred"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="location" label={t('field.location')}>
          <LocationInput
            // a place found by name is the address too, unless one is typed already
            onPlace={(hit) => {
              if (!form.getFieldValue('address')?.trim()) form.setFieldValue('address', hit.name);
              form.setFieldValue('locationEntered', null);
            }}
            onEntered={(e) => form.setFieldValue('locationEntered', e)}
          />
        </Form.Item>
        <Form.Item name="locationEntered" hidden>
          <NoInput />
        </Form.Item>
        <Form.Item name="address" label={t('field.address')} rules={[{ max: 500 }]}>
          <Input maxLength={500} id="incident-address" />
        </Form.Item>
        <Form.Item name="description" label={t('field.description')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10000} />
        </Form.Item>
        <fieldset className="form-section">
          <legend>{t('field.reporter')}</legend>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name={['reporter', 'name']} label={t('field.reporterName')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name={['reporter', 'unit']} label={t('field.reporterUnit')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name={['reporter', 'phone']} label={t('field.reporterPhone')}>
                <Input maxLength={40} inputMode="tel" />
              </Form.Item>
            </Col>
          </Row>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('field.casualties')}</legend>
          <Row gutter={16}>
            {CASUALTY_KEYS.map((k) => (
              <Col span={8} key={k}>
                <Form.Item
                  name={['casualties', k]}
                  label={t(`casualty.${k}`)}
                  rules={[{ type: 'integer', min: 0, message: t('form.nonNegativeInt') }]}
                >
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} suffix={t('casualty.unit')} />
                </Form.Item>
              </Col>
            ))}
            <Col span={8}>
              <Form.Item
                name="directLossWan"
                label={t('field.directLossWan')}
                rules={[{ type: 'number', min: 0, message: t('form.nonNegative') }]}
              >
                <InputNumber min={0} style={{ width: '100%' }} suffix={t('form.wan')} />
              </Form.Item>
            </Col>
          </Row>
        </fieldset>
        {/* Enter in a field submits the form */}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}
