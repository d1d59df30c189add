/** The subject of a drill or an annual plan: an enterprise or a government unit (form fields subjectKind + one id). */
import { Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../../api/org.ts';
import { useLang } from '../../components/districts.ts';
import { useEnterpriseChoices } from './drills-api.ts';

export function SubjectFields({
  open,
  subjectKind,
}: {
  open: boolean;
  subjectKind: 'enterprise' | 'unit' | undefined;
}) {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const enterprises = useEnterpriseChoices(open);
  const units = useUnits(open);
  return (
    <>
      <Form.Item name="subjectKind" label={t('field.subject')}>
        <Select
          style={{ width: 130 }}
          options={[
            { value: 'enterprise', label: t('subject.enterprise') },
            { value: 'unit', label: t('subject.unit') },
          ]}
        />
      </Form.Item>
      {subjectKind === 'unit' ? (
        <Form.Item name="unitCode" label={t('subject.unit')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 300 }}
            options={(units.data?.items ?? [])
              .filter((u) => u.kind !== 'enterprise')
              .map((u) => ({ value: u.code, label: lang === 'en' ? u.nameEn || u.name : u.name }))}
          />
        </Form.Item>
      ) : (
        <Form.Item name="enterpriseId" label={t('subject.enterprise')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 300 }}
            loading={enterprises.isLoading}
            options={(enterprises.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))}
            data-testid="subject-enterprise"
          />
        </Form.Item>
      )}
    </>
  );
}
