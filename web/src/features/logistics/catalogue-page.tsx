import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Col,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Segmented,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ITEM_CODE_PATTERN, type SupplyItem, type SupplyItemInput } from '../../../../contracts/logistics.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useLang } from './labels.tsx';
import { logisticsKeys, putSupplyItem, useSupplyItems } from './logistics-api.ts';
import { qty, yuan } from './logistics-text.ts';

const PAGE = 50;

/** The supply catalogue: the GB/T 38565 codes and local items under them, described with units, weights, prices. */
export function CataloguePage() {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? undefined;
  const all = params.get('all') === '1';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const list = useSupplyItems(q, !all, PAGE, (page - 1) * PAGE);
  const manage = can(user, 'supplies.manage');
  const [editing, setEditing] = useState<SupplyItem | 'new' | null>(null);

  const columns: TableColumnsType<SupplyItem> = [
    { title: t('field.itemCode'), dataIndex: 'code', width: 130 },
    {
      title: t('field.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (v: string, r) => (
        <span>
          {lang === 'en' && r.nameEn ? r.nameEn : v}
          {r.local && <Tag style={{ marginLeft: 6 }}>{t('catalogue.local')}</Tag>}
          {!r.active && <Tag style={{ marginLeft: 6 }}>{t('status.inactive')}</Tag>}
        </span>
      ),
    },
    { title: t('catalogue.standard'), dataIndex: 'standardName', ellipsis: true },
    { title: t('field.unit'), dataIndex: 'unit', width: 70 },
    {
      title: t('catalogue.weight'),
      dataIndex: 'unitWeightKg',
      width: 110,
      align: 'right',
      render: (v: number | null) => (v === null ? '—' : `${v} kg`),
    },
    {
      title: t('catalogue.volume'),
      dataIndex: 'unitVolumeM3',
      width: 110,
      align: 'right',
      render: (v: number | null) => (v === null ? '—' : `${v} m³`),
    },
    {
      title: t('catalogue.shelfLife'),
      dataIndex: 'shelfLifeDays',
      width: 130,
      align: 'right',
      render: (v: number | null) => (v === null ? t('catalogue.noExpiry') : t('catalogue.days', { n: qty(v) })),
    },
    {
      title: t('catalogue.price'),
      dataIndex: 'unitPriceYuan',
      width: 120,
      align: 'right',
      render: (v: number | null) => yuan(v, lang),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.catalogue')}
        </Typography.Title>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-item">
            {t('catalogue.new')}
          </Button>
        )}
      </div>
      <Alert type="info" showIcon title={t('catalogue.basis')} style={{ marginBottom: 12 }} />
      <div className="filter-bar">
        <SearchFilter
          value={q}
          onSearch={(v) => set({ q: v, page: undefined })}
          placeholder={t('catalogue.searchPlaceholder')}
          width={260}
          testId="item-search"
        />
        <Segmented
          value={all ? 'all' : 'described'}
          onChange={(v) => set({ all: v === 'all' ? '1' : undefined, page: undefined })}
          options={[
            { value: 'described', label: t('catalogue.described') },
            { value: 'all', label: t('catalogue.allCodes') },
          ]}
        />
      </div>
      <Table<SupplyItem>
        size="small"
        className="dense-table"
        rowKey="code"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          (manage
            ? {
                onClick: () => setEditing(r),
                onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
                  if (e.key === 'Enter' && e.target === e.currentTarget) setEditing(r);
                },
                tabIndex: 0,
                className: 'clickable-row',
              }
            : {}) as React.HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={list.isError ? errorMessage(list.error) : t('catalogue.noMatch')}
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common:total', { count: n }),
          onChange: (p) => set({ page: p > 1 ? String(p) : undefined }),
        }}
        scroll={{ x: 1000 }}
      />
      <ItemDrawer item={editing} onClose={() => setEditing(null)} />
    </div>
  );
}

function ItemDrawer({ item, onClose }: { item: SupplyItem | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation('logistics');
  const [form] = Form.useForm<SupplyItemInput & { noExpiry?: boolean }>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const existing = item && item !== 'new' ? item : null;
  const noExpiry = Form.useWatch('noExpiry', form);

  useEffect(() => {
    if (!item) return;
    form.resetFields();
    if (existing)
      form.setFieldsValue({
        code: existing.code,
        name: existing.name,
        nameEn: existing.nameEn ?? undefined,
        unit: existing.unit,
        unitWeightKg: existing.unitWeightKg ?? undefined,
        unitVolumeM3: existing.unitVolumeM3 ?? undefined,
        shelfLifeDays: existing.shelfLifeDays ?? undefined,
        noExpiry: existing.shelfLifeDays === null,
        unitPriceYuan: existing.unitPriceYuan ?? undefined,
        active: existing.active,
      });
    else form.setFieldsValue({ active: true, unit: '件' });
  }, [item, existing, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const { noExpiry: never, ...rest } = v;
    const body: SupplyItemInput = { ...rest, shelfLifeDays: never ? null : (rest.shelfLifeDays ?? null) };
    setBusy(true);
    try {
      await putSupplyItem(body);
      void qc.invalidateQueries({ queryKey: logisticsKeys.items });
      onClose();
    } catch (err) {
      if (!applyServerError(form, err)) report(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={!!item}
      onClose={onClose}
      title={existing ? t('catalogue.editTitle', { code: existing.code }) : t('catalogue.new')}
      size={520}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('catalogue.note')}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="item-save"
        />
      }
    >
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item
          name="code"
          label={t('field.itemCode')}
          extra={t('catalogue.codeHelp')}
          rules={[
            { required: true, message: t('catalogue.codeRequired') },
            { pattern: new RegExp(ITEM_CODE_PATTERN), message: t('catalogue.codeFormat') },
          ]}
        >
          <Input disabled={!!existing} placeholder="1120100-12" />
        </Form.Item>
        <Form.Item name="name" label={t('field.name')} rules={[{ max: 100 }]} extra={t('catalogue.nameHelp')}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('catalogue.nameEn')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="unit" label={t('field.unit')} rules={[{ required: true, max: 20 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="unitWeightKg" label={t('catalogue.weight')}>
              <InputNumber min={0} style={{ width: '100%' }} suffix="kg" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="unitVolumeM3" label={t('catalogue.volume')}>
              <InputNumber min={0} style={{ width: '100%' }} suffix="m³" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="shelfLifeDays" label={t('catalogue.shelfLife')}>
              <InputNumber
                min={1}
                max={36500}
                precision={0}
                style={{ width: '100%' }}
                suffix={t('unit.day')}
                disabled={noExpiry}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="noExpiry" label={t('catalogue.noExpiry')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="unitPriceYuan" label={t('catalogue.price')}>
          <InputNumber min={0} style={{ width: '100%' }} suffix={t('unit.yuan')} />
        </Form.Item>
        <Form.Item name="active" label={t('field.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
