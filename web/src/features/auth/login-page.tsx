import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { login, ME_KEY, useSystemInfo } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import { ThemeSwitch } from '../../components/theme-switch.tsx';

export function LoginPage() {
  const { t } = useTranslation('auth');
  const qc = useQueryClient();
  const info = useSystemInfo();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const reply = await login(v.username.trim(), v.password);
      qc.setQueryData(ME_KEY, { user: reply.user, csrfToken: reply.csrfToken });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-lang">
        <ThemeSwitch dark />
        <LanguageSwitch />
      </div>
      <div className="login-panel">
        <div className="login-brand">
          <div className="login-logo">安澜</div>
          <h1 className="login-title">{t('common:app.title')}</h1>
          <div className="login-subtitle">{t('subtitle')}</div>
        </div>
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large" data-testid="login-form">
          {error && (
            <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
          )}
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoFocus autoComplete="username" id="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login')}
          </Button>
        </Form>
        {info.data?.demo && <div className="login-demo">{t('demoNotice')}</div>}
      </div>
      <div className="login-footer">{t('footer')}</div>
    </div>
  );
}
