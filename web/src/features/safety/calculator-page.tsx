import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Col, Form, InputNumber, Row, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GB18218_CATEGORIES, GB18218_TABLE1, GB18218_TABLE2, normaliseName } from '../../../../contracts/gb18218.ts';
import type { HazardIdentification, Substance } from '../../../../contracts/safety.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { nameIn, useLang } from './labels.tsx';
import { identify } from './safety-api.ts';
import { WorkingTable } from './working-table.tsx';

interface Values {
  substances: { name?: string; category?: string; quantityT?: number }[];
  exposedPopulation: number;
}

const CAS = /^\d{2,7}-\d{2}-\d$/;

/** The GB 18218-2018 calculator: substances by name or CAS (Table 1), their category, the people within 500 m. */
export function CalculatorPage() {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<HazardIdentification | null>(null);
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
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
  const categories = GB18218_CATEGORIES.map((c) => ({
    value: c,
    label: `${nameIn(GB18218_TABLE2[c] as { zh: string; en: string }, lang)} (Q=${GB18218_TABLE2[c]?.q} t)`,
  }));

  async function run(v: Values) {
    setBusy(true);
    try {
      const substances: Substance[] = v.substances.map((s) => {
        const text = s.name?.trim() ?? '';
        return {
          ...(CAS.test(text) ? { cas: text } : text ? { name: text } : {}),
          ...(s.category ? { category: s.category } : {}),
          quantityT: s.quantityT ?? 0,
        };
      });
      setResult(await identify({ substances, exposedPopulation: v.exposedPopulation ?? 0 }));
    } catch (err) {
      setResult(null);
      if (!applyServerError(form, err)) report(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.calculator')}
        </Typography.Title>
      </div>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('calc.basis')} />
      <Card size="small">
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={run}
          initialValues={{ substances: [{}], exposedPopulation: 0 }}
          data-testid="gb18218-form"
        >
          <Form.List name="substances">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Row gutter={8} key={f.key} align="top">
                    <Col span={9}>
                      <Form.Item
                        name={[f.name, 'name']}
                        label={i === 0 ? t('calc.substanceOrCas') : undefined}
                        rules={[{ required: true }]}
                      >
                        <AutoComplete
                          options={options}
                          onSearch={setSearch}
                          onFocus={() => setSearch('')}
                          placeholder={t('calc.substancePlaceholder')}
                          data-testid={`substance-${i}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item name={[f.name, 'category']} label={i === 0 ? t('calc.category') : undefined}>
                        <Select
                          allowClear
                          showSearch={{ optionFilterProp: 'label' }}
                          options={categories}
                          data-testid={`category-${i}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item
                        name={[f.name, 'quantityT']}
                        label={i === 0 ? t('calc.q') : undefined}
                        rules={[{ required: true }]}
                      >
                        <InputNumber min={0} style={{ width: '100%' }} data-testid={`quantity-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col span={2} style={{ paddingTop: i === 0 ? 30 : 4 }}>
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
                <Button icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 12 }}>
                  {t('calc.add')}
                </Button>
              </>
            )}
          </Form.List>
          <Row gutter={8} align="bottom">
            <Col span={9}>
              <Form.Item name="exposedPopulation" label={t('calc.people')} extra={t('calc.peopleHelp')}>
                <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="population" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="gb18218-run">
                  {t('calc.run')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {result && (
        <Card size="small" style={{ marginTop: 12 }} title={t('calc.result')} data-testid="gb18218-result">
          <WorkingTable result={result} />
        </Card>
      )}
    </div>
  );
}
