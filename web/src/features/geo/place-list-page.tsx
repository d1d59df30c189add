import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIST_KINDS, type ListPlace, type ListPlaceInput, type ListPlaceQuery } from '../../api/contracts.ts';
import { createPlace, deletePlace, placeKeys, updatePlace, usePlaceList } from '../../api/geo.ts';
import { useUnits } from '../../api/org.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { formatTime } from '../../i18n/index.ts';
import { type LngLatValue, LocationInput } from '../../map/location-input.tsx';
import { placeKindLabel } from '../../map/place-text.ts';

const PAGE_SIZES = [20, 50, 100];

interface FormValues {
  name: string;
  nameEn?: string;
  kind: ListPlaceInput['kind'];
  point: LngLatValue;
  approximate?: boolean;
  note?: string;
}

/** The administrators' place list: what the gazetteer finds besides the road network and the districts. */
export function PlaceListPage() {
  const { t, i18n } = useTranslation('geo');
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<ListPlaceQuery>({ limit: 20, offset: 0 });
  const [editing, setEditing] = useState<ListPlace | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const list = usePlaceList(filters);
  const units = useUnits();
  const client = useQueryClient();
  const report = useErrorReporter();
  const districts = (units.data?.items ?? []).filter((u) => u.kind === 'district');
  const districtName = (code: string | null) => {
    if (!code) return t('places.noDistrict');
    const u = districts.find((d) => d.code === code);
    return u ? (lang === 'en' ? u.nameEn : u.name) : code;
  };
  const refresh = () => client.invalidateQueries({ queryKey: placeKeys.all });
  const set = (patch: Partial<ListPlaceQuery>) => setFilters((f) => ({ ...f, ...patch, offset: 0 }));

  const columns: TableColumnsType<ListPlace> = [
    {
      title: t('places.name'),
      key: 'name',
      render: (_: unknown, p) => (
        <Space direction="vertical" size={0}>
          <span>{p.name}</span>
          {p.nameEn && <Typography.Text type="secondary">{p.nameEn}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('places.kind'), key: 'kind', width: 120, render: (_: unknown, p) => placeKindLabel(p.kind, lang) },
    {
      title: t('places.district'),
      key: 'district',
      width: 120,
      render: (_: unknown, p) => districtName(p.districtCode),
    },
    {
      title: t('places.point'),
      key: 'point',
      width: 190,
      render: (_: unknown, p) => `${p.point[0].toFixed(5)}, ${p.point[1].toFixed(5)}`,
    },
    {
      title: t('places.marks'),
      key: 'marks',
      width: 170,
      render: (_: unknown, p) => (
        <Space size={4} wrap>
          {p.demo && <Tag color="gold">{t('places.demo')}</Tag>}
          {p.approximate && <Tag>{t('places.approximate')}</Tag>}
        </Space>
      ),
    },
    { title: t('places.updatedAt'), key: 'updatedAt', width: 150, render: (_: unknown, p) => formatTime(p.updatedAt) },
    {
      title: '',
      key: 'actions',
      width: 100,
      render: (_: unknown, p) => (
        <Space size={0}>
          <Button
            type="text"
            icon={<EditOutlined />}
            aria-label={t('places.edit')}
            onClick={() => setEditing(p)}
            data-testid="place-edit"
          />
          <Popconfirm
            title={t('places.deleteConfirm', { name: p.name })}
            onConfirm={async () => {
              try {
                await deletePlace(p.id);
                await refresh();
              } catch (err) {
                report(err);
              }
            }}
          >
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('places.delete')} />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const { limit = 20, offset = 0, ...exportQuery } = filters;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.places')}
          </Typography.Title>
          <div className="page-sub">{t('places.subtitle')}</div>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isFetching}>
            {t('common:refresh')}
          </Button>
          <ExportButton
            path="/geo/place-list/export"
            query={exportQuery}
            fileName="places.xlsx"
            disabled={!list.data?.total}
            testId="export-places"
          >
            {t('places.export')}
          </ExportButton>
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import-places">
            {t('places.import')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-place">
            {t('places.new')}
          </Button>
        </Space>
      </div>
      <Space wrap className="filters">
        <Input.Search
          allowClear
          value={text}
          placeholder={t('places.search')}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => set({ q: v.trim() || undefined })}
          style={{ width: 240 }}
          data-testid="places-search"
        />
        <Select
          allowClear
          placeholder={t('places.kind')}
          style={{ width: 160 }}
          value={filters.kind}
          onChange={(v) => set({ kind: v })}
          options={LIST_KINDS.map((k) => ({ value: k, label: placeKindLabel(k, lang) }))}
        />
        <Select
          allowClear
          placeholder={t('places.district')}
          style={{ width: 160 }}
          value={filters.district}
          onChange={(v) => set({ district: v })}
          options={districts.map((d) => ({ value: d.code, label: lang === 'en' ? d.nameEn : d.name }))}
        />
        <Select
          allowClear
          placeholder={t('places.origin')}
          style={{ width: 160 }}
          value={filters.demo === undefined ? undefined : filters.demo ? 'demo' : 'real'}
          onChange={(v) => set({ demo: v === undefined ? undefined : v === 'demo' })}
          options={[
            { value: 'demo', label: t('places.demo') },
            { value: 'real', label: t('places.notDemo') },
          ]}
        />
      </Space>
      <Table<ListPlace>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={{
          current: Math.floor(offset / limit) + 1,
          pageSize: limit,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showTotal: (n) => t('common:total', { count: n }),
          onChange: (p, s) => setFilters((f) => ({ ...f, limit: s, offset: (p - 1) * s })),
        }}
        scroll={{ x: 1000 }}
      />
      <PlaceModal
        place={editing}
        onClose={() => setEditing(null)}
        onSaved={async () => {
          setEditing(null);
          await refresh();
        }}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="geo/place-list"
        title={t('places.importTitle')}
        onImported={() => void refresh()}
      />
    </div>
  );
}

function PlaceModal({
  place,
  onClose,
  onSaved,
}: {
  place: ListPlace | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation('geo');
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const existing = place && place !== 'new' ? place : null;
  return (
    <Modal
      open={!!place}
      title={existing ? t('places.edit') : t('places.new')}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      okText={t('common:save')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      afterOpenChange={(open) => {
        if (!open) return;
        setError(null);
        form.setFieldsValue(
          existing
            ? {
                name: existing.name,
                nameEn: existing.nameEn ?? undefined,
                kind: existing.kind as FormValues['kind'],
                point: existing.point,
                approximate: existing.approximate,
                note: existing.note ?? undefined,
              }
            : { name: '', kind: 'town', point: null, approximate: false },
        );
      }}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          if (!v.point) {
            setError(t('places.pointRequired'));
            return;
          }
          const input: ListPlaceInput = {
            name: v.name.trim(),
            nameEn: v.nameEn?.trim() || null,
            kind: v.kind,
            point: v.point,
            approximate: !!v.approximate,
            note: v.note?.trim() || null,
          };
          setSaving(true);
          try {
            if (existing) await updatePlace(existing.id, { ...input, version: existing.version });
            else await createPlace(input);
            onSaved();
          } catch (err) {
            setError(errorMessage(err));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="name" label={t('places.name')} rules={[{ required: true, max: 100 }]}>
          <Input maxLength={100} data-testid="place-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('places.nameEn')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="kind" label={t('places.kind')} rules={[{ required: true }]}>
          <Select options={LIST_KINDS.map((k) => ({ value: k, label: placeKindLabel(k, lang) }))} />
        </Form.Item>
        <Form.Item name="point" label={t('places.point')} required>
          <LocationInput />
        </Form.Item>
        <Form.Item name="approximate" valuePropName="checked">
          <Checkbox>{t('places.approximateHint')}</Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('places.note')} rules={[{ max: 500 }]}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Form>
    </Modal>
  );
}
