import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, MemberInput } from '../../../../contracts/forces.ts';
import { ApiError } from '../../api/client.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { addMember, patchMember, teamKeys } from './forces-api.ts';
import { toMemberInput, trainingHours } from './forces-text.ts';

const STATE_COLOR = { valid: 'green', expiring: 'orange', expired: 'red' } as const;

/** A certificate with its state (valid / expiring within 30 days / expired) and its expiry in the tooltip. */
export function CertificateTag({ cert }: { cert: Member['certificates'][number] }) {
  const { t } = useTranslation('forces');
  return (
    <Tooltip
      title={`${cert.number ? `${cert.number} · ` : ''}${
        cert.expiresOn ? t('members.expiresOn', { date: cert.expiresOn }) : t('members.noExpiry')
      }`}
    >
      <Tag color={STATE_COLOR[cert.state]} data-state={cert.state} style={{ marginInlineEnd: 0 }}>
        {cert.name} · {t(`members.state.${cert.state}`)}
      </Tag>
    </Tooltip>
  );
}

const dateProps = {
  getValueProps: (v?: string) => ({ value: v ? dayjs(v) : null }),
  normalize: (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
};

/** Add or edit a member: name, role, phone, certificates with expiry, training rows with the hours in total. */
export function MemberDrawer({
  teamId,
  member,
  open,
  onClose,
}: {
  teamId: string;
  member?: Member;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('forces');
  const qc = useQueryClient();
  const [form] = Form.useForm<MemberInput>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const memberRef = useRef(member);
  memberRef.current = member;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    const m = memberRef.current;
    form.setFieldsValue(
      m
        ? {
            name: m.name,
            role: m.role,
            phone: m.phone,
            certificates: m.certificates.map(({ state: _state, ...c }) => c),
            training: m.training,
          }
        : { certificates: [], training: [] },
    );
    setError(null);
  }, [open, form]);

  const training = Form.useWatch('training', form);

  const onFinish = async (v: MemberInput) => {
    setBusy(true);
    setError(null);
    try {
      const input = toMemberInput(v);
      const m = memberRef.current;
      if (m) await patchMember(teamId, m.id, { ...input, version: m.version });
      else await addMember(teamId, input);
      void qc.invalidateQueries({ queryKey: teamKeys.members(teamId) });
      void qc.invalidateQueries({ queryKey: teamKeys.detail(teamId) });
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setError(t('common:conflict.body'));
        void qc.invalidateQueries({ queryKey: teamKeys.members(teamId) });
      } else if (!applyServerError(form, err, ['name', 'role', 'phone', 'certificates', 'training']))
        setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      title={member ? t('members.editTitle', { name: member.name }) : t('members.addTitle')}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <DrawerFooter
          note={t('members.totalHours', { hours: trainingHours(training) })}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => form.submit()}
          testId="member-submit"
        />
      }
      data-testid="member-drawer"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<MemberInput> form={form} layout="vertical" onFinish={onFinish} className="dense-form">
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              name="name"
              label={t('members.name')}
              rules={[{ required: true, whitespace: true, message: t('members.nameRequired') }]}
            >
              <Input maxLength={100} autoFocus id="member-name" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="role" label={t('members.role')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="phone" label={t('members.phone')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
        <fieldset className="form-section">
          <legend>{t('members.certificates')}</legend>
          <Form.List name="certificates">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row gutter={8} key={f.key}>
                    <Col span={9}>
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: t('members.certName') }]}>
                        <Input maxLength={100} placeholder={t('members.certName')} />
                      </Form.Item>
                    </Col>
                    <Col span={7}>
                      <Form.Item name={[f.name, 'number']}>
                        <Input maxLength={100} placeholder={t('members.certNumber')} />
                      </Form.Item>
                    </Col>
                    <Col span={7}>
                      <Form.Item name={[f.name, 'expiresOn']} {...dateProps}>
                        <DatePicker placeholder={t('members.certExpiry')} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <MinusCircleOutlined className="row-remove" onClick={() => remove(f.name)} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('members.addCertificate')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>
        <fieldset className="form-section">
          <legend>{t('members.training')}</legend>
          <Form.List name="training">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Row gutter={8} key={f.key}>
                    <Col span={11}>
                      <Form.Item name={[f.name, 'course']} rules={[{ required: true, message: t('members.course') }]}>
                        <Input maxLength={200} placeholder={t('members.course')} />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item
                        name={[f.name, 'hours']}
                        rules={[{ required: true, message: t('members.hoursShort') }]}
                      >
                        <InputNumber
                          min={0}
                          max={10000}
                          placeholder={t('members.hoursShort')}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={7}>
                      <Form.Item
                        name={[f.name, 'date']}
                        rules={[{ required: true, message: t('members.date') }]}
                        {...dateProps}
                      >
                        <DatePicker placeholder={t('members.date')} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <MinusCircleOutlined className="row-remove" onClick={() => remove(f.name)} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('members.addTraining')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}
