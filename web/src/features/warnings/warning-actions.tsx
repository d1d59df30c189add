import { AlertOutlined, BgColorsOutlined, CheckOutlined, GlobalOutlined, StopOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Radio, Space, Tooltip } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { COLOUR_INFO, type Colour } from '../../../../contracts/monitoring.ts';
import type { Warning } from '../../../../contracts/warnings.ts';
import { hazardName } from '../../../../contracts/warnings.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { otherColours } from './board.ts';
import { colourLabel, useLang } from './labels.tsx';
import {
  acknowledgeWarning,
  changeColour,
  liftWarning,
  promoteWarning,
  publishWarning,
  upsertWarningInCache,
  warningKeys,
} from './warnings-api.ts';

type Dialog = { kind: 'lift' | 'colour' | 'publish'; warning: Warning } | null;

/** What the user may do with a warning, by permission and state. */
export function allowedActions(w: Warning, perms: { manage: boolean; publish: boolean }) {
  const active = w.status !== 'lifted';
  return {
    acknowledge: perms.manage && w.status === 'raised',
    lift: perms.manage && active,
    colour: perms.manage && active,
    promote: perms.manage && !w.incidentId,
    // a drill's (演练) warning is never published: the server refuses it too
    publish: perms.publish && active && !w.publishedAt && w.source !== 'cap' && !w.exercise,
  };
}

/**
 * The actions on a warning (acknowledge, lift with a reason, change colour with a reason, promote to an incident,
 * approve for the public as CAP) and the dialogs they open: `buttons(w)` small on a card, `buttons(w, 'middle')` in
 * the drawer; `dialogs` is rendered once by the page.
 */
export function useWarningActions() {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const qc = useQueryClient();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const report = useErrorReporter();
  const { message, modal } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const perms = { manage: can(user, 'warnings.manage'), publish: can(user, 'warnings.publish') };
  const reload = (w: Warning) => ({ refetch: warningKeys.detail(w.id) });
  const hazard = (w: Warning) => hazardName(w.hazardCode, lang);

  const acknowledge = async (w: Warning) => {
    try {
      upsertWarningInCache(qc, await acknowledgeWarning(w));
      void message.success(t('action.acknowledged'));
    } catch (err) {
      report(err, reload(w));
    }
  };

  const promote = (w: Warning) =>
    modal.confirm({
      title: t('action.promoteTitle'),
      content: t('action.promoteBody', { hazard: hazard(w), colour: colourLabel(w.colour, lang) }),
      okText: t('action.promote'),
      cancelText: t('common:cancel'),
      onOk: async () => {
        try {
          const r = await promoteWarning(w);
          void qc.invalidateQueries({ queryKey: warningKeys.detail(w.id) });
          void qc.invalidateQueries({ queryKey: warningKeys.lists });
          navigate(`/incidents/${r.incidentId}`);
        } catch (err) {
          report(err, reload(w));
        }
      },
    });

  const buttons = (w: Warning, size: 'small' | 'middle' = 'small') => {
    const a = allowedActions(w, perms);
    const stop = (fn: () => void) => (e: React.MouseEvent) => {
      // a card opens its detail on a click: a button does only its own thing
      e.stopPropagation();
      fn();
    };
    const items: ReactNode[] = [];
    if (a.acknowledge)
      items.push(
        <Button
          key="ack"
          size={size}
          type="primary"
          icon={<CheckOutlined />}
          onClick={stop(() => void acknowledge(w))}
          data-testid="warning-ack"
        >
          {t('action.acknowledge')}
        </Button>,
      );
    if (a.lift)
      items.push(
        <Button
          key="lift"
          size={size}
          icon={<StopOutlined />}
          onClick={stop(() => setDialog({ kind: 'lift', warning: w }))}
          data-testid="warning-lift"
        >
          {t('action.lift')}
        </Button>,
      );
    if (a.colour)
      items.push(
        <Tooltip key="colour" title={t('action.colour')}>
          <Button
            size={size}
            icon={<BgColorsOutlined />}
            onClick={stop(() => setDialog({ kind: 'colour', warning: w }))}
            aria-label={t('action.colour')}
            data-testid="warning-colour"
          >
            {size === 'middle' ? t('action.colour') : null}
          </Button>
        </Tooltip>,
      );
    if (a.promote)
      items.push(
        <Tooltip key="promote" title={t('action.promote')}>
          <Button
            size={size}
            icon={<AlertOutlined />}
            onClick={stop(() => promote(w))}
            aria-label={t('action.promote')}
            data-testid="warning-promote"
          >
            {size === 'middle' ? t('action.promote') : null}
          </Button>
        </Tooltip>,
      );
    if (a.publish)
      items.push(
        <Tooltip key="publish" title={t('action.publishHint')}>
          <Button
            size={size}
            icon={<GlobalOutlined />}
            onClick={stop(() => setDialog({ kind: 'publish', warning: w }))}
            data-testid="warning-publish"
          >
            {t('action.publish')}
          </Button>
        </Tooltip>,
      );
    if (!items.length) return null;
    return (
      <Space size={6} wrap>
        {items}
      </Space>
    );
  };

  const dialogs = <ActionDialogs dialog={dialog} onClose={() => setDialog(null)} />;
  return { buttons, dialogs, acknowledge, promote };
}

