import { DeleteOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  Empty,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  CENSUS_DATUMS,
  CENSUS_KIND_INFO,
  CENSUS_KINDS,
  CENSUS_ROLE_INFO,
  type CensusKind,
  type CensusLayer,
} from '../../../../contracts/risks.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import type { ImportReport } from '../../api/imports.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { formatTime } from '../../i18n/index.ts';
import { KindLabel, nameIn, useLang } from './labels.tsx';
import { deleteCensusLayer, useCensusLayers } from './risks-api.ts';

const FILTER_KEYS = ['q', 'kind'] as const;
const ACCEPT = '.geojson,.json,.zip,.kml,.csv,.txt,.xlsx';
const DATUM_SHORT: Record<CensusLayer['datum'], string> = { wgs84: 'WGS-84', cgcs2000: 'CGCS2000', gcj02: 'GCJ-02' };

/** The layer's kind, name and source, asked above the file; `extra` is null until kind and name are given. */
function useLayerFields() {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const [kind, setKind] = useState<CensusKind | undefined>();
  const [name, setName] = useState('');
  const [source, setSource] = useState('');
  const reset = () => {
    setKind(undefined);
    setName('');
    setSource('');
  };
  const info = kind ? CENSUS_KIND_INFO[kind] : null;
  const fields = (
    <Form layout="vertical" className="dense-form" data-testid="census-import-fields">
      <Row gutter={12}>
        <Col span={10}>
          <Form.Item
            label={t('census.kind')}
            required
            extra={
              info
                ? t('census.geometries', {
                    list: info.geometries.map((g) => t(`census.geometry.${g}`)).join(lang === 'en' ? ', ' : '、'),
                  })
                : undefined
            }
          >
            <Select
              value={kind}
              onChange={(k: CensusKind) => {
                setKind(k);
                // the kind's name stands for the layer until one is typed
                if (!name.trim()) setName(nameIn(CENSUS_KIND_INFO[k], lang));
              }}
              placeholder={t('census.kindRequired')}
              options={Object.entries(CENSUS_ROLE_INFO).map(([role, r]) => ({
                label: nameIn(r, lang),
                title: nameIn(r, lang),
                options: CENSUS_KINDS.filter((k) => CENSUS_KIND_INFO[k].role === role).map((k) => ({
                  value: k,
                  label: <KindLabel kind={k} />,
                })),
              }))}
              data-testid="census-kind"
            />
          </Form.Item>
        </Col>
        <Col span={14}>
          <Form.Item label={t('census.name')} required>
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={200}
              placeholder={t('census.nameRequired')}
              data-testid="census-name"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('census.source')}>
        <Input
          value={source}
          onChange={(e) => setSource(e.target.value)}
          maxLength={200}
          placeholder={t('census.sourcePlaceholder')}
        />
      </Form.Item>
    </Form>
  );
  const extra =
    kind && name.trim() ? { kind, name: name.trim(), ...(source.trim() ? { source: source.trim() } : {}) } : null;
  return { fields, extra, reset };
}

