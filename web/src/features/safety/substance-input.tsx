import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Col, Form, InputNumber, Row, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GB18218_CATEGORIES, GB18218_TABLE1, GB18218_TABLE2, normaliseName } from '../../../../contracts/gb18218.ts';
import type { Substance } from '../../../../contracts/safety.ts';
import { nameIn, useLang } from './labels.tsx';

const CAS = /^\d{2,7}-\d{2}-\d$/;

/** One substance as a form holds it: a name or CAS number in one box, the Table 2 category, q in t. */
export interface SubstanceRow {
  name?: string;
  category?: string;
  quantityT?: number | null;
}

/** A form's row as the contract's Substance: text that looks like a CAS number is the CAS. */
export function toSubstance(s: SubstanceRow | undefined): Substance {
  const text = s?.name?.trim() ?? '';
  return {
    ...(CAS.test(text) ? { cas: text } : text ? { name: text } : {}),
    ...(s?.category ? { category: s.category } : {}),
    quantityT: s?.quantityT ?? 0,
  };
}

/** A stored Substance as a form's row. */
export const toRow = (s: Substance): SubstanceRow => ({
  name: s.name ?? s.cas ?? '',
  ...(s.category ? { category: s.category } : {}),
  quantityT: s.quantityT,
});

/** GB 18218-2018 Table 2 categories as select options, with their critical quantity. */
export function categoryOptions(lang: string) {
  return GB18218_CATEGORIES.map((c) => ({
    value: c,
    label: `${nameIn(GB18218_TABLE2[c] as { zh: string; en: string }, lang)} (Q=${GB18218_TABLE2[c]?.q} t)`,
  }));
}

/** A substance by name, alias or CAS number, suggested from GB 18218-2018 Table 1; any other name may be typed. */
export function SubstanceInput(props: {
  /** from Form.Item: the label's target and where a field error scrolls to */
  id?: string;
  value?: string;
  onChange?: (v: string) => void;
  placeholder?: string;
  'data-testid'?: string;
}) {
  const [search, setSearch] = useState('');
  const options = useMemo(() => {
    const q = normaliseName(search);
    return GB18218_TABLE1.filter(
      (e) =>
        !q ||
        normaliseName(e.name).includes(q) ||
        e.aliases.some((a) => normaliseName(a).includes(q)) ||
        e.cas.some((c) => c.startsWith(q)),
    )
      .slice(0, 30)
      .map((e) => ({ value: e.name, label: `${e.name}${e.cas[0] ? `  ${e.cas[0]}` : ''}  Q=${e.q} t` }));
  }, [search]);
  return (
    <AutoComplete
      id={props.id}
      value={props.value}
      onChange={props.onChange}
      options={options}
      onSearch={setSearch}
      onFocus={() => setSearch('')}
      placeholder={props.placeholder}
      data-testid={props['data-testid']}
    />
  );
}

type Status = { validateStatus?: 'warning'; help?: string };

/**
 * The substances of a unit as editable rows (name or CAS, Table 2 category, quantity in t), for the calculator and
 * the hazard unit form. `status` puts a live refusal on its box (path `<list>.N.name|category`).
 */
export function SubstanceRows({
  list,
  quantityLabel,
  testIds,
  nameRequired,
  categoryPlaceholder,
  status = () => ({}),
}: {
  list: string;
  quantityLabel: string;
  testIds: { name: string; category: string; quantity: string };
  nameRequired?: boolean;
  categoryPlaceholder?: string;
  status?: (path: string) => Status;
}) {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const categories = useMemo(() => categoryOptions(lang), [lang]);
  return (
    <Form.List name={list}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f, i) => (
            <Row gutter={8} key={f.key} align="top">
              <Col span={10}>
                <Form.Item
                  name={[f.name, 'name']}
                  label={i === 0 ? t('calc.substanceOrCas') : undefined}
                  rules={nameRequired ? [{ required: true }] : []}
                  {...status(`${list}.${f.name}.name`)}
                >
                  <SubstanceInput placeholder={t('calc.substancePlaceholder')} data-testid={`${testIds.name}-${i}`} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item
                  name={[f.name, 'category']}
                  label={i === 0 ? t('calc.category') : undefined}
                  {...status(`${list}.${f.name}.category`)}
                >
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={categories}
                    placeholder={categoryPlaceholder}
                    data-testid={`${testIds.category}-${i}`}
                  />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item
                  name={[f.name, 'quantityT']}
                  label={i === 0 ? quantityLabel : undefined}
                  rules={[{ required: true }]}
                >
                  <InputNumber
                    min={0}
                    max={10_000_000}
                    style={{ width: '100%' }}
                    data-testid={`${testIds.quantity}-${i}`}
                  />
                </Form.Item>
              </Col>
              <Col span={1} style={{ paddingTop: i === 0 ? 30 : 4 }}>
                {fields.length > 1 && (
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('calc.remove')}
                    onClick={() => remove(f.name)}
                  />
                )}
              </Col>
            </Row>
          ))}
          <Button
            icon={<PlusOutlined />}
            onClick={() => add({})}
            disabled={fields.length >= 200}
            style={{ marginBottom: 12 }}
          >
            {t('calc.add')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
