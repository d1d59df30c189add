import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Space, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleRecord } from '../../api/contracts.ts';
import { patchRole, usePermissions, useRoles } from '../../api/org.ts';
import { useFeatures } from '../../app/manifest.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { permissionColumns } from './permission-columns.ts';

/** Roles × permissions as a matrix of checkboxes; each changed row is saved on its own (with its version). */
export function RolesPage() {
  const { t, i18n } = useTranslation('org');
  const en = i18n.language === 'en';
  const roles = useRoles();
  const permissions = usePermissions();
  const features = useFeatures();
  const [draft, setDraft] = useState<Record<string, string[]>>({});
  const [saving, setSaving] = useState<string | null>(null);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();

  const groups = useMemo(
    () => permissionColumns(permissions.data?.items ?? [], roles.data?.items ?? []),
    [permissions.data, roles.data],
  );
  const allPerms = groups.flatMap((g) => g.perms.map((p) => p.code));
  // a module is headed by the title of the feature of the same name, else by its code
  const moduleTitle = (module: string) => {
    const f = features.find((x) => x.name === module);
    return f ? t(`${f.name}:${f.title}`) : module;
  };

  const permsOf = (r: RoleRecord) => draft[r.code] ?? r.permissions;
  const dirty = (r: RoleRecord) => {
    const d = draft[r.code];
    return !!d && (d.length !== r.permissions.length || d.some((p) => !r.permissions.includes(p)));
  };
  const toggle = (r: RoleRecord, p: string, on: boolean) => {
    const cur = permsOf(r);
    setDraft({ ...draft, [r.code]: on ? [...cur, p] : cur.filter((x) => x !== p) });
  };
  const save = async (r: RoleRecord) => {
    setSaving(r.code);
    try {
      await patchRole(
        r.code,
        allPerms.filter((p) => permsOf(r).includes(p)),
        r.version,
      );
      const { [r.code]: _, ...rest } = draft;
      setDraft(rest);
      void message.success(t('common:saved'));
      await qc.invalidateQueries({ queryKey: ['org', 'roles'] });
    } catch (err) {
      report(err, () => {
        const { [r.code]: _, ...rest } = draft;
        setDraft(rest);
        void qc.invalidateQueries({ queryKey: ['org', 'roles'] });
      });
    } finally {
      setSaving(null);
    }
  };

  const columns: TableColumnsType<RoleRecord> = [
    {
      title: t('roles.role'),
      key: 'name',
      fixed: 'left',
      width: 170,
      render: (_, r) => (
        <div>
          <div className="cell-title">{en ? r.nameEn || r.name : r.name}</div>
          <div className="muted mono small">{r.code}</div>
        </div>
      ),
    },
    ...groups.map((g) => ({
      title: moduleTitle(g.module),
      key: `module:${g.module}`,
      // without the server's names, the code's action under its module's heading (the tooltip has the whole code)
      children: g.perms.map(({ code, info }) => ({
        title: (
          <Tooltip title={code}>
            <span className="perm-head" data-testid="permission-head" data-code={code}>
              {info ? (en ? info.nameEn || info.name : info.name) : code.replace(`${g.module}.`, '')}
            </span>
          </Tooltip>
        ),
        key: code,
        width: 84,
        align: 'center' as const,
        render: (_: unknown, r: RoleRecord) => (
          <Checkbox
            checked={permsOf(r).includes(code)}
            onChange={(e) => toggle(r, code, e.target.checked)}
            aria-label={`${r.code} ${code}`}
          />
        ),
      })),
    })),
    {
      title: t('common:actions'),
      key: 'actions',
      fixed: 'right',
      width: 120,
      render: (_, r) =>
        dirty(r) ? (
          <Space size={4}>
            <Button
              type="primary"
              size="small"
              icon={<SaveOutlined />}
              loading={saving === r.code}
              onClick={() => save(r)}
            >
              {t('common:save')}
            </Button>
            <Button
              size="small"
              icon={<UndoOutlined />}
              onClick={() => {
                const { [r.code]: _, ...rest } = draft;
                setDraft(rest);
              }}
              aria-label={t('common:undo')}
            />
          </Space>
        ) : (
          <span className="muted small">{t('roles.version', { v: r.version })}</span>
        ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.roles')}
          </Typography.Title>
          <div className="page-sub">{t('roles.subtitle')}</div>
        </div>
      </div>
      {roles.isError && <Alert type="error" showIcon title={errorMessage(roles.error)} style={{ marginBottom: 12 }} />}
      <Table<RoleRecord>
        className="dense-table"
        rowKey="code"
        size="small"
        bordered
        loading={roles.isLoading}
        columns={columns}
        dataSource={roles.data?.items ?? []}
        pagination={false}
        scroll={{ x: 170 + allPerms.length * 84 + 120 }}
        rowClassName={(r) => (dirty(r) ? 'row-dirty' : '')}
      />
    </div>
  );
}
