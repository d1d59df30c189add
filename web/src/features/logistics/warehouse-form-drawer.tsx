import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  RESERVE_TYPE_INFO,
  RESERVE_TYPES,
  type ReserveType,
  WAREHOUSE_TIER_INFO,
  WAREHOUSE_TIERS,
  type Warehouse,
  type WarehouseInput,
  type WarehouseTier,
} from '../../../../contracts/logistics.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { LocationInput } from '../../map/location-input.tsx';
import { ItemSelect, nameIn, useLang } from './labels.tsx';
import { createWarehouse, logisticsKeys, patchWarehouse } from './logistics-api.ts';

interface Values {
  name: string;
  tier: WarehouseTier;
  reserveType: ReserveType;
  location: [number, number] | null;
  address?: string;
  capacityM3?: number | null;
  areaM2?: number | null;
  manager?: string;
  phones?: string;
  loadingMinutes?: number;
  active?: boolean;
  notes?: string;
  partner?: string;
  contact?: string;
  phone?: string;
  leadTimeHours?: number;
  validUntil?: dayjs.Dayjs | null;
  items?: { itemCode?: string; quantity?: number }[];
}

const splitPhones = (s: string | undefined) =>
  (s ?? '')
    .split(/[、;；,，\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);

/** The form's values → the API's warehouse (the agreement only for agreement and capacity reserves). */
function toInput(v: Values): WarehouseInput {
  const committed = RESERVE_TYPE_INFO[v.reserveType].committed;
  return {
    name: v.name.trim(),
    tier: v.tier,
    reserveType: v.reserveType,
    location: { type: 'Point', coordinates: v.location ?? [0, 0] },
    address: v.address ?? '',
    capacityM3: v.capacityM3 ?? null,
    areaM2: v.areaM2 ?? null,
    manager: v.manager ?? '',
    phones: splitPhones(v.phones),
    loadingMinutes: v.loadingMinutes ?? 30,
    active: v.active ?? true,
    notes: v.notes ?? '',
    agreement: committed
      ? {
          partner: (v.partner ?? '').trim(),
          contact: v.contact ?? '',
          phone: v.phone ?? '',
          leadTimeHours: v.leadTimeHours ?? 0,
          validUntil: v.validUntil ? v.validUntil.format('YYYY-MM-DD') : null,
          items: (v.items ?? [])
            .filter((x) => x.itemCode)
            .map((x) => ({ itemCode: x.itemCode as string, quantity: x.quantity ?? 1 })),
        }
      : null,
  };
}

const KNOWN = [
  'name',
  'tier',
  'reserveType',
  'location',
  'address',
  'capacityM3',
  'areaM2',
  'manager',
  'phones',
  'loadingMinutes',
  'notes',
];

/** Registers a warehouse, or edits one (`warehouse` given); agreement and capacity reserves with their agreement. */
export function WarehouseFormDrawer({
  open,
  warehouse,
  onClose,
  onSaved,
}: {
  open: boolean;
  warehouse?: Warehouse;
  onClose: () => void;
  onSaved?: (w: Warehouse) => void;
}) {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const reserveType = Form.useWatch('reserveType', form);
  const committed = reserveType ? RESERVE_TYPE_INFO[reserveType].committed : false;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (warehouse) {
      const a = warehouse.agreement;
      form.setFieldsValue({
        name: warehouse.name,
        tier: warehouse.tier,
        reserveType: warehouse.reserveType,
        location: warehouse.location.coordinates as [number, number],
        address: warehouse.address ?? undefined,
        capacityM3: warehouse.capacityM3,
        areaM2: warehouse.areaM2,
        manager: warehouse.manager ?? undefined,
        phones: warehouse.phones.join('、'),
        loadingMinutes: warehouse.loadingMinutes,
        active: warehouse.active,
        notes: warehouse.notes ?? undefined,
        partner: a?.partner,
        contact: a?.contact,
        phone: a?.phone,
        leadTimeHours: a?.leadTimeHours,
        validUntil: a?.validUntil ? dayjs(a.validUntil) : null,
        items: a?.items ?? [],
      });
    } else form.setFieldsValue({ tier: 'district', reserveType: 'government', active: true, loadingMinutes: 30 });
  }, [open, warehouse, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const body = toInput(v);
    setBusy(true);
    try {
      const saved = warehouse
        ? await patchWarehouse(warehouse.id, { ...body, version: warehouse.version })
        : await createWarehouse(body);
      void qc.invalidateQueries({ queryKey: logisticsKeys.warehouses });
      onSaved?.(saved);
      onClose();
    } catch (err) {
      if (!applyServerError(form, err, KNOWN)) report(err, { refetch: logisticsKeys.warehouses, close: onClose });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={warehouse ? t('form.editTitle', { name: warehouse.name }) : t('form.newTitle')}
      size={720}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('form.note')}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="warehouse-save"
        />
      }
    >
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="warehouse-name" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="tier" label={t('field.tier')} rules={[{ required: true }]}>
              <Select
                options={WAREHOUSE_TIERS.map((k) => ({ value: k, label: nameIn(WAREHOUSE_TIER_INFO[k], lang) }))}
              />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="reserveType" label={t('field.reserveType')} rules={[{ required: true }]}>
              <Select
                options={RESERVE_TYPES.map((k) => ({ value: k, label: nameIn(RESERVE_TYPE_INFO[k], lang) }))}
                data-testid="warehouse-reserve-type"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="location"
          label={t('field.location')}
          rules={[{ required: true, message: t('form.locationRequired') }]}
        >
          <LocationInput id="warehouse-location" />
        </Form.Item>
        <Form.Item name="address" label={t('field.address')} rules={[{ max: 300 }]}>
          <Input />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="capacityM3" label={t('field.capacityM3')}>
              <InputNumber min={0} style={{ width: '100%' }} suffix="m³" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="areaM2" label={t('field.areaM2')}>
              <InputNumber min={0} style={{ width: '100%' }} suffix="m²" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="loadingMinutes" label={t('field.loadingMinutes')} tooltip={t('form.loadingHelp')}>
              <InputNumber min={0} max={1440} precision={0} style={{ width: '100%' }} suffix={t('unit.min')} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="manager" label={t('field.manager')} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="phones" label={t('field.phones')} extra={t('form.phonesHelp')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>

        {committed && (
          <fieldset className="form-section" data-testid="agreement-section">
            <legend>{t('field.agreement')}</legend>
            <Row gutter={16}>
              <Col span={14}>
                <Form.Item
                  name="partner"
                  label={t('field.partner')}
                  rules={[{ required: true, message: t('form.partnerRequired'), max: 200 }]}
                >
                  <Input />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item
                  name="leadTimeHours"
                  label={t('field.leadTimeHours')}
                  tooltip={t('form.leadTimeHelp')}
                  rules={[{ required: true, message: t('form.leadTimeRequired') }]}
                >
                  <InputNumber min={0} max={720} style={{ width: '100%' }} suffix={t('unit.h')} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={16}>
              <Col span={8}>
                <Form.Item name="contact" label={t('field.contact')} rules={[{ max: 100 }]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="phone" label={t('field.phone')} rules={[{ max: 40 }]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="validUntil" label={t('field.validUntil')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <div className="muted small" style={{ marginBottom: 8 }}>
              {t('form.agreementItems')}
            </div>
            <Form.List name="items">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Row gutter={8} key={f.key} align="top">
                      <Col span={16}>
                        <Form.Item
                          name={[f.name, 'itemCode']}
                          rules={[{ required: true, message: t('form.itemRequired') }]}
                        >
                          <ItemSelect />
                        </Form.Item>
                      </Col>
                      <Col span={7}>
                        <Form.Item
                          name={[f.name, 'quantity']}
                          rules={[{ required: true, message: t('form.quantityRequired') }]}
                        >
                          <InputNumber
                            min={1}
                            precision={0}
                            placeholder={t('field.quantity')}
                            style={{ width: '100%' }}
                          />
                        </Form.Item>
                      </Col>
                      <Col span={1}>
                        <MinusCircleOutlined
                          className="row-remove"
                          aria-label={t('form.removeLine')}
                          onClick={() => remove(f.name)}
                        />
                      </Col>
                    </Row>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })} block>
                    {t('form.addItem')}
                  </Button>
                </>
              )}
            </Form.List>
          </fieldset>
        )}

        <Form.Item name="active" label={t('field.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="notes" label={t('field.notes')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
