import { SafetyCertificateOutlined, SwapOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Result,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type DrawVerification, EXPERT_TITLE_INFO, type Invitation } from '../../../../contracts/experts.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { expertKeys, useDraw, verifyDraw } from './experts-api.ts';
import { FieldTags, InvitationTag, localTime, nameIn, useLang } from './labels.tsx';

/** A draw's record: the criteria, every round (seed, candidates, result), the invitations and their replies. */
export function DrawPage() {
  const { id } = useParams();
  const { t } = useTranslation('experts');
  const lang = useLang();
  const user = useCurrentUser();
  const q = useDraw(id);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const [verification, setVerification] = useState<DrawVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [declining, setDeclining] = useState<Invitation | null>(null);
  const [reason, setReason] = useState('');
  const mayDraw = can(user, 'experts.draw');
  if (q.isLoading) return <Skeleton active className="page" />;
  if (q.isError || !q.data)
    return <Result status="warning" title={t('draw.notLoaded')} subTitle={errorMessage(q.error)} />;
  const d = q.data;
  const refresh = () => void qc.invalidateQueries({ queryKey: expertKeys.draw(d.id) });

  const reply = async (inv: Invitation, status: 'accepted' | 'declined', why?: string) => {
    try {
      await api.post(`/experts/invitations/${inv.id}/reply`, { version: inv.version, status, reason: why });
      setDeclining(null);
      setReason('');
      refresh();
    } catch (err) {
      report(err, refresh);
    }
  };
  const replace = async () => {
    try {
      await api.post(`/experts/draws/${d.id}/replacements`, {});
      void message.success(t('draw.replaced'));
      refresh();
    } catch (err) {
      report(err, refresh);
    }
  };
  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await verifyDraw(d.id));
    } catch (err) {
      report(err);
    } finally {
      setVerifying(false);
    }
  };
  const waiting = d.invitations.filter((i) => i.status === 'declined' && !i.replaced).length;

  const columns: TableColumnsType<Invitation> = [
    {
      title: t('field.name'),
      key: 'name',
      render: (_: unknown, r) => <Link to={`/experts/${r.expert.id}`}>{r.expert.name}</Link>,
    },
    { title: t('field.organisation'), key: 'org', render: (_: unknown, r) => r.expert.organisation },
    {
      title: t('field.title'),
      key: 'title',
      width: 100,
      render: (_: unknown, r) => nameIn(EXPERT_TITLE_INFO[r.expert.title], lang),
    },
    { title: t('field.phones'), key: 'phones', width: 140, render: (_: unknown, r) => r.expert.phones.join('、') },
    {
      title: t('draw.round'),
      key: 'round',
      width: 70,
      render: (_: unknown, r) => (d.rounds.find((x) => x.id === r.roundId)?.round ?? 0) + 1,
    },
    {
      title: t('draw.reply'),
      key: 'status',
      width: 220,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <InvitationTag status={r.status} />
          {r.reason && <span className="muted">{r.reason}</span>}
          {r.replaced && <span className="muted">{t('draw.wasReplaced')}</span>}
        </Space>
      ),
    },
    {
      title: '',
      key: 'actions',
      width: 160,
      render: (_: unknown, r) =>
        mayDraw && r.status === 'invited' ? (
          <Space size={4}>
            <Button size="small" onClick={() => void reply(r, 'accepted')} data-testid="accept">
              {t('draw.accept')}
            </Button>
            <Button size="small" danger onClick={() => setDeclining(r)} data-testid="decline">
              {t('draw.decline')}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Space>
          <Link to="/experts/draws">{t('nav.draws')}</Link>
          <span>/</span>
          <Typography.Title level={4} className="page-title">
            {d.purpose}
          </Typography.Title>
        </Space>
        <Space>
          {mayDraw && waiting > 0 && (
            <Button icon={<SwapOutlined />} onClick={() => void replace()} data-testid="replace">
              {t('draw.replace', { count: waiting })}
            </Button>
          )}
          <Button
            type="primary"
            icon={<SafetyCertificateOutlined />}
            loading={verifying}
            onClick={() => void verify()}
            data-testid="verify"
          >
            {t('draw.verify')}
          </Button>
        </Space>
      </div>
      {verification && (
        <Alert
          style={{ marginBottom: 12 }}
          showIcon
          type={verification.matches ? 'success' : 'error'}
          data-testid="verification"
          title={verification.matches ? t('draw.verifyOk') : t('draw.verifyBad')}
          description={
            <>
              <div>
                {verification.poolUnchanged
                  ? t('draw.poolSame')
                  : t('draw.poolChanged', {
                      added: verification.poolToday.added.length,
                      removed: verification.poolToday.removed.length,
                    })}
              </div>
              {verification.rounds
                .filter((r) => !r.resultMatches || !r.digestMatches)
                .map((r) => (
                  <div key={r.id}>
                    {t('draw.roundBad', {
                      round: r.round + 1,
                      result: r.resultMatches ? '✓' : '✗',
                      digest: r.digestMatches ? '✓' : '✗',
                    })}
                  </div>
                ))}
            </>
          }
        />
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('field.fields')} span={2}>
            <FieldTags fields={d.fields} />
          </Descriptions.Item>
          <Descriptions.Item label={t('draw.count')}>{d.count}</Descriptions.Item>
          <Descriptions.Item label={t('draw.avoid')}>{d.excludeOrganisations.join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('draw.by')}>{d.drawnBy ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('draw.at')}>{localTime(d.drawnAt)}</Descriptions.Item>
          {d.incidentId && (
            <Descriptions.Item label={t('draw.incident')}>
              <Link to={`/incidents/${d.incidentId}`}>{t('draw.openIncident')}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small" title={t('draw.invitations')} style={{ marginBottom: 12 }}>
        <Table<Invitation> rowKey="id" size="small" columns={columns} dataSource={d.invitations} pagination={false} />
      </Card>
      <Card size="small" title={t('draw.record')}>
        <Typography.Paragraph type="secondary">{t('draw.recordHelp')}</Typography.Paragraph>
        {d.rounds.map((r) => (
          <Descriptions
            key={r.id}
            column={1}
            size="small"
            bordered
            style={{ marginBottom: 12 }}
            title={t('draw.roundTitle', { round: r.round + 1 })}
          >
            <Descriptions.Item label={t('draw.algorithm')}>{r.algorithm}</Descriptions.Item>
            <Descriptions.Item label={t('draw.seed')}>
              <Typography.Text code copyable>
                {r.seed}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('draw.candidates', { count: r.candidates.length })}>
              <Typography.Text className="muted" style={{ fontSize: 12 }} copyable={{ text: r.candidates.join('\n') }}>
                {r.candidates.join(', ')}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('draw.result')}>{r.result.join(', ')}</Descriptions.Item>
            <Descriptions.Item label={t('draw.digest')}>
              <Typography.Text code>{r.digest}</Typography.Text>
            </Descriptions.Item>
            {r.reason && <Descriptions.Item label={t('field.reason')}>{r.reason}</Descriptions.Item>}
            <Descriptions.Item label={t('draw.at')}>
              {localTime(r.drawnAt)} · {r.drawnBy ?? ''}
            </Descriptions.Item>
          </Descriptions>
        ))}
      </Card>
      <Modal
        open={!!declining}
        title={t('draw.declineTitle', { name: declining?.expert.name ?? '' })}
        okText={t('draw.decline')}
        okButtonProps={{ disabled: !reason.trim(), danger: true }}
        onOk={() => declining && void reply(declining, 'declined', reason.trim())}
        onCancel={() => setDeclining(null)}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('draw.declineReason')}
          data-testid="decline-reason"
        />
      </Modal>
    </div>
  );
}