function ActionDialogs({ dialog, onClose }: { dialog: Dialog; onClose: () => void }) {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const w = dialog?.warning;

  useEffect(() => {
    if (!dialog) return;
    form.resetFields();
    setError(null);
    if (dialog.kind === 'colour') form.setFieldsValue({ colour: otherColours(dialog.warning.colour)[0] });
    if (dialog.kind === 'publish')
      form.setFieldsValue({
        headline: dialog.warning.title,
        headlineEn: dialog.warning.titleEn,
        description: dialog.warning.description,
      });
  }, [dialog, form]);

  const submit = async () => {
    if (!dialog || !w) return;
    let values: Record<string, string>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      let saved: Warning;
      if (dialog.kind === 'lift') saved = await liftWarning(w, values.reason.trim());
      else if (dialog.kind === 'colour') saved = await changeColour(w, values.colour as Colour, values.reason.trim());
      else {
        const body: Record<string, string> = {};
        for (const [k, v] of Object.entries(values)) if (typeof v === 'string' && v.trim()) body[k] = v.trim();
        saved = await publishWarning(w, body);
      }
      upsertWarningInCache(qc, saved);
      void message.success(t(`action.done.${dialog.kind}`));
      onClose();
    } catch (err) {
      if (!applyServerError(form, err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const title = !dialog
    ? ''
    : dialog.kind === 'lift'
      ? t('action.liftTitle')
      : dialog.kind === 'colour'
        ? t('action.colourTitle')
        : t('action.publishTitle');
  return (
    <Modal
      open={!!dialog}
      title={title}
      onCancel={onClose}
      onOk={submit}
      okText={dialog?.kind === 'publish' ? t('action.publishOk') : t('common:confirm')}
      okButtonProps={{ loading: busy, danger: dialog?.kind === 'publish', 'data-testid': 'action-ok' } as never}
      cancelText={t('common:cancel')}
      width={dialog?.kind === 'publish' ? 720 : 480}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {w && (
        <div className="action-subject">
          {hazardName(w.hazardCode, lang)} · {colourLabel(w.colour, lang, true)} · {w.deviceName ?? w.title}
        </div>
      )}
      {dialog?.kind === 'publish' && (
        <Alert type="warning" showIcon title={t('action.publishWarn')} style={{ marginBottom: 12 }} />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="action-error" />}
      <Form form={form} layout="vertical" className="dense-form">
        {dialog?.kind === 'colour' && (
          <Form.Item name="colour" label={t('action.newColour')} rules={[{ required: true }]}>
            <Radio.Group>
              {otherColours(dialog.warning.colour).map((c) => (
                <Radio.Button key={c} value={c}>
                  <span className="colour-swatch" style={{ background: COLOUR_INFO[c].color }} />
                  {colourLabel(c, lang)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
        )}
        {(dialog?.kind === 'lift' || dialog?.kind === 'colour') && (
          <Form.Item
            name="reason"
            label={t('action.reason')}
            rules={[{ required: true, whitespace: true, message: t('action.reasonRequired') }, { max: 1000 }]}
          >
            <Input.TextArea autoFocus autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} />
          </Form.Item>
        )}
        {dialog?.kind === 'publish' && (
          <>
            <Form.Item name="headline" label={t('publish.headline')} rules={[{ max: 300 }]}>
              <Input maxLength={300} />
            </Form.Item>
            <Form.Item name="headlineEn" label={t('publish.headlineEn')} rules={[{ max: 300 }]}>
              <Input maxLength={300} />
            </Form.Item>
            <Form.Item name="description" label={t('publish.description')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={10000} />
            </Form.Item>
            <Form.Item name="descriptionEn" label={t('publish.descriptionEn')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={10000} />
            </Form.Item>
            <Form.Item name="instruction" label={t('publish.instruction')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={5000} />
            </Form.Item>
            <Form.Item name="instructionEn" label={t('publish.instructionEn')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={5000} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
