import { DeleteOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Empty,
  Form,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { AREA_KIND_INFO, AREA_KINDS, type AreaKind, type ForceArea } from '../../../../contracts/forces.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { areaKeys, deleteArea, importAreas, importShapefile, useAreas } from './forces-api.ts';
import { type AreaFileResult, formatKm2, readAreaFile } from './forces-text.ts';
import { nameIn, useDistrictLabel, useLang } from './labels.tsx';

/** Import a GeoJSON FeatureCollection of polygons as areas of one kind; the file is checked before it is sent. */
function ImportModal({ open, kind, onClose }: { open: boolean; kind: AreaKind; onClose: () => void }) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [target, setTarget] = useState<AreaKind>(kind);
  const [approximate, setApproximate] = useState(false);
  const [file, setFile] = useState<{ name: string; read: AreaFileResult } | null>(null);
  // a zipped Shapefile is read by the server (its .prj reprojected there)
  const [zip, setZip] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reset = () => {
    setFile(null);
    setZip(null);
    setError(null);
    setApproximate(false);
  };
  const submit = async () => {
    if (!zip && !file?.read.ok) return;
    setBusy(true);
    setError(null);
    try {
      const reply = zip
        ? await importShapefile(target, approximate, zip)
        : file?.read.ok
          ? await importAreas({ kind: target, approximate, collection: file.read.collection })
          : { total: 0 };
      void qc.invalidateQueries({ queryKey: areaKeys.all });
      void message.success(t('areas.imported', { count: reply.total }));
      reset();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const fileProblem =
    file && !file.read.ok ? t(`areas.fileError.${file.read.reason}`, { n: (file.read.index ?? 0) + 1 }) : null;
  return (
    <Modal
      open={open}
      title={t('areas.importTitle')}
      onCancel={() => {
        reset();
        onClose();
      }}
      onOk={submit}
      okText={t('areas.importOk')}
      cancelText={t('common:cancel')}
      okButtonProps={{ disabled: !zip && !file?.read.ok, loading: busy, 'data-testid': 'areas-import-ok' }}
      destroyOnHidden
    >
      <Form layout="vertical" className="dense-form">
        <Form.Item label={t('areas.kind')}>
          <Select
            value={target}
            onChange={setTarget}
            options={AREA_KINDS.map((k) => ({ value: k, label: nameIn(AREA_KIND_INFO[k], lang) }))}
          />
        </Form.Item>
        <Form.Item label={t('areas.approximate')} tooltip={t('areas.approximateHint')}>
          <Switch checked={approximate} onChange={setApproximate} />
        </Form.Item>
        <Upload.Dragger
          accept=".geojson,.json,.zip,application/geo+json,application/json,application/zip"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(f) => {
            setError(null);
            if (/\.zip$/i.test(f.name)) {
              setFile(null);
              setZip(f);
              return false;
            }
            setZip(null);
            void f.text().then((text) => setFile({ name: f.name, read: readAreaFile(text) }));
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{zip ? zip.name : file ? file.name : t('areas.drop')}</p>
          <p className="muted small">{t('areas.dropHint')}</p>
        </Upload.Dragger>
      </Form>
      {file?.read.ok && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          title={t('areas.fileOk', { count: file.read.polygons })}
        />
      )}
      {fileProblem && <Alert type="error" showIcon style={{ marginTop: 12 }} title={fileProblem} />}
      {error && (
        <Alert type="error" showIcon style={{ marginTop: 12 }} title={error} data-testid="areas-import-error" />
      )}
    </Modal>
  );
}

/** The areas the analyses measure, by kind: built-up land, forests, chemical parks. */
export function AreasPage() {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const districtLabel = useDistrictLabel();
  const [params, setParams] = useSearchParams();
  const kind = (AREA_KINDS as readonly string[]).includes(params.get('kind') ?? '')
    ? (params.get('kind') as AreaKind)
    : 'built_up';
  const areas = useAreas(kind);
  const [importing, setImporting] = useState(false);
  const edit = can(user, 'forces.areas');
  const remove = async (a: ForceArea) => {
    try {
      await deleteArea(a.id);
      void qc.invalidateQueries({ queryKey: areaKeys.all });
    } catch (err) {
      report(err);
    }
  };
  return (
    <div className="page" data-testid="areas-page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.areas')}
          </Typography.Title>
          <div className="page-sub muted">{t('areas.sub')}</div>
        </div>
        {edit && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="areas-import">
            {t('areas.import')}
          </Button>
        )}
      </div>
      <Segmented
        value={kind}
        onChange={(k) => setParams({ kind: String(k) }, { replace: true })}
        options={AREA_KINDS.map((k) => ({
          value: k,
          label: (
            <span>
              <span className="type-dot" style={{ background: AREA_KIND_INFO[k].color }} />
              {nameIn(AREA_KIND_INFO[k], lang)}
            </span>
          ),
        }))}
        style={{ marginBottom: 12 }}
      />
      <Table<ForceArea>
        size="small"
        rowKey="id"
        className="dense-table"
        loading={areas.isPending}
        dataSource={areas.data?.items ?? []}
        pagination={false}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={areas.isError ? errorMessage(areas.error) : t('areas.empty')}
            />
          ),
        }}
        columns={[
          {
            title: t('areas.name'),
            dataIndex: 'name',
            render: (v: string, a) => (
              <Space size={4}>
                {v}
                {a.approximate && (
                  <Tag color="orange" title={t('areas.approximateHint')}>
                    {t('areas.approximate')}
                  </Tag>
                )}
                {a.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
              </Space>
            ),
          },
          { title: t('field.district'), dataIndex: 'district', width: 140, render: (d) => districtLabel(d) },
          {
            title: t('analyses.areaKm2'),
            dataIndex: 'areaKm2',
            width: 120,
            align: 'right',
            render: (v: number) => formatKm2(v),
          },
          { title: t('areas.created'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatTime(v) },
          ...(edit
            ? [
                {
                  title: t('common:actions'),
                  key: 'actions',
                  width: 80,
                  render: (_: unknown, a: ForceArea) => (
                    <Popconfirm
                      title={t('areas.deleteConfirm', { name: a.name })}
                      okText={t('areas.delete')}
                      cancelText={t('common:cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => remove(a)}
                    >
                      <Button
                        type="link"
                        danger
                        size="small"
                        icon={<DeleteOutlined />}
                        aria-label={t('areas.delete')}
                      />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ImportModal key={kind} open={importing} kind={kind} onClose={() => setImporting(false)} />
    </div>
  );
}
