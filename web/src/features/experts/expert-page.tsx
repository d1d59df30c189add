import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { EXPERT_TITLE_INFO } from '../../../../contracts/experts.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ExpertFormDrawer } from './expert-form-drawer.tsx';
import { useExpert } from './experts-api.ts';
import { FieldTags, localTime, nameIn, useDistrictLabel, useLang } from './labels.tsx';

/** One expert: fields, title, organisation, contacts (masked without personal data access), availability. */
export function ExpertPage() {
  const { id } = useParams();
  const { t } = useTranslation('experts');
  const lang = useLang();
  const user = useCurrentUser();
  const q = useExpert(id);
  const districtLabel = useDistrictLabel();
  const [editing, setEditing] = useState(false);
  if (q.isLoading) return <Skeleton active className="page" />;
  if (q.isError || !q.data)
    return <Result status="warning" title={t('page.notLoaded')} subTitle={errorMessage(q.error)} />;
  const e = q.data;
  return (
    <div className="page">
      <div className="page-head">
        <Space>
          <Link to="/experts">{t('nav.register')}</Link>
          <span>/</span>
          <Typography.Title level={4} className="page-title">
            {e.name}
          </Typography.Title>
          {e.demo && <Tag>{t('common:demoShort')}</Tag>}
        </Space>
        {can(user, 'experts.manage') && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-expert">
            {t('common:edit')}
          </Button>
        )}
      </div>
      {!e.active && <Alert type="info" showIcon title={t('page.inactive')} style={{ marginBottom: 12 }} />}
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('field.fields')} span={2}>
            <FieldTags fields={e.fields} />
          </Descriptions.Item>
          <Descriptions.Item label={t('field.speciality')}>{e.speciality || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.title')}>
            {nameIn(EXPERT_TITLE_INFO[e.title], lang)}
            {e.titleText ? `（${e.titleText}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.organisation')}>{e.organisation}</Descriptions.Item>
          <Descriptions.Item label={t('field.district')}>
            {e.district ? districtLabel(e.district) : t('form.cityWide')}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.phones')}>{e.phones.join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.email')}>{e.email || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.availability')}>
            {e.availableNow ? (
              <Tag color="green">{t('status.available')}</Tag>
            ) : (
              <Tag color="orange">
                {e.availability.until
                  ? t('status.unavailableUntil', { day: e.availability.until })
                  : e.active
                    ? t('status.unavailable')
                    : t('status.inactive')}
              </Tag>
            )}
            {e.availability.reason}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.updatedAt')}>{localTime(e.updatedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('field.notes')} span={2}>
            {e.notes || '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <ExpertFormDrawer open={editing} expert={e} onClose={() => setEditing(false)} />
    </div>
  );
}
