import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, InputNumber, Radio, Segmented, Select, Switch, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  COLOUR_INFO,
  type Colour,
  DEVICE_PARAM_INFO,
  DEVICE_PARAMS,
  METRIC_INFO,
  METRICS,
  type Metric,
  RULE_FN_INFO,
  RULE_FNS,
  RULE_OPS,
  type RuleFn,
} from '../../../../contracts/monitoring.ts';
import { ColourTag, metricName, nameIn, useLang } from './labels.tsx';
import { newClause } from './rule-values.ts';

const OP_TEXT: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

/**
 * One colour's condition: used or not, any/all of its clauses, each clause a metric, a function over a window, an
 * operator and a threshold (a number in the metric's unit, or a device parameter × factor).
 */
export function ColourConditionEditor({ colour }: { colour: Colour }) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const form = Form.useFormInstance();
  const used = Form.useWatch(['colours', colour, 'used'], form);
  return (
    <div
      className={`condition-card${used ? '' : ' unused'}`}
      style={{ borderInlineStartColor: COLOUR_INFO[colour].color }}
      data-testid={`condition-${colour}`}
    >
      <div className="condition-head">
        <ColourTag colour={colour} long />
        <Form.Item name={['colours', colour, 'used']} valuePropName="checked" noStyle>
          <Switch size="small" aria-label={t('rules.colourUsed', { colour: nameIn(COLOUR_INFO[colour], lang) })} />
        </Form.Item>
        {used && (
          <Form.Item name={['colours', colour, 'mode']} noStyle>
            <Radio.Group
              size="small"
              optionType="button"
              options={[
                { value: 'any', label: t('rules.any') },
                { value: 'all', label: t('rules.all') },
              ]}
            />
          </Form.Item>
        )}
        {!used && <span className="muted small">{t('rules.colourUnused')}</span>}
      </div>
      {used && (
        <Form.List name={['colours', colour, 'clauses']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <ClauseRow
                  key={field.key}
                  colour={colour}
                  index={field.name}
                  onRemove={fields.length > 1 ? () => remove(field.name) : undefined}
                />
              ))}
              {fields.length < 8 && (
                <Button
                  size="small"
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => {
                    const first = form.getFieldValue(['colours', colour, 'clauses', 0, 'metric']) as Metric | undefined;
                    add(newClause(first));
                  }}
                >
                  {t('rules.addClause')}
                </Button>
              )}
            </>
          )}
        </Form.List>
      )}
    </div>
  );
}

function ClauseRow({ colour, index, onRemove }: { colour: Colour; index: number; onRemove?: () => void }) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const form = Form.useFormInstance();
  const path = ['colours', colour, 'clauses', index];
  const fn = Form.useWatch([...path, 'fn'], form) as RuleFn | undefined;
  const metric = Form.useWatch([...path, 'metric'], form) as Metric | undefined;
  const kind = Form.useWatch([...path, 'thresholdKind'], form);
  const windowed = fn ? RULE_FN_INFO[fn].window : false;
  const unit =
    fn === 'absence'
      ? t('unit.min')
      : fn === 'rate'
        ? `${METRIC_INFO[metric ?? 'rain_mm']?.unit}/h`
        : METRIC_INFO[metric ?? 'rain_mm']?.unit;
  return (
    <div className="clause-row" data-testid="clause-row">
      <Form.Item name={[index, 'metric']} rules={[{ required: true }]} className="clause-metric">
        <Select
          aria-label={t('rules.metric')}
          popupMatchSelectWidth={false}
          options={METRICS.map((m) => ({ value: m, label: metricName(m, lang) }))}
        />
      </Form.Item>
      <Form.Item name={[index, 'fn']} rules={[{ required: true }]} className="clause-fn">
        <Select
          aria-label={t('rules.fn')}
          popupMatchSelectWidth={false}
          options={RULE_FNS.map((f) => ({ value: f, label: nameIn(RULE_FN_INFO[f], lang) }))}
        />
      </Form.Item>
      <Tooltip title={windowed ? t('rules.windowHint') : t('rules.noWindow')}>
        <Form.Item
          name={[index, 'windowMinutes']}
          className="clause-window"
          rules={windowed ? [{ required: true, message: t('rules.windowRequired') }] : []}
        >
          <InputNumber
            aria-label={t('rules.window')}
            min={1}
            max={10080}
            precision={0}
            disabled={!windowed}
            suffix={t('unit.min')}
            placeholder={windowed ? t('rules.window') : '—'}
          />
        </Form.Item>
      </Tooltip>
      <Form.Item name={[index, 'op']} className="clause-op">
        <Select aria-label={t('rules.op')} options={RULE_OPS.map((o) => ({ value: o, label: OP_TEXT[o] }))} />
      </Form.Item>
      <Form.Item name={[index, 'thresholdKind']} className="clause-kind">
        <Segmented
          size="small"
          options={[
            { value: 'number', label: t('rules.number') },
            { value: 'param', label: t('rules.param') },
          ]}
        />
      </Form.Item>
      {kind === 'param' ? (
        <>
          <Form.Item
            name={[index, 'param']}
            className="clause-param"
            rules={[{ required: true, message: t('rules.paramRequired') }]}
          >
            <Select
              aria-label={t('rules.param')}
              popupMatchSelectWidth={false}
              options={DEVICE_PARAMS.map((p) => ({ value: p, label: nameIn(DEVICE_PARAM_INFO[p], lang) }))}
            />
          </Form.Item>
          <Form.Item name={[index, 'factor']} className="clause-factor">
            <InputNumber aria-label={t('rules.factor')} min={0} max={100} step={0.05} prefix="×" />
          </Form.Item>
        </>
      ) : (
        <Form.Item
          name={[index, 'number']}
          className="clause-number"
          rules={[{ required: true, message: t('rules.numberRequired') }]}
        >
          <InputNumber aria-label={t('rules.threshold')} suffix={unit || undefined} style={{ width: '100%' }} />
        </Form.Item>
      )}
      <Button
        type="text"
        icon={<DeleteOutlined />}
        onClick={onRemove}
        disabled={!onRemove}
        aria-label={t('rules.removeClause')}
      />
    </div>
  );
}
