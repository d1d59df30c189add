import { useQueryClient } from '@tanstack/react-query';
import { App, Popover } from 'antd';
import { createElement, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { type Alert, SEVERITY_INFO } from '../../api/contracts.ts';
import { useErrorReporter } from '../../components/errors.tsx';
import {
  BURST_AFTER,
  BurstCounter,
  isUrgent,
  OPEN_ALERTS_KEY,
  type OpenAlerts,
  onArrival,
  setSoftMuted,
  softMuted,
  topSeverity,
  withoutAlert,
} from './alarm-state.ts';
import { acknowledgeAlert, useOpenAlerts } from './alerts-api.ts';
import './alerts.css';
import { AlarmBanner, AlertList, SoundBanner, TrayBell, useSeverityWords } from './alert-list.tsx';

export const SOUNDS = { urgent: '/sounds/alarm-urgent.wav', soft: '/sounds/alarm-soft.wav' } as const;

/** Has this page had a click yet? Until then browsers refuse to play sound (after every reload). */
function soundLikelyBlocked(): boolean {
  const ua = (globalThis.navigator as Navigator & { userActivation?: { hasBeenActive: boolean } })?.userActivation;
  return !!ua && !ua.hasBeenActive;
}

/**
 * The alarm on every page (the shell's header): the bell with the open alarms, the level I–II banner, the sound
 * (I–II repeated until the unit acknowledges, III–IV once and silenceable), notices for III–IV (one notice for a
 * burst), and the system notification while the tab is hidden.
 */
export function AlertTray() {
  const user = useCurrentUser();
  const canRead = can(user, 'alerts.read');
  const canAck = can(user, 'alerts.acknowledge');
  const { t } = useTranslation('alerts');
  const words = useSeverityWords();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { notification, message } = App.useApp();
  const report = useErrorReporter();
  const open = useOpenAlerts(canRead);
  const alerts = open.data?.items ?? [];
  const total = open.data?.total ?? 0;
  const [trayOpen, setTrayOpen] = useState(false);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [softOn, setSoftOn] = useState(() => !softMuted(user.id));
  const [blocked, setBlocked] = useState(soundLikelyBlocked);
  const urgentAudio = useRef<HTMLAudioElement | null>(null);
  const softAudio = useRef<HTMLAudioElement | null>(null);
  const burst = useRef(new BurstCounter());

  const play = useCallback((el: HTMLAudioElement | null, loop: boolean) => {
    if (!el) return;
    el.loop = loop;
    el.currentTime = 0;
    el.play().then(
      () => setBlocked(false),
      (err: Error) => {
        // NotAllowedError: no click on this page yet. Say so, with the one click that enables it.
        if (err?.name === 'NotAllowedError') setBlocked(true);
      },
    );
  }, []);

  // I–II sound on until the unit acknowledges (a user who cannot acknowledge hears each arrival once instead)
  const urgentOpen = canAck && alerts.some(isUrgent);
  useEffect(() => {
    const el = urgentAudio.current;
    if (!el) return;
    if (urgentOpen) {
      if (el.paused || !el.loop) play(el, true);
    } else {
      // none left to acknowledge: silent, whatever started the tone (a play still pending is aborted by the pause)
      el.pause();
      el.loop = false;
    }
  }, [urgentOpen, play]);

  // each arrival: sound, notice, system notification (latest state through refs: the listener stays subscribed)
  const latest = useRef({ softOn, canAck, words, t });
  latest.current = { softOn, canAck, words, t };
  useEffect(
    () =>
      onArrival((a) => {
        const { softOn: soft, canAck: acks, words: w, t: tr } = latest.current;
        const urgent = isUrgent(a);
        if (urgent && !acks) play(urgentAudio.current, false);
        else if (!urgent && soft && !urgentAudio.current?.loop) play(softAudio.current, false);
        const n = burst.current.arrive(Date.now());
        if (n > BURST_AFTER) {
          const top = topSeverity(qc.getQueryData<OpenAlerts>(OPEN_ALERTS_KEY)?.items ?? [a]) ?? a.severity;
          notification.warning({
            key: 'alerts-burst',
            title: tr('notice.burst', { count: n }),
            description: tr('notice.burstBody', { level: top, name: w.name(top) }),
            placement: 'bottomRight',
            duration: 8,
          });
        } else if (!urgent) {
          notification.info({
            key: `alert-${a.id}`,
            title: tr('notice.one', { level: a.severity, name: w.name(a.severity) }),
            description: createElement('div', { 'data-testid': 'alert-notice' }, `${w.title(a)} · ${w.district(a)}`),
            placement: 'bottomRight',
            duration: 8,
          });
        }
        if (typeof document !== 'undefined' && document.hidden && 'Notification' in globalThis) {
          if (Notification.permission === 'granted') {
            try {
              const sys = new Notification(w.alarm(a.severity), {
                body: `${w.title(a)} · ${w.district(a)}`,
                tag: a.id,
                requireInteraction: urgent,
              });
              sys.onclick = () => {
                window.focus();
                if (a.link) navigate(a.link);
                sys.close();
              };
            } catch {
              // some browsers (Android) show notifications only through a service worker: the page's alarm remains
            }
          }
        }
      }),
    [play, qc, notification, navigate],
  );

  const enableSound = () => {
    setBlocked(false);
    // this click unlocks sound for the page: the alarm that waits plays now, the other sound plays silently once
    if (urgentOpen) play(urgentAudio.current, true);
    for (const el of urgentOpen ? [softAudio.current] : [softAudio.current, urgentAudio.current]) {
      if (!el?.paused) continue;
      el.muted = true;
      el.play().then(
        () => {
          el.pause();
          el.muted = false;
          el.currentTime = 0;
        },
        () => {
          el.muted = false;
        },
      );
    }
    if ('Notification' in globalThis && Notification.permission === 'default') void Notification.requestPermission();
  };

  const acknowledge = async (a: Alert) => {
    setPendingId(a.id);
    try {
      const r = await acknowledgeAlert(a.id);
      qc.setQueryData<OpenAlerts>(OPEN_ALERTS_KEY, (old) => withoutAlert(old, a.id));
      void message.success(
        r.acknowledgedNow
          ? t('tray.acked')
          : t('tray.ackedBy', {
              unit: (words.en && r.alert.acknowledged?.unitNameEn) || r.alert.acknowledged?.unitName,
              user: r.alert.acknowledged?.userName,
            }),
      );
    } catch (err) {
      // gone or no longer ours to acknowledge: out of the tray, and say why
      if (err instanceof ApiError && (err.status === 404 || err.status === 403))
        qc.setQueryData<OpenAlerts>(OPEN_ALERTS_KEY, (old) => withoutAlert(old, a.id));
      report(err);
    } finally {
      setPendingId(null);
    }
  };

  if (!canRead) return null;
  const urgent = alerts.filter(isUrgent);
  return (
    <>
      <Popover
        open={trayOpen}
        onOpenChange={setTrayOpen}
        trigger="click"
        placement="bottomRight"
        content={
          <AlertList
            alerts={alerts}
            total={total}
            canAck={canAck}
            pendingId={pendingId}
            onAck={(a) => void acknowledge(a)}
            onOpen={() => setTrayOpen(false)}
            softSound={softOn}
            onSoftSound={(on) => {
              setSoftOn(on);
              setSoftMuted(user.id, !on);
            }}
          />
        }
      >
        <span>
          <TrayBell alerts={alerts} total={total} />
        </span>
      </Popover>
      {urgent.length > 0 && (
        <AlarmBanner
          alert={urgent[0]}
          others={urgent.length - 1}
          canAck={canAck}
          pending={pendingId === urgent[0].id}
          onAck={(a) => void acknowledge(a)}
          onOpenTray={() => setTrayOpen(true)}
        />
      )}
      {blocked && <SoundBanner onEnable={enableSound} />}
      {/* biome-ignore lint/a11y/useMediaCaption: an alarm tone has no words to caption */}
      <audio ref={urgentAudio} src={SOUNDS.urgent} preload="auto" data-testid="alarm-audio-urgent" />
      {/* biome-ignore lint/a11y/useMediaCaption: an alarm tone has no words to caption */}
      <audio ref={softAudio} src={SOUNDS.soft} preload="auto" data-testid="alarm-audio-soft" />
      <span hidden data-testid="alarm-colour" data-colour={urgent[0] ? SEVERITY_INFO[urgent[0].severity].color : ''} />
    </>
  );
}
