import { Alert, Button, Card, Col, Form, InputNumber, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HazardIdentification } from '../../../../contracts/safety.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { identify } from './safety-api.ts';
import { type SubstanceRow, SubstanceRows, toSubstance } from './substance-input.tsx';
import { WorkingTable } from './working-table.tsx';

interface Values {
  substances: SubstanceRow[];
  exposedPopulation: number;
}

/** The GB 18218-2018 calculator: substances by name or CAS (Table 1), their category, the people within 500 m. */
export function CalculatorPage() {
  const { t } = useTranslation('safety');
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<HazardIdentification | null>(null);
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();

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
          <SubstanceRows
            list="substances"
            quantityLabel={t('calc.q')}
            testIds={{ name: 'substance', category: 'category', quantity: 'quantity' }}
            nameRequired
          />
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
