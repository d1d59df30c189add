import { CopyOutlined } from '@ant-design/icons';
import { App, Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RouteReply } from '../../../api/contracts.ts';
import { directionsText, type RouteStep, spokenDistance, spokenTime, stepSentence } from './route-text.ts';
import { copyText } from './tool-kit.tsx';

/** degrees from straight on (positive: right) that each turn's arrow points to */
const ARROW_DEG: Partial<Record<RouteStep['maneuver'], number>> = {
  straight: 0,
  slight_left: -45,
  slight_right: 45,
  turn_left: -90,
  turn_right: 90,
  sharp_left: -135,
  sharp_right: 135,
  keep_left: -30,
  keep_right: 30,
};

/** An arrow from the bottom centre turning by `deg`, with an arrowhead; `ghost` draws the branch not taken. */
function arrow(deg: number, ghost = false) {
  const r = (deg * Math.PI) / 180;
  const x = 12 + 8 * Math.sin(r);
  const y = 11 - 8 * Math.cos(r);
  // arrowhead: two short strokes back from the tip, 35° either side of the line
  const back = (a: number) => [x - 4.5 * Math.sin(r + a), y + 4.5 * Math.cos(r + a)];
  const [lx, ly] = back(0.6);
  const [rx, ry] = back(-0.6);
  return (
    <g opacity={ghost ? 0.3 : 1}>
      <path d={`M12 22 V11 L${x.toFixed(1)} ${y.toFixed(1)}`} />
      {!ghost && (
        <path
          d={`M${lx.toFixed(1)} ${ly.toFixed(1)} L${x.toFixed(1)} ${y.toFixed(1)} L${rx.toFixed(1)} ${ry.toFixed(1)}`}
        />
      )}
    </g>
  );
}

/** The manoeuvre drawn as a driver's sign: an arrow, a fork with the branch to keep, a U-turn, a roundabout, a boat. */
export function ManeuverIcon({ step, endLabel }: { step: RouteStep; endLabel: string }) {
  const m = step.maneuver;
  if (m === 'depart' || m === 'arrive') {
    // the start and end as their markers on the map show them
    return (
      <span className={`route-end-dot route-step-dot route-end-dot-${m === 'depart' ? 'from' : 'to'}`} aria-hidden>
        {endLabel}
      </span>
    );
  }
  let body: React.ReactNode;
  if (m === 'uturn') {
    body = (
      <>
        <path d="M16 22 V10 a4 4 0 0 0 -8 0 V18" />
        <path d="M4.5 14.5 L8 18 L11.5 14.5" />
      </>
    );
  } else if (m === 'roundabout') {
    body = (
      <>
        <circle cx="12" cy="10" r="4.5" />
        <path d="M12 22 V14.5" />
        <path d="M15.2 6.8 L20 2" />
        <path d="M16 2 H20 V6" />
      </>
    );
  } else if (m === 'ferry') {
    body = (
      <>
        <path d="M3 14 H21 L18 19 H6 Z" />
        <path d="M7 14 V9 H15 L17 14" />
        <path d="M11 9 V5" />
        <path d="M2 22 q2.5 -2 5 0 t5 0 t5 0 t5 0" />
      </>
    );
  } else {
    const deg = ARROW_DEG[m] ?? 0;
    body =
      m === 'keep_left' || m === 'keep_right' ? (
        <>
          {arrow(-deg, true)}
          {arrow(deg)}
        </>
      ) : (
        arrow(deg)
      );
  }
  return (
    <svg
      className="route-step-icon"
      viewBox="0 0 24 24"
      width="22"
      height="22"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      {body}
    </svg>
  );
}

/**
 * The turn-by-turn list of a route, numbered as a dispatcher reads it out to a crew: the sign of each manoeuvre,
 * the sentence with the road's name, the distance and time to the next one. Pointing at a step highlights its
 * piece of the route on the map; a click zooms to it.
 */
export function RouteSteps({
  result,
  active,
  onHover,
  onPick,
}: {
  result: RouteReply;
  active: number | null;
  onHover: (i: number | null) => void;
  onPick: (i: number) => void;
}) {
  const { t, i18n } = useTranslation('geo');
  const { message } = App.useApp();
  const en = i18n.language === 'en';
  const steps = result.steps;
  if (steps.length === 0) return null;
  const copy = async () => {
    const ok = await copyText(directionsText(result, en, t));
    if (ok) void message.success(t('steps.copied'));
    else void message.warning(t('steps.copyFailed'));
  };
  return (
    <div className="route-steps" data-testid="route-steps">
      <div className="route-steps-head">
        <span className="route-steps-title">{t('steps.title', { count: steps.length })}</span>
        <Tooltip title={t('steps.copy')}>
          <Button
            type="text"
            size="small"
            icon={<CopyOutlined />}
            onClick={() => void copy()}
            aria-label={t('steps.copy')}
            data-testid="route-steps-copy"
          />
        </Tooltip>
      </div>
      <ol className="route-step-list" title={t('steps.hoverHint')} onMouseLeave={() => onHover(null)}>
        {steps.map((s, i) => {
          const last = i === steps.length - 1;
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: a step is its place in the route; the list is replaced whole
              key={`${i}-${s.maneuver}`}
              className={`route-step${active === i ? ' route-step-active' : ''}${s.maneuver === 'ferry' ? ' route-step-ferry' : ''}`}
              onMouseEnter={() => onHover(last ? null : i)}
              onClick={() => !last && onPick(i)}
              onKeyDown={(e) => {
                if (!last && (e.key === 'Enter' || e.key === ' ')) onPick(i);
              }}
              tabIndex={last ? undefined : 0}
              data-testid="route-step"
              data-maneuver={s.maneuver}
            >
              <ManeuverIcon step={s} endLabel={s.maneuver === 'arrive' ? t('route.endShort') : t('route.startShort')} />
              <span className="route-step-no">{i + 1}.</span>
              <span className="route-step-main">
                <span className="route-step-text">{stepSentence(s, steps[i - 1], en, t)}</span>
                {!last && (
                  <span className="route-step-figures">
                    {spokenDistance(s.meters, t)} · {spokenTime(s.seconds, t)}
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