/** The census layers: list, import (kind, name, datum, a dry run with every bad row, then the commit), delete. */
export function CensusPage() {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const manage = can(user, 'risks.manage');
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const list = useCensusLayers(filters, size, offset);
  const [importing, setImporting] = useState(false);
  const layerFields = useLayerFields();

  const remove = async (l: CensusLayer) => {
    try {
      await deleteCensusLayer(l.id);
      void message.success(t('census.deleted'));
      void qc.invalidateQueries({ queryKey: ['census'] });
      void qc.invalidateQueries({ queryKey: ['risks'] });
    } catch (err) {
      report(err);
    }
  };

  return (
    <div className="page" data-testid="census-page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('census.title')}
          </Typography.Title>
          <div className="page-sub muted">{t('census.sub')}</div>
        </div>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isFetching}>
            {t('common:refresh')}
          </Button>
          {manage && (
            <Button
              type="primary"
              icon={<UploadOutlined />}
              onClick={() => setImporting(true)}
              data-testid="census-import"
            >
              {t('census.import')}
            </Button>
          )}
        </Space>
      </div>
      <div className="filter-bar">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('census.searchPlaceholder')}
          width={220}
          testId="census-search"
        />
        <Select
          allowClear
          placeholder={t('census.kindFilter')}
          value={filters.kind}
          onChange={(v) => update({ kind: v })}
          options={CENSUS_KINDS.map((k) => ({ value: k, label: nameIn(CENSUS_KIND_INFO[k], lang) }))}
          style={{ width: 180 }}
          data-testid="census-kind-filter"
        />
        {hasAny && (
          <Button type="link" onClick={() => update({ q: undefined, kind: undefined })}>
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<CensusLayer>
        className="dense-table"
        rowKey="id"
        size="small"
        loading={list.isFetching && !list.data}
        dataSource={list.data?.items ?? []}
        pagination={pagination(list.data?.total ?? 0, t)}
        scroll={{ x: 1200 }}
        onRow={() => ({ 'data-testid': 'census-row' }) as React.HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: list.isError ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorMessage(list.error)} />
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={hasAny ? t('census.emptyFiltered') : t('census.empty')}
            >
              {!hasAny && manage && (
                <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  {t('census.import')}
                </Button>
              )}
            </Empty>
          ),
        }}
        columns={[
          {
            title: t('field.name'),
            dataIndex: 'name',
            ellipsis: true,
            width: 260,
            render: (v: string, r) => (
              <span className="cell-title">
                {v}
                {r.demo && <Tag style={{ marginLeft: 8 }}>{t('common:demoShort')}</Tag>}
              </span>
            ),
          },
          { title: t('field.kind'), dataIndex: 'kind', width: 170, render: (k: CensusKind) => <KindLabel kind={k} /> },
          {
            title: t('field.role'),
            dataIndex: 'role',
            width: 110,
            render: (r: CensusLayer['role']) => nameIn(CENSUS_ROLE_INFO[r], lang),
          },
          { title: t('field.features'), dataIndex: 'featureCount', width: 80, align: 'right' },
          {
            title: t('field.datum'),
            dataIndex: 'datum',
            width: 100,
            render: (d: CensusLayer['datum']) => <span className="mono">{DATUM_SHORT[d]}</span>,
          },
          {
            title: t('field.file'),
            dataIndex: 'fileName',
            width: 170,
            ellipsis: true,
            render: (v: string | null, r) => (
              <span title={r.source ?? undefined}>
                <Tag>{r.format}</Tag>
                {v}
              </span>
            ),
          },
          {
            title: t('field.importedAt'),
            dataIndex: 'importedAt',
            width: 140,
            render: (v: string) => formatTime(v),
          },
          {
            title: t('field.importedBy'),
            dataIndex: 'importedBy',
            width: 100,
            render: (v: string | null) => v ?? '—',
          },
          ...(manage
            ? [
                {
                  title: t('common:actions'),
                  key: 'actions',
                  width: 90,
                  fixed: 'right' as const,
                  render: (_: unknown, r: CensusLayer) => (
                    <Popconfirm
                      title={t('census.deleteConfirm', { name: r.name, count: r.featureCount })}
                      description={t('census.deleteHint')}
                      okButtonProps={{ danger: true }}
                      okText={t('census.delete')}
                      cancelText={t('common:cancel')}
                      onConfirm={() => remove(r)}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />} data-testid="census-delete">
                        {t('census.delete')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ImportDialog
        open={importing}
        onClose={() => {
          setImporting(false);
          layerFields.reset();
        }}
        registry="census-layers"
        title={t('census.importTitle')}
        upload={{
          path: '/census/layers/import',
          extra: layerFields.extra,
          datums: CENSUS_DATUMS,
          accept: ACCEPT,
          formats: t('census.formats'),
          template: false,
          fields: layerFields.fields,
          note: (r: ImportReport) => {
            const note = (r as ImportReport & { datumNote?: string }).datumNote;
            return <Alert type="info" showIcon title={note || t('census.datumNote')} />;
          },
        }}
        onImported={() => {
          void qc.invalidateQueries({ queryKey: ['census'] });
          void qc.invalidateQueries({ queryKey: ['risks'] });
        }}
      />
      {/* the one-map is a click away once layers are in */}
      {list.data && list.data.total > 0 && (
        <div className="muted small" style={{ marginTop: 8 }}>
          <Button type="link" size="small" onClick={() => navigate('/risks/map')} style={{ padding: 0 }}>
            {t('nav.oneMap')} →
          </Button>
        </div>
      )}
    </div>
  );
}
