import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, InputNumber, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HazardIdentification } from '../../../../contracts/safety.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { useLang } from './labels.tsx';
import { identify } from './safety-api.ts';
import { categoryOptions, SubstanceInput, type SubstanceRow, toSubstance } from './substance-input.tsx';
import { WorkingTable } from './working-table.tsx';

interface Values {
  substances: SubstanceRow[];
  exposedPopulation: number;
}

/** The GB 18218-2018 calculator: substances by name or CAS (Table 1), their category, the people within 500 m. */
export function CalculatorPage() {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<HazardIdentification | null>(null);
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const categories = categoryOptions(lang);

  async function run(v: Values) {
    setBusy(true);
    try {
      const substances = v.substances.map(toSubstance);
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
                        <SubstanceInput placeholder={t('calc.substancePlaceholder')} data-testid={`substance-${i}`} />
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
