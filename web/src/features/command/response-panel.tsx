/**
 * The incident page's "response" panel: the plans the incident calls for (with why, and the proposed level's rule),
 * activation at a level, the activations with their level change and end, and the incident's task board.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, List, Select, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type PlanActivation,
  planReasonText,
  SUGGESTED_LEVEL_RULE,
  type Suggestion,
} from '../../../../contracts/command.ts';
import { eventTypeName, LEVEL_INFO, LEVELS } from '../../../../contracts/incidents.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import type { Incident } from '../../api/contracts.ts';
import { useUnits } from '../../api/org.ts';
import { useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import {
  activatePlan,
  changeLevel,
  commandKeys,
  endResponse,
  refreshTasks,
  useActivations,
  useSuggestions,
  useTasks,
} from './command-api.ts';
import { TaskBoard } from './task-board.tsx';

export function levelLabel(l: string, lang: 'zh' | 'en'): string {
  const info = LEVEL_INFO[l as keyof typeof LEVEL_INFO];
  return lang === 'zh' ? `${l}级（${info?.zh ?? ''}）` : `Level ${l} (${info?.en ?? ''})`;
}

export function Panel({ incident }: { incident: Incident }) {
  const { t } = useTranslation('command');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { modal, message } = App.useApp();
  const units = useUnits();
  const mayActivate = can(user, 'plans.activate') && incident.status !== 'closed';
  const suggestions = useSuggestions(incident.id, can(user, 'plans.read'));
  const activations = useActivations(incident.id);
  const tasks = useTasks({ incidentId: incident.id });
  const [levels, setLevels] = useState<Record<string, string>>({});
  const district = (c: string) => {
    const u = units.data?.items.find((x) => x.code === c);
    return u ? (lang === 'en' ? u.nameEn || u.name : u.name) : c;
  };
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: commandKeys.activations(incident.id) });
    void qc.invalidateQueries({ queryKey: commandKeys.suggestions(incident.id) });
    refreshTasks(qc);
  };
  const run = async (f: () => Promise<unknown>, done: string) => {
    try {
      await f();
      message.success(done);
    } catch (err) {
      modal.error({ title: t('response.failed'), content: errorMessage(err) });
    } finally {
      refresh();
    }
  };
  const activate = (s: Suggestion) => {
    const level = levels[s.planId] ?? s.level;
    modal.confirm({
      title: t('response.activateTitle', { plan: s.name, level: levelLabel(level, lang) }),
      content: t('response.activateBody'),
      okText: t('response.activate'),
      onOk: () => run(() => activatePlan(incident.id, s.planId, level), t('response.activated')),
    });
  };
  const end = (a: PlanActivation) => {
    let note = '';
    modal.confirm({
      title: t('response.endTitle', { plan: a.planName }),
      content: (
        <Input.TextArea
          rows={3}
          maxLength={1000}
          placeholder={t('response.endNote')}
          onChange={(e) => {
            note = e.target.value;
          }}
        />
      ),
      okText: t('response.end'),
      okButtonProps: { danger: true },
      onOk: () => run(() => endResponse(incident.id, a.id, note), t('response.ended')),
    });
  };
  const sug = suggestions.data?.items ?? [];
  const acts = activations.data?.items ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="response-panel">
      <Card size="small" title={t('response.suggestions')}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {SUGGESTED_LEVEL_RULE[lang]}
        </Typography.Paragraph>
        {suggestions.isLoading ? (
          <Spin />
        ) : suggestions.error ? (
          <Alert type="error" showIcon title={errorMessage(suggestions.error)} />
        ) : sug.length === 0 ? (
          <Empty description={t('response.noSuggestions')} />
        ) : (
          <List
            dataSource={sug}
            renderItem={(s) => (
              <List.Item
                actions={
                  mayActivate && !s.active
                    ? [
                        <Select
                          key="level"
                          size="small"
                          style={{ width: 150 }}
                          value={levels[s.planId] ?? s.level}
                          options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, lang) }))}
                          onChange={(v) => setLevels({ ...levels, [s.planId]: v })}
                        />,
                        <Button key="go" type="primary" size="small" danger onClick={() => activate(s)}>
                          {t('response.activate')}
                        </Button>,
                      ]
                    : s.active
                      ? [
                          <Tag key="a" color="red">
                            {t('response.active')}
                          </Tag>,
                        ]
                      : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space>
                      {s.name}
                      <Tag>{t('response.proposed', { level: levelLabel(s.level, lang) })}</Tag>
                    </Space>
                  }
                  description={
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {s.reasons.map((r) => (
                        <li key={JSON.stringify(r)}>
                          {planReasonText(r, lang, { type: (c) => `${c} ${eventTypeName(c, lang)}`, district })}
                        </li>
                      ))}
                    </ul>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={t('response.activations')}>
        {activations.isLoading ? (
          <Spin />
        ) : acts.length === 0 ? (
          <Empty description={t('response.noActivations')} />
        ) : (
          <List
            dataSource={acts}
            renderItem={(a) => (
              <List.Item
                actions={
                  a.status === 'active' && mayActivate
                    ? [
                        <Select
                          key="level"
                          size="small"
                          style={{ width: 150 }}
                          value={a.level}
                          options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, lang) }))}
                          onChange={(level) =>
                            modal.confirm({
                              title: t('response.levelTitle', { from: a.level, to: level }),
                              content: t('response.levelRule'),
                              onOk: () => run(() => changeLevel(incident.id, a.id, level), t('response.levelChanged')),
                            })
                          }
                        />,
                        <Button key="end" size="small" onClick={() => end(a)}>
                          {t('response.end')}
                        </Button>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space>
                      {a.planName}
                      <Tag color={a.status === 'active' ? 'red' : 'default'}>
                        {a.status === 'active' ? levelLabel(a.level, lang) : t('response.endedTag')}
                      </Tag>
                    </Space>
                  }
                  description={t('response.activationLine', {
                    by: a.activatedBy ?? '—',
                    at: new Date(a.activatedAt).toLocaleString(),
                    open: a.tasks.open,
                    done: a.tasks.done,
                    total: a.tasks.total,
                  })}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={t('response.tasks')}>
        {tasks.isLoading ? (
          <Spin />
        ) : tasks.error ? (
          <Alert type="error" showIcon title={errorMessage(tasks.error)} />
        ) : (
          <TaskBoard tasks={tasks.data?.items ?? []} />
        )}
      </Card>
    </Space>
  );
}
