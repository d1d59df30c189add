import { Card, Spin, Tabs } from 'antd';
import { type ComponentType, lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { allows, useCurrentUser } from '../../api/auth.ts';
import type { Incident } from '../../api/contracts.ts';
import { type IncidentPanel, useFeatures } from '../../app/manifest.ts';

// one lazy component per panel key for the life of the page bundle, so a re-render never fetches it again
const loaded = new Map<string, ComponentType<{ incident: Incident }>>();
function lazyPanel(p: IncidentPanel) {
  let c = loaded.get(p.key);
  if (!c) {
    c = lazy(() => p.component().then((m) => ({ default: m })));
    loaded.set(p.key, c);
  }
  return c;
}

/** What other features add to an incident's page (response, tasks, reports, forces), as tabs; `?panel=` opens one. */
export function IncidentPanels({ incident }: { incident: Incident }) {
  const features = useFeatures();
  const user = useCurrentUser();
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const panels = useMemo(
    () =>
      features
        .flatMap((f) => (f.incidentPanels ?? []).map((p) => ({ p, ns: f.name })))
        .filter(({ p }) => allows(user, p.permission))
        .sort((a, b) => a.p.order - b.p.order),
    [features, user],
  );
  if (panels.length === 0) return null;
  const active = panels.some(({ p }) => p.key === params.get('panel')) ? params.get('panel')! : panels[0]!.p.key;
  return (
    <Card size="small" className="section-card incident-panels" data-testid="incident-panels">
      <Tabs
        activeKey={active}
        onChange={(k) =>
          setParams(
            (prev) => {
              const next = new URLSearchParams(prev);
              next.set('panel', k);
              return next;
            },
            { replace: true },
          )
        }
        destroyOnHidden
        items={panels.map(({ p, ns }) => {
          const C = lazyPanel(p);
          return {
            key: p.key,
            label: t(p.label.includes(':') ? p.label : `${ns}:${p.label}`),
            children: (
              <Suspense fallback={<Spin />}>
                <C incident={incident} />
              </Suspense>
            ),
          };
        })}
      />
    </Card>
  );
}
