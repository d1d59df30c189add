import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  DEFAULT_AVIATION_RADIUS_KM,
  type Member,
  SPECIALTY_INFO,
  TEAM_STATUS_INFO,
  TEAM_STATUSES,
  TEAM_TYPE_INFO,
  type Team,
  type TeamStatus,
  VEHICLE_KIND_INFO,
} from '../../../../contracts/forces.ts';
import { findSupplyCode } from '../../../../contracts/supply-codes.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { PointMap } from '../../map/point-map.tsx';
import {
  changeStatus,
  deleteMember,
  teamKeys,
  upsertTeamInCache,
  useMembers,
  useStatusHistory,
  useTeam,
} from './forces-api.ts';
import {
  nameIn,
  stationClassName,
  TeamFlagIcons,
  TeamStatusTag,
  TeamTypeLabel,
  useDistrictLabel,
  useLang,
} from './labels.tsx';
import { CertificateTag, MemberDrawer } from './member-drawer.tsx';
import { TeamFormDrawer } from './team-form-drawer.tsx';

/** A new status with a note, or the same one confirmed (which clears the stale flag). */
function StatusCard({ team }: { team: Team }) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [status, setStatus] = useState<TeamStatus>(team.status);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const same = status === team.status;
  const submit = async () => {
    setBusy(true);
    try {
      const saved = await changeStatus(team.id, { status, ...(note.trim() ? { note: note.trim() } : {}) });
      upsertTeamInCache(qc, saved);
      setNote('');
      void message.success(same ? t('status.confirmed') : t('status.changed'));
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('status.title')} className="section-card" data-testid="status-card">
      <Space direction="vertical" style={{ width: '100%' }}>
        <div className="muted small">
          {t('status.confirmedAt', { time: formatTime(team.statusConfirmedAt) })}
          {team.statusNote ? ` · ${team.statusNote}` : ''}
        </div>
        <Select
          value={status}
          onChange={setStatus}
          style={{ width: '100%' }}
          options={TEAM_STATUSES.map((s) => ({ value: s, label: nameIn(TEAM_STATUS_INFO[s], lang) }))}
          data-testid="status-select"
        />
        <Input.TextArea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
          autoSize={{ minRows: 2, maxRows: 4 }}
          placeholder={t('status.notePlaceholder')}
        />
        <Button type="primary" block loading={busy} onClick={submit} data-testid="status-submit">
          {same ? t('status.confirm') : t('status.change')}
        </Button>
      </Space>
    </Card>
  );
}

