import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_AVIATION_RADIUS_KM,
  SPECIALTIES,
  SPECIALTY_INFO,
  STATION_CLASS_INFO,
  STATION_CLASSES,
  TEAM_STATUS_INFO,
  TEAM_STATUSES,
  TEAM_TYPE_INFO,
  TEAM_TYPES,
  type Team,
  VEHICLE_KIND_INFO,
  VEHICLE_KINDS,
} from '../../../../contracts/forces.ts';
import { findSupplyCode, SUPPLY_CODES } from '../../../../contracts/supply-codes.ts';
import { ApiError } from '../../api/client.ts';
import { useUnits } from '../../api/org.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { ConflictAlert, DrawerFooter } from '../../components/form-drawer.tsx';
import { LocationInput } from '../../map/location-input.tsx';
import { createTeam, patchTeam, teamKeys, upsertTeamInCache } from './forces-api.ts';
import { searchSupplyCodes, type TeamFormValues, teamFormValues, teamPatch, toTeamInput } from './forces-text.ts';
import { nameIn, useLang } from './labels.tsx';

const KNOWN_FIELDS = [
  'name',
  'type',
  'location',
  'stationClass',
  'suburban',
  'specialties',
  'radiusKm',
  'ownerUnit',
  'organisation',
  'headcount',
  'capabilities',
  'equipment',
  'vehicles',
  'contacts',
  'notes',
];

const NEW_TEAM: Partial<TeamFormValues> = {
  type: 'fire_rescue',
  stationClass: 'class2',
  suburban: false,
  location: null,
  status: 'available',
  equipment: [],
  vehicles: [],
  contacts: [],
};

/** A GB/T 38565 code found by its digits or by a word of its name (`1060301` or `呼吸器`). */
function SupplyCodePicker({ value, onChange }: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation('forces');
  const [query, setQuery] = useState('');
  const options = useMemo(() => {
    const hits = searchSupplyCodes(SUPPLY_CODES, query);
    const current = value ? findSupplyCode(value) : undefined;
    if (current && !hits.some((h) => h.code === current.code)) hits.unshift(current);
    return hits.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }));
  }, [query, value]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQuery }}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('form.codePlaceholder')}
      notFoundContent={query ? t('form.codeNone') : t('form.codeType')}
      popupMatchSelectWidth={360}
      data-testid="supply-code"
    />
  );
}

/**
 * Register a team (no `team`) or edit one: the fields its type needs (a station's class, a professional team's
 * specialties, an aviation base's radius), the base on the map or typed, equipment by GB/T 38565 code, vehicles,
 * contacts. Ctrl+Enter saves.
 */
