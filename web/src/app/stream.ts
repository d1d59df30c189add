import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type StreamEvent, useEventStream } from '../api/stream.ts';
import { bumpStyleEpoch } from '../map/map-style.ts';
import type { FeatureManifest, StreamHandler } from './manifest.ts';

/** Every feature's handlers by event type, in the features' order. */
export function streamHandlers(
  features: readonly FeatureManifest[],
): Map<string, { ns: string; handle: StreamHandler }[]> {
  const byType = new Map<string, { ns: string; handle: StreamHandler }[]>();
  for (const f of features)
    for (const [type, handle] of Object.entries(f.stream ?? {}))
      byType.set(type, [...(byType.get(type) ?? []), { ns: f.name, handle }]);
  return byType;
}

/** The one live stream of the signed-in app: each event goes to the features that handle its type. */
export function useFeatureStream(
  features: readonly FeatureManifest[],
  enabled: boolean,
  /** the session (its CSRF token): signing in again over the page opens the stream again */
  session?: string | null,
): void {
  const queryClient = useQueryClient();
  const { notification, message } = App.useApp();
  const { i18n } = useTranslation();
  const handlers = useMemo(() => streamHandlers(features), [features]);
  const types = useMemo(() => [...handlers.keys()], [handlers]);
  const onEvent = (event: StreamEvent) => {
    for (const { ns, handle } of handlers.get(event.type) ?? []) {
      try {
        handle({ event, queryClient, notification, message, t: i18n.getFixedT(null, ns) });
      } catch (err) {
        // one feature's failing handler must not keep the others from the event
        console.error(`stream handler of ${ns} for ${event.type}`, err);
      }
    }
  };
  // the server no longer holds what was missed while away: read everything again, the basemap included
  const onReset = () => {
    bumpStyleEpoch();
    void queryClient.invalidateQueries();
  };
  useEventStream(types, onEvent, enabled, onReset, session);
}
