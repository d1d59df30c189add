import { EditOutlined, KeyOutlined, PlusOutlined, StopOutlined, UnlockOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_INFO, type Role, SCOPES, type UserDto } from '../../api/contracts.ts';
import { createUser, patchUser, type UserCreate, useRoles, useUnits, useUsers } from '../../api/org.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';

export function useRoleName() {
  const { i18n } = useTranslation('org');
  const roles = useRoles();
  const en = i18n.language === 'en';
  return (code: string) => {
    const r = roles.data?.items.find((x) => x.code === code);
    if (r) return en ? r.nameEn || r.name : r.name;
    return code in ROLE_INFO ? ROLE_INFO[code as Role][en ? 'en' : 'zh'] : code;
  };
}

export function UsersPage() {
  const { t, i18n } = useTranslation('org');
  const en = i18n.language === 'en';
  const units = useUnits();
  const users = useUsers();
  const roleName = useRoleName();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<UserDto | 'new' | null>(null);
  const [resetting, setResetting] = useState<UserDto | null>(null);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { modal, message } = App.useApp();

  const rows = useMemo(() => {
    const s = q.trim().toLowerCase();
    const items = users.data?.items ?? [];
    if (!s) return items;
    return items.filter((u) =>
      [u.username, u.displayName, u.unitName, u.phone].some((v) => v?.toLowerCase().includes(s)),
    );
  }, [users.data, q]);

  const toggleDisabled = (u: UserDto) =>
    modal.confirm({
      title: u.disabled
        ? t('users.enableTitle', { name: u.displayName })
        : t('users.disableTitle', { name: u.displayName }),
      content: u.disabled ? undefined : t('users.disableBody'),
      okButtonProps: { danger: !u.disabled },
      okText: t('common:confirm'),
      cancelText: t('common:cancel'),
      onOk: async () => {
        try {
          await patchUser(u.id, { disabled: !u.disabled, version: u.version });
          void message.success(t('common:saved'));
        } catch (err) {
          report(err);
        } finally {
          await qc.invalidateQueries({ queryKey: ['org', 'users'] });
        }
      },
    });

  const columns: TableColumnsType<UserDto> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      width: 110,
      render: (v) => <span className="mono">{v}</span>,
    },
    {
      title: t('users.displayName'),
      dataIndex: 'displayName',
      width: 120,
    },
    {
      title: t('users.unit'),
      dataIndex: 'unitName',
      width: 170,
      ellipsis: true,
      render: (name: string, u) => (en ? units.data?.items.find((x) => x.code === u.unitCode)?.nameEn || name : name),
    },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      render: (roles: string[]) => (
        <Space size={[4, 4]} wrap>
          {roles.map((r) => (
            <Tag key={r} style={{ marginInlineEnd: 0 }}>
              {roleName(r)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('users.scope'), dataIndex: 'scope', width: 100, render: (s: string) => t(`scope.${s}`) },
    {
      title: t('users.phone'),
      dataIndex: 'phone',
      width: 130,
      render: (v) => <span className="mono">{v || '—'}</span>,
    },
    {
      title: t('users.state'),
      key: 'state',
      width: 110,
      render: (_, u) => {
        const locked = u.lockedUntil && new Date(u.lockedUntil) > new Date();
        return (
          <Space size={4} wrap>
            {u.disabled ? (
              <Tag color="default">{t('users.disabled')}</Tag>
            ) : (
              <Tag color="green">{t('users.active')}</Tag>
            )}
            {locked && (
              <Tag color="red" title={formatTime(u.lockedUntil)}>
                {t('users.locked')}
              </Tag>
            )}
            {u.mustChangePassword && <Tag color="orange">{t('users.mustChange')}</Tag>}
          </Space>
        );
      },
    },
    {
      title: t('common:actions'),
      key: 'actions',
      width: 310,
      fixed: 'right',
      render: (_, u) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
            {t('common:edit')}
          </Button>
          <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>
            {t('users.resetPassword')}
          </Button>
          <Button
            type="link"
            size="small"
            danger={!u.disabled}
            icon={u.disabled ? <UnlockOutlined /> : <StopOutlined />}
            onClick={() => toggleDisabled(u)}
          >
            {u.disabled ? t('users.enable') : t('users.disable')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.users')}
          </Typography.Title>
          <div className="page-sub">{t('users.subtitle')}</div>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-user">
          {t('users.new')}
        </Button>
      </div>
      <div className="filter-bar">
        <Input.Search
          allowClear
          placeholder={t('users.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 280 }}
        />
      </div>
      {users.isError && <Alert type="error" showIcon title={errorMessage(users.error)} style={{ marginBottom: 12 }} />}
      <Table<UserDto>
        className="dense-table"
        rowKey="id"
        size="small"
        loading={users.isLoading}
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 50, showTotal: (n) => t('common:total', { count: n }), hideOnSinglePage: true }}
        scroll={{ x: 1150 }}
      />
      <UserModal value={editing} onClose={() => setEditing(null)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}

/** The form's values: the create body, with the password optional when editing. */
type UserForm = Omit<UserCreate, 'password'> & { password?: string };

function UserModal({ value, onClose }: { value: UserDto | 'new' | null; onClose: () => void }) {
  const { t, i18n } = useTranslation('org');
  const en = i18n.language === 'en';
  const [form] = Form.useForm<UserForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const units = useUnits();
  const roles = useRoles();
  const roleName = useRoleName();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const isNew = value === 'new';
  const user = value && value !== 'new' ? value : null;

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      if (isNew) {
        await createUser({
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          phone: v.phone?.trim() || undefined,
          unitCode: v.unitCode,
          roles: v.roles,
          scope: v.scope,
          password: v.password ?? '',
          locale: v.locale,
        });
      } else if (user) {
        await patchUser(user.id, {
          displayName: v.displayName.trim(),
          // a masked phone (138****5678) comes back unchanged: do not send it as a new value
          ...(v.phone !== user.phone ? { phone: v.phone?.trim() ?? '' } : {}),
          unitCode: v.unitCode,
          roles: v.roles,
          scope: v.scope,
          locale: v.locale,
          version: user.version,
        });
      }
      void message.success(t('common:saved'));
      await qc.invalidateQueries({ queryKey: ['org', 'users'] });
      onClose();
    } catch (err) {
      if (
        applyServerError(form, err, [
          'username',
          'displayName',
          'phone',
          'unitCode',
          'roles',
          'scope',
          'password',
          'locale',
        ])
      )
        return;
      if ((err as { status?: number }).status === 409) report(err, { refetch: ['org', 'users'], close: onClose });
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!value}
      title={isNew ? t('users.new') : t('users.editTitle', { name: user?.displayName })}
      onOk={submit}
      onCancel={onClose}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={busy}
      destroyOnHidden
      width={560}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        className="dense-form"
        initialValues={user ? { ...user, phone: user.phone } : { scope: 'city', roles: ['viewer'], locale: 'zh-CN' }}
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[{ required: true }, { pattern: /^[a-zA-Z0-9_.-]{3,64}$/, message: t('users.usernameRule') }]}
        >
          <Input disabled={!isNew} autoFocus={isNew} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} autoFocus={!isNew} />
        </Form.Item>
        <Form.Item name="phone" label={t('users.phone')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="unitCode" label={t('users.unit')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={units.isLoading}
            options={(units.data?.items ?? []).map((u) => ({
              value: u.code,
              label: `${en ? u.nameEn || u.name : u.name} (${u.code})`,
            }))}
          />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select
            mode="multiple"
            loading={roles.isLoading}
            options={(roles.data?.items ?? []).map((r) => ({ value: r.code, label: roleName(r.code) }))}
          />
        </Form.Item>
        <Form.Item name="scope" label={t('users.scope')} rules={[{ required: true }]}>
          <Select options={SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))} />
        </Form.Item>
        <Form.Item name="locale" label={t('users.locale')}>
          <Select
            options={[
              { value: 'zh-CN', label: '中文' },
              { value: 'en', label: 'English' },
            ]}
          />
        </Form.Item>
        {isNew && (
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={t('users.initialPasswordHint')}
            rules={[{ required: true }, { min: 8, message: t('auth:passwordMin') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: UserDto | null; onClose: () => void }) {
  const { t } = useTranslation('org');
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const submit = async () => {
    if (!user) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      await patchUser(user.id, { password: v.password, version: user.version });
      void message.success(t('users.passwordReset'));
      await qc.invalidateQueries({ queryKey: ['org', 'users'] });
      onClose();
    } catch (err) {
      if (!applyServerError(form, err, ['password']))
        report(err, () => qc.invalidateQueries({ queryKey: ['org', 'users'] }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!user}
      title={t('users.resetTitle', { name: user?.displayName })}
      onOk={submit}
      onCancel={onClose}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <p className="muted">{t('users.resetHint')}</p>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="password"
          label={t('auth:newPassword')}
          rules={[{ required: true }, { min: 8, message: t('auth:passwordMin') }]}
        >
          <Input.Password autoFocus autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