function HistoryCard({ teamId }: { teamId: string }) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const history = useStatusHistory(teamId);
  const items = history.data?.items ?? [];
  return (
    <Card size="small" title={t('status.history')} className="section-card" data-testid="status-history">
      {history.isPending ? (
        <Spin />
      ) : history.isError ? (
        <Typography.Text type="danger">{errorMessage(history.error)}</Typography.Text>
      ) : !items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Timeline
          items={items.map((h) => ({
            color: TEAM_STATUS_INFO[h.status].color,
            content: (
              <div>
                <div>
                  {h.previous && h.previous !== h.status
                    ? `${nameIn(TEAM_STATUS_INFO[h.previous], lang)} → ${nameIn(TEAM_STATUS_INFO[h.status], lang)}`
                    : h.previous === h.status
                      ? t('status.confirmedEntry', { status: nameIn(TEAM_STATUS_INFO[h.status], lang) })
                      : nameIn(TEAM_STATUS_INFO[h.status], lang)}
                </div>
                <div className="muted small">
                  {formatTime(h.at)}
                  {h.by ? ` · ${h.by}` : ''}
                </div>
                {h.note && <div className="small">{h.note}</div>}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

function MembersCard({ team, manage }: { team: Team; manage: boolean }) {
  const { t } = useTranslation('forces');
  const qc = useQueryClient();
  const report = useErrorReporter();
  const members = useMembers(team.id);
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const remove = async (m: Member) => {
    try {
      await deleteMember(team.id, m.id);
      void qc.invalidateQueries({ queryKey: teamKeys.members(team.id) });
      void qc.invalidateQueries({ queryKey: teamKeys.detail(team.id) });
    } catch (err) {
      report(err);
    }
  };
  return (
    <Card
      size="small"
      title={t('members.title', { count: members.data?.total ?? 0 })}
      className="section-card"
      extra={
        manage && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="add-member">
            {t('members.add')}
          </Button>
        )
      }
      data-testid="members-card"
    >
      <Table<Member>
        size="small"
        rowKey="id"
        className="dense-table"
        loading={members.isPending}
        dataSource={members.data?.items ?? []}
        pagination={false}
        locale={{
          emptyText: members.isError ? errorMessage(members.error) : t('members.empty'),
        }}
        columns={[
          { title: t('members.name'), dataIndex: 'name', width: 120 },
          { title: t('members.role'), dataIndex: 'role', width: 120, render: (v: string) => v || '—' },
          { title: t('members.phone'), dataIndex: 'phone', width: 130, render: (v: string) => v || '—' },
          {
            title: t('members.certificates'),
            dataIndex: 'certificates',
            render: (cs: Member['certificates']) =>
              cs.length ? (
                <Space size={[4, 4]} wrap>
                  {cs.map((c) => (
                    <CertificateTag key={`${c.name}-${c.number ?? ''}`} cert={c} />
                  ))}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: t('members.hours'),
            dataIndex: 'trainingHours',
            width: 90,
            align: 'right',
            render: (h: number) => `${h} h`,
          },
          ...(manage
            ? [
                {
                  title: t('common:actions'),
                  key: 'actions',
                  width: 96,
                  render: (_: unknown, m: Member) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        aria-label={t('common:edit')}
                        onClick={() => setEditing(m)}
                      />
                      <Popconfirm
                        title={t('members.deleteConfirm', { name: m.name })}
                        okText={t('members.delete')}
                        cancelText={t('common:cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove(m)}
                      >
                        <Button
                          type="link"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('members.delete')}
                        />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <MemberDrawer
        teamId={team.id}
        member={editing && editing !== 'new' ? editing : undefined}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}

/** A team's page: its facts, equipment and vehicles, its status with the history, its members. */
export function TeamPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('forces');
  const lang = useLang();
  const user = useCurrentUser();
  const districtLabel = useDistrictLabel();
  const team = useTeam(id);
  const [editing, setEditing] = useState(false);

  if (team.isPending) return <Spin className="full-center" />;
  if (team.isError) {
    const missing = team.error instanceof ApiError && (team.error.status === 404 || team.error.status === 403);
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('team.notFound') : errorMessage(team.error)}
        extra={<Link to="/forces/teams">{t('team.back')}</Link>}
      />
    );
  }
  const d = team.data;
  const manage = can(user, 'forces.manage');
  const typeFacts =
    d.type === 'fire_rescue'
      ? [
          { key: 'class', label: t('field.class'), children: stationClassName(d.stationClass, lang) },
          { key: 'suburban', label: t('field.suburban'), children: d.suburban ? t('team.yes') : t('team.no') },
        ]
      : d.type === 'professional'
        ? [
            {
              key: 'spec',
              label: t('field.specialties'),
              children: d.specialties.map((s) => nameIn(SPECIALTY_INFO[s], lang)).join('、') || '—',
            },
          ]
        : d.type === 'aviation'
          ? [{ key: 'radius', label: t('field.radiusKm'), children: `${d.radiusKm ?? DEFAULT_AVIATION_RADIUS_KM} km` }]
          : [];

  return (
    <div className="page" data-testid="team-page">
      <Link to="/forces/teams" className="back-link">
        <ArrowLeftOutlined /> {t('team.back')}
      </Link>
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            <Space>
              {d.name}
              <TeamStatusTag status={d.status} />
              <TeamFlagIcons flags={d.flags} />
              {d.demo && <Tag>{t('common:demo')}</Tag>}
            </Space>
          </Typography.Title>
          <div className="page-sub muted">
            <TeamTypeLabel type={d.type} /> · {districtLabel(d.district)} ·{' '}
            {d.dispatchable ? t('team.dispatchable') : t('team.notDispatchable')}
          </div>
        </div>
        {manage && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-team">
            {t('common:edit')}
          </Button>
        )}
      </div>
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('team.facts')} className="section-card">
            <Descriptions
              size="small"
              column={2}
              items={[
                { key: 'type', label: t('field.type'), children: nameIn(TEAM_TYPE_INFO[d.type], lang) },
                ...typeFacts,
                { key: 'district', label: t('field.district'), children: districtLabel(d.district) },
                {
                  key: 'owner',
                  label: t('field.ownerUnit'),
                  children: d.ownerUnit ? (lang === 'en' ? d.ownerUnit.nameEn : d.ownerUnit.name) : '—',
                },
                { key: 'org', label: t('field.organisation'), children: d.organisation || '—' },
                {
                  key: 'head',
                  label: t('field.headcount'),
                  children: t('team.headcount', { headcount: d.headcount, members: d.memberCount }),
                },
                {
                  key: 'caps',
                  label: t('field.capabilities'),
                  children: d.capabilities.length ? d.capabilities.map((c) => <Tag key={c}>{c}</Tag>) : '—',
                },
                {
                  key: 'loc',
                  label: t('field.location'),
                  children: (
                    <span className="mono">
                      {d.location.coordinates[0].toFixed(5)}, {d.location.coordinates[1].toFixed(5)}
                    </span>
                  ),
                },
                {
                  key: 'contacts',
                  label: t('field.contacts'),
                  span: 2,
                  children: d.contacts.length
                    ? d.contacts.map((c) => `${c.name}${c.role ? `（${c.role}）` : ''} ${c.phone}`).join('；')
                    : '—',
                },
                ...(d.notes ? [{ key: 'notes', label: t('field.notes'), span: 2, children: d.notes }] : []),
              ]}
            />
          </Card>
          <Row gutter={16}>
            <Col span={13}>
              <Card size="small" title={t('field.equipment')} className="section-card">
                <Table
                  size="small"
                  rowKey={(r) => `${r.code}-${r.note ?? ''}`}
                  pagination={false}
                  dataSource={d.equipment}
                  locale={{ emptyText: t('team.noEquipment') }}
                  columns={[
                    {
                      title: t('team.code'),
                      dataIndex: 'code',
                      width: 90,
                      render: (v: string) => <span className="mono">{v}</span>,
                    },
                    {
                      title: t('team.supply'),
                      dataIndex: 'code',
                      key: 'name',
                      render: (v: string) => findSupplyCode(v)?.name ?? '—',
                    },
                    { title: t('form.quantity'), dataIndex: 'quantity', width: 70, align: 'right' },
                    { title: t('form.note'), dataIndex: 'note', render: (v?: string) => v || '' },
                  ]}
                />
              </Card>
            </Col>
            <Col span={11}>
              <Card size="small" title={t('field.vehicles')} className="section-card">
                <Table
                  size="small"
                  rowKey={(r) => `${r.kind}-${r.model}-${r.registration ?? ''}`}
                  pagination={false}
                  dataSource={d.vehicles}
                  locale={{ emptyText: t('team.noVehicles') }}
                  columns={[
                    {
                      title: t('team.vehicleKind'),
                      dataIndex: 'kind',
                      width: 80,
                      render: (k: keyof typeof VEHICLE_KIND_INFO) => nameIn(VEHICLE_KIND_INFO[k], lang),
                    },
                    {
                      title: t('form.model'),
                      dataIndex: 'model',
                      render: (v: string, r) =>
                        `${v}${r.registration ? ` · ${r.registration}` : ''}${r.radiusKm ? ` · ${r.radiusKm} km` : ''}`,
                    },
                    {
                      title: t('form.quantity'),
                      dataIndex: 'quantity',
                      width: 60,
                      align: 'right',
                      render: (v?: number) => v ?? 1,
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <MembersCard team={d} manage={manage} />
        </Col>
        <Col xs={24} xl={8}>
          {can(user, 'forces.status') && <StatusCard key={`${d.id}-${d.version}`} team={d} />}
          <Card size="small" className="section-card">
            <PointMap
              point={[d.location.coordinates[0], d.location.coordinates[1]]}
              color={TEAM_TYPE_INFO[d.type].color}
              height={220}
            />
          </Card>
          <HistoryCard teamId={d.id} />
        </Col>
      </Row>
      <TeamFormDrawer open={editing} team={d} onClose={() => setEditing(false)} />
    </div>
  );
}
