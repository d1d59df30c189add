import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { login, logout, ME_KEY, refreshSession } from '../../api/auth.ts';
import { onSessionExpiry, sessionExpiry, setUnauthorizedHandler } from '../../api/client.ts';
import type { UserDto } from '../../api/contracts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { countdown, sessionStage } from './session-stage.ts';

/**
 * Keeps a session's end from costing the user their work (issue 9 §3). Five minutes before the session ends a
 * countdown offers to continue working (which extends it); when it has ended, or a request is refused with 401, the
 * user signs in again here, in a dialog over the page they are on: nothing on the page is lost, and the refused
 * requests are sent again once they have. "Sign in as someone else" leaves for the sign-in page at the same address
 * (forms keep their drafts for their user).
 */
export function SessionGuard({ user }: { user: UserDto }) {
  const { t } = useTranslation('auth');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [expiresAt, setExpiresAt] = useState<number | null>(sessionExpiry());
  const [now, setNow] = useState(() => Date.now());
  const [signingIn, setSigningIn] = useState(false);
  const waiting = useRef<((ok: boolean) => void)[]>([]);
  const [extending, setExtending] = useState(false);

  useEffect(() => onSessionExpiry(setExpiresAt), []);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(
      () =>
        new Promise<boolean>((resolve) => {
          waiting.current.push(resolve);
          setSigningIn(true);
        }),
    );
    return () => {
      setUnauthorizedHandler(null);
      for (const r of waiting.current.splice(0)) r(false);
    };
  }, []);

  const stage = sessionStage(expiresAt, now);
  // the end came while the user was away: ask for the password before anything is refused
  useEffect(() => {
    if (stage.kind === 'ended') setSigningIn(true);
  }, [stage.kind]);

  const settle = (ok: boolean) => {
    for (const r of waiting.current.splice(0)) r(ok);
  };

  const extend = async () => {
    setExtending(true);
    try {
      await refreshSession();
      void message.success(t('session.extended'));
    } catch (err) {
      // a 401 here means it ended meanwhile: the sign-in dialog takes over
      if (!(err as { isUnauthorized?: boolean }).isUnauthorized) void message.error(errorMessage(err));
      else setSigningIn(true);
    } finally {
      setExtending(false);
    }
  };

  const leave = async () => {
    settle(false);
    setSigningIn(false);
    await logout().catch(() => undefined);
    qc.setQueryData(ME_KEY, null);
  };

  return (
    <>
      <Modal
        open={stage.kind === 'warn' && !signingIn}
        title={t('session.warnTitle')}
        closable={false}
        mask={{ closable: false }}
        keyboard={false}
        footer={
          <Space>
            <Button onClick={leave} data-testid="session-sign-out">
              {t('logout')}
            </Button>
            <Button type="primary" autoFocus loading={extending} onClick={extend} data-testid="session-continue">
              {t('session.continue')}
            </Button>
          </Space>
        }
        data-testid="session-warning"
      >
        <p>{t('session.warnBody', { time: stage.kind === 'warn' ? countdown(stage.secondsLeft) : '0:00' })}</p>
      </Modal>
      <SignInAgain
        open={signingIn}
        user={user}
        onSignedIn={() => {
          setSigningIn(false);
          settle(true);
        }}
        onLeave={leave}
      />
    </>
  );
}

function SignInAgain({
  open,
  user,
  onSignedIn,
  onLeave,
}: {
  open: boolean;
  user: UserDto;
  onSignedIn: () => void;
  onLeave: () => void;
}) {
  const { t } = useTranslation('auth');
  const qc = useQueryClient();
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const reply = await login(user.username, password);
      qc.setQueryData(ME_KEY, {
        user: reply.user,
        csrfToken: reply.csrfToken,
        sessionExpiresAt: reply.sessionExpiresAt,
      });
      form.resetFields();
      onSignedIn();
      // the live stream was cut while signed out: what it missed is read again (the refused requests go again)
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] || q.queryKey[1] !== ME_KEY[1] });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('session.endedTitle')}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      footer={null}
      data-testid="session-sign-in"
    >
      <p className="muted">{t('session.endedBody')}</p>
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="session-sign-in-error" />
      )}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('username')}>
          <Input prefix={<UserOutlined />} value={user.username} disabled />
        </Form.Item>
        <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('passwordRequired') }]}>
          <Input.Password
            prefix={<LockOutlined />}
            autoFocus
            autoComplete="current-password"
            data-testid="session-password"
          />
        </Form.Item>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Button type="link" onClick={onLeave} style={{ paddingInline: 0 }} data-testid="session-other-user">
            {t('session.otherUser')}
          </Button>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="session-sign-in-submit">
            {t('login')}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