export function TeamFormDrawer({
  open,
  team,
  onClose,
  onSaved,
}: {
  open: boolean;
  team?: Team;
  onClose: () => void;
  onSaved?: (team: Team) => void;
}) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const [form] = Form.useForm<TeamFormValues>();
  const qc = useQueryClient();
  const units = useUnits(open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const teamRef = useRef(team);
  teamRef.current = team;
  const editing = !!team;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue((teamRef.current ? teamFormValues(teamRef.current) : NEW_TEAM) as TeamFormValues);
    setError(null);
    setConflict(false);
  }, [open, form]);

  const type = Form.useWatch('type', form);

  const saving = useRef(false);
  const onFinish = async (v: TeamFormValues) => {
    if (saving.current) return;
    saving.current = true;
    setBusy(true);
    setError(null);
    try {
      const input = toTeamInput(v);
      const before = teamRef.current;
      const saved = before ? await patchTeam(before.id, teamPatch(before, input)) : await createTeam(input);
      upsertTeamInCache(qc, saved);
      onClose();
      onSaved?.(saved);
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
      size={760}
      title={editing ? t('form.editTitle', { name: team?.name }) : t('form.createTitle')}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <DrawerFooter
          note={t('form.enterHint')}
          busy={busy}
          submitLabel={editing ? t('common:save') : t('form.submitCreate')}
          onCancel={onClose}
          onSubmit={() => form.submit()}
          testId="team-submit"
        />
      }
      data-testid="team-form-drawer"
    >
      {conflict && (
        <ConflictAlert
          onReload={() => {
            if (team) void qc.invalidateQueries({ queryKey: teamKeys.detail(team.id) });
            onClose();
          }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form<TeamFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.submit();
          }
        }}
        scrollToFirstError
        className="dense-form"
        data-testid="team-form"
      >
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item
              name="name"
              label={t('field.name')}
              rules={[{ required: true, whitespace: true, message: t('form.nameRequired') }, { max: 200 }]}
            >
              <Input autoFocus maxLength={200} id="team-name" placeholder={t('form.namePlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="type" label={t('field.type')} rules={[{ required: true }]}>
              <Select
                id="team-type"
                options={TEAM_TYPES.map((k) => ({ value: k, label: nameIn(TEAM_TYPE_INFO[k], lang) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        {type === 'fire_rescue' && (
          <Row gutter={16}>
            <Col span={14}>
              <Form.Item name="stationClass" label={t('field.class')} tooltip={t('form.stationClassHint')}>
                <Select
                  allowClear
                  options={STATION_CLASSES.map((c) => {
                    const info = STATION_CLASS_INFO[c];
                    const limit = info.limitKm2 === null ? t('form.noDistrict') : `≤ ${info.limitKm2} km²`;
                    return { value: c, label: `${nameIn(info, lang)} (${limit})` };
                  })}
                />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item
                name="suburban"
                label={t('field.suburban')}
                tooltip={t('form.suburbanHint')}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        )}
        {type === 'professional' && (
          <Form.Item name="specialties" label={t('field.specialties')}>
            <Select
              mode="multiple"
              allowClear
              options={SPECIALTIES.map((s) => ({ value: s, label: nameIn(SPECIALTY_INFO[s], lang) }))}
            />
          </Form.Item>
        )}
        {type === 'aviation' && (
          <Form.Item name="radiusKm" label={t('field.radiusKm')} tooltip={t('form.radiusHint')}>
            <InputNumber
              min={0}
              max={2000}
              placeholder={String(DEFAULT_AVIATION_RADIUS_KM)}
              suffix="km"
              style={{ width: 200 }}
            />
          </Form.Item>
        )}
        <Form.Item
          name="location"
          label={t('field.location')}
          rules={[{ required: true, message: t('form.locationRequired') }]}
        >
          <LocationInput id="team-location" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={9}>
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
          <Col span={9}>
            <Form.Item name="organisation" label={t('field.organisation')} tooltip={t('form.organisationHint')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="headcount" label={t('field.headcount')}>
              <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} id="team-headcount" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={editing ? 24 : 16}>
            <Form.Item name="capabilities" label={t('field.capabilities')} tooltip={t('form.capabilitiesHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} />
            </Form.Item>
          </Col>
          {!editing && (
            <Col span={8}>
              <Form.Item name="status" label={t('field.status')}>
                <Select options={TEAM_STATUSES.map((s) => ({ value: s, label: nameIn(TEAM_STATUS_INFO[s], lang) }))} />
              </Form.Item>
            </Col>
          )}
        </Row>

        <fieldset className="form-section">
          <legend>{t('field.equipment')}</legend>
          <Form.List name="equipment">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row gutter={8} key={f.key} align="top">
                    <Col span={12}>
                      <Form.Item name={[f.name, 'code']} rules={[{ required: true, message: t('form.codeRequired') }]}>
                        <SupplyCodePicker />
                      </Form.Item>
                    </Col>
                    <Col span={4}>
                      <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: t('form.quantity') }]}>
                        <InputNumber min={0} precision={0} placeholder={t('form.quantity')} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={7}>
                      <Form.Item name={[f.name, 'note']}>
                        <Input maxLength={200} placeholder={t('form.note')} />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <MinusCircleOutlined className="row-remove" onClick={() => remove(f.name)} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })} block>
                  {t('form.addEquipment')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('field.vehicles')}</legend>
          <Form.List name="vehicles">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row gutter={8} key={f.key} align="top">
                    <Col span={5}>
                      <Form.Item name={[f.name, 'kind']}>
                        <Select
                          options={VEHICLE_KINDS.map((k) => ({ value: k, label: nameIn(VEHICLE_KIND_INFO[k], lang) }))}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={7}>
                      <Form.Item
                        name={[f.name, 'model']}
                        rules={[{ required: true, message: t('form.modelRequired') }]}
                      >
                        <Input maxLength={100} placeholder={t('form.model')} />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item name={[f.name, 'registration']}>
                        <Input maxLength={50} placeholder={t('form.registration')} />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Form.Item name={[f.name, 'quantity']}>
                        <InputNumber min={1} precision={0} placeholder={t('form.quantity')} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Form.Item name={[f.name, 'radiusKm']}>
                        <InputNumber min={0} max={2000} placeholder="km" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <MinusCircleOutlined className="row-remove" onClick={() => remove(f.name)} />
                    </Col>
                  </Row>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ kind: type === 'aviation' ? 'aircraft' : 'vehicle', quantity: 1 })}
                  block
                >
                  {t('form.addVehicle')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>

        <fieldset className="form-section">
          <legend>{t('field.contacts')}</legend>
          <Form.List name="contacts">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row gutter={8} key={f.key} align="top">
                    <Col span={8}>
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: t('form.contactName') }]}>
                        <Input maxLength={100} placeholder={t('form.contactName')} />
                      </Form.Item>
                    </Col>
                    <Col span={7}>
                      <Form.Item name={[f.name, 'role']}>
                        <Input maxLength={100} placeholder={t('form.contactRole')} />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item
                        name={[f.name, 'phone']}
                        rules={[{ required: true, min: 3, message: t('form.contactPhone') }]}
                      >
                        <Input maxLength={40} placeholder={t('form.contactPhone')} />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <MinusCircleOutlined className="row-remove" onClick={() => remove(f.name)} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                  {t('form.addContact')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>

        <Form.Item name="notes" label={t('field.notes')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}
