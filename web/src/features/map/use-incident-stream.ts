import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { createElement, useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../api/contracts.ts';
import { geoKeys } from '../../api/geo.ts';
import { upsertIncidentInCache } from '../../api/incidents.ts';
import { bumpStyleEpoch } from '../../map/map-style.ts';

const CLOSURE_EVENTS = ['closure.created', 'closure.cleared'];

export type StreamState = 'off' | 'connecting' | 'open' | 'error';

let state: StreamState = 'off';
const listeners = new Set<() => void>();
function setState(s: StreamState) {
  if (s === state) return;
  state = s;
  for (const l of listeners) l();
}

/** Whether the live stream is connected, for a small indicator. */
export function useStreamState(): StreamState {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => state,
  );
}

interface StreamMessage {
  type: string;
  entityId: string;
  payload: Incident;
}

/**
 * Server-Sent Events from `/api/v1/stream` (cookie-authenticated). Each incident event goes straight into the
 * query cache, so the map and the register show it within a second; closure and road-network events make the
 * map read its closures, catalogue and basemap again. EventSource reconnects by itself and
 * sends Last-Event-ID, so nothing is missed across short outages; after a longer one (or on another server) the
 * stream says `reset` and everything is read again.
 */
export function useIncidentStream(enabled: boolean): void {
  const qc = useQueryClient();
  const { notification } = App.useApp();
  const { t } = useTranslation();
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    setState('connecting');
    const es = new EventSource('/api/v1/stream', { withCredentials: true });
    const handle = (kind: 'created' | 'updated') => (ev: MessageEvent<string>) => {
      let msg: StreamMessage;
      try {
        msg = JSON.parse(ev.data) as StreamMessage;
      } catch {
        return;
      }
      const incident = msg.payload;
      if (!incident?.id) return;
      upsertIncidentInCache(qc, incident);
      if (kind === 'created') {
        notification.info({
          key: `incident-${incident.id}`,
          title: tRef.current('stream.newIncident', { number: incident.number }),
          description: createElement('div', { 'data-testid': 'stream-notification' }, incident.title),
          placement: 'bottomRight',
          duration: 6,
        });
      }
    };
    const onCreated = handle('created');
    const onUpdated = handle('updated');
    es.addEventListener('incident.created', onCreated as EventListener);
    es.addEventListener('incident.updated', onUpdated as EventListener);
    // road closures: the closures layer and lists are read again
    const onClosure = () => void qc.invalidateQueries({ queryKey: geoKeys.closures });
    // a new road network: new tiles (style reloaded), new catalogue notes, closures re-mapped onto it
    const onNetwork = () => {
      bumpStyleEpoch();
      for (const key of [geoKeys.network, geoKeys.layers, geoKeys.closures, ['map', 'layer-data']])
        void qc.invalidateQueries({ queryKey: key });
    };
    for (const type of CLOSURE_EVENTS) es.addEventListener(type, onClosure);
    es.addEventListener('network.swapped', onNetwork);
    // the server no longer holds what was missed while away: read everything again
    const onReset = () => {
      bumpStyleEpoch();
      void qc.invalidateQueries();
    };
    es.addEventListener('reset', onReset);
    es.onopen = () => setState('open');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'error' : 'connecting');
    return () => {
      es.removeEventListener('incident.created', onCreated as EventListener);
      es.removeEventListener('incident.updated', onUpdated as EventListener);
      for (const type of CLOSURE_EVENTS) es.removeEventListener(type, onClosure);
      es.removeEventListener('network.swapped', onNetwork);
      es.removeEventListener('reset', onReset);
      es.close();
      setState('off');
    };
  }, [enabled, qc, notification]);
}
