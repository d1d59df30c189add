import { QueryClient } from '@tanstack/react-query';
import i18next from 'i18next';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ME_KEY } from '../../api/auth.ts';
import { type Alert, SEVERITY_INFO } from '../../api/contracts.ts';
import type { StreamContext } from '../../app/manifest.ts';
import { BURST_AFTER, BurstCounter, OPEN_ALERTS_KEY, type OpenAlerts, onArrival } from './alarm-state.ts';
import { AlarmBanner, AlertList, TrayBell } from './alert-list.tsx';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onAlertAcknowledged, onAlertRaised, onAlertResolved } from './stream.ts';

// The tray as a user reads it (rendered to HTML, no browser needed): the bell's count and colour, each open alarm
// with its level, title, time, district, 接报确认 and the link to the record; and what the live stream does to it.

function render(ui: ReactElement, lng: 'zh-CN' | 'en' = 'zh-CN'): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { alerts: zhCN }, en: { alerts: en } },
    lng,
    ns: ['alerts'],
    defaultNS: 'alerts',
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <MemoryRouter>{ui}</MemoryRouter>
    </I18nextProvider>,
  );
}

const alert = (id: string, severity: Alert['severity'], over: Partial<Alert> = {}): Alert => ({
  id,
  source: 'incident',
  sourceId: `inc-${id}`,
  severity,
  title: { zh: `新接报：WH-2026-00000${id} 化工厂爆炸`, en: `New incident: WH-2026-00000${id} chemical plant blast` },
  link: `/incidents/inc-${id}`,
  district: { code: '371002', name: '环翠区', nameEn: 'Huancui' },
  raisedAt: '2026-12-04T02:05:00Z',
  acknowledged: null,
  ...over,
});

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('the alarm tray', () => {
  it('shows the count of open alarms on the bell, coloured by the most severe', () => {
    const html = render(<TrayBell alerts={[alert('1', 'IV'), alert('2', 'II'), alert('3', 'III')]} total={3} />);
    expect(html).toContain('data-testid="alert-tray"');
    expect(html).toContain('data-severity="II"');
    expect(html).toContain(SEVERITY_INFO.II.color);
    expect(html).toMatch(/>3</);
    expect(html).toContain('未确认告警 3 条');
    const none = render(<TrayBell alerts={[]} total={0} />);
    expect(none).toContain('data-severity="none"');
  });

  it('lists each alarm with its level, title, time in Beijing time, district, 接报确认 and a link to the record', () => {
    const props = {
      alerts: [alert('1', 'I'), alert('2', 'IV', { district: null })],
      total: 2,
      canAck: true,
      onAck: () => undefined,
      softSound: true,
      onSoftSound: () => undefined,
    };
    const zh = render(<AlertList {...props} />);
    expect(count(zh, 'data-testid="alert-item"')).toBe(2);
    expect(zh).toContain('I级 特别重大');
    expect(zh).toContain('IV级 一般');
    expect(zh).toContain('新接报：WH-2026-000001 化工厂爆炸');
    expect(zh).toContain('2026-12-04 10:05');
    expect(zh).toContain('环翠区');
    expect(zh).toContain('未定位');
    expect(count(zh, 'data-testid="alert-ack"')).toBe(2);
    expect(count(zh, '>接报确认<')).toBe(2);
    expect(zh).toContain('href="/incidents/inc-1"');
    expect(zh).toContain('Ⅰ、Ⅱ级警报音不可关闭');

    const english = render(<AlertList {...props} />, 'en');
    expect(english).toContain('Level I Extraordinarily serious');
    expect(english).toContain('New incident: WH-2026-000001 chemical plant blast');
    expect(english).toContain('Huancui');
    expect(count(english, '>Acknowledge<')).toBe(2);

    // a role that may not acknowledge sees the alarms without the button; more than loaded: said so
    const reader = render(<AlertList {...props} canAck={false} total={5} />);
    expect(reader).not.toContain('data-testid="alert-ack"');
    expect(reader).toContain('另有 3 条较早的告警未显示');
  });

  it('says a level I alarm in its colour and words across the page', () => {
    const html = render(
      <AlarmBanner
        alert={alert('1', 'I')}
        others={2}
        canAck
        pending={false}
        onAck={() => undefined}
        onOpenTray={() => undefined}
      />,
    );
    expect(html).toContain('特别重大（I级）告警');
    expect(html).toContain(`background:${SEVERITY_INFO.I.color}`);
    expect(html).toContain('另有 2 条Ⅰ、Ⅱ级告警待确认');
    expect(html).toContain('data-testid="alarm-banner-ack"');
  });
});

describe('the alarm on the live stream', () => {
  const ctx = (qc: QueryClient, type: string, payload: unknown) =>
    ({ event: { type, entity: 'alert', entityId: '', at: '', payload }, queryClient: qc }) as unknown as StreamContext;

  it('puts a raised alarm into the tray in order and announces it; an acknowledgement by my unit clears it', () => {
    const qc = new QueryClient();
    qc.setQueryData(ME_KEY, { user: { id: 'u1', unitCode: 'yjj' }, csrfToken: null });
    qc.setQueryData<OpenAlerts>(OPEN_ALERTS_KEY, { items: [alert('1', 'III')], total: 1 });
    const heard: string[] = [];
    const stop = onArrival((a) => heard.push(a.id));
    onAlertRaised(ctx(qc, 'alert.raised', alert('2', 'I')));
    onAlertRaised(ctx(qc, 'alert.raised', alert('2', 'I')));
    stop();
    expect(qc.getQueryData<OpenAlerts>(OPEN_ALERTS_KEY)?.items.map((a) => a.id)).toEqual(['2', '1']);
    expect(qc.getQueryData<OpenAlerts>(OPEN_ALERTS_KEY)?.total).toBe(2);
    expect(heard).toEqual(['2', '2']);

    const ack = (unitCode: string) => ({ alertId: '2', ack: { unitCode, unitName: 'x', userName: 'y' } });
    onAlertAcknowledged(ctx(qc, 'alert.acknowledged', ack('371002')));
    expect(qc.getQueryData<OpenAlerts>(OPEN_ALERTS_KEY)?.total).toBe(2);
    onAlertAcknowledged(ctx(qc, 'alert.acknowledged', ack('yjj')));
    expect(qc.getQueryData<OpenAlerts>(OPEN_ALERTS_KEY)).toEqual({ items: [alert('1', 'III')], total: 1 });
  });

  it('takes an alarm out of the tray when its incident is closed (alert.resolved), whoever had acknowledged it', () => {
    const qc = new QueryClient();
    qc.setQueryData<OpenAlerts>(OPEN_ALERTS_KEY, { items: [alert('1', 'I'), alert('2', 'III')], total: 2 });
    onAlertResolved(ctx(qc, 'alert.resolved', { alertId: '1', source: 'incident', sourceId: 'x' }));
    expect(qc.getQueryData<OpenAlerts>(OPEN_ALERTS_KEY)).toEqual({ items: [alert('2', 'III')], total: 1 });
  });

  it('counts a burst: beyond a few alarms within seconds they make one notice', () => {
    const b = new BurstCounter();
    const counts = Array.from({ length: 10 }, (_, i) => b.arrive(1000 + i * 10));
    expect(counts.filter((n) => n <= BURST_AFTER)).toHaveLength(BURST_AFTER);
    expect(counts.at(-1)).toBe(10);
    expect(b.arrive(1000 + 60_000)).toBe(1);
  });
});
