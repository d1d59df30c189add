import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookEntry } from '../../../../contracts/duty.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { createContact, deleteContact, dutyKeys, useBook, useDepartments } from './duty-api.ts';

/** The contact book: departments and people (users and external contacts), searched by name, pinyin initials, phone. */
export function ContactsPage() {
  const { t } = useTranslation('duty');
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const me = useCurrentUser();
  const manage = can(me, 'duty.contacts');
  const [q, setQ] = useState('');
  const [unit, setUnit] = useState<string | undefined>();
  const [kind, setKind] = useState<'all' | 'user' | 'external'>('all');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [form] = Form.useForm();
  const departments = useDepartments();
  const book = useBook({
    q: q.trim() || undefined,
    unit,
    kind: kind === 'all' ? undefined : kind,
    limit: 50,
    offset: (page - 1) * 50,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: dutyKeys.all });

  return (
    <div className="page" data-testid="contacts-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('contacts.title')}
        </Typography.Title>
        <Input.Search
          allowClear
          placeholder={t('contacts.search')}
          style={{ width: 280 }}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
          data-testid="contacts-search"
        />
        <Select
          allowClear
          style={{ minWidth: 200 }}
          placeholder={t('contacts.department')}
          value={unit}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(v) => {
            setUnit(v);
            setPage(1);
          }}
          options={(departments.data?.items ?? []).map((d) => ({ value: d.code, label: `${d.name} (${d.people})` }))}
        />
        <Segmented
          value={kind}
          onChange={(v) => setKind(v as typeof kind)}
          options={[
            { value: 'all', label: t('contacts.all') },
            { value: 'user', label: t('contacts.users') },
            { value: 'external', label: t('contacts.external') },
          ]}
        />
        {manage && (
          <>
            <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('contacts.add')}
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('contacts.import')}
            </Button>
          </>
        )}
        <ExportButton path="/duty/contacts/export.xlsx" query={{}} fileName="contacts.xlsx">
          {t('contacts.export')}
        </ExportButton>
      </Space>
      {book.error && <Alert type="error" showIcon title={errorMessage(book.error)} />}
      <Table<BookEntry>
        rowKey={(r) => `${r.kind}-${r.id}`}
        size="small"
        loading={book.isLoading}
        dataSource={book.data?.items ?? []}
        locale={{ emptyText: t('contacts.empty') }}
        pagination={{
          current: page,
          pageSize: 50,
          total: book.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          {
            title: t('contacts.name'),
            dataIndex: 'name',
            render: (v: string, r) => (
              <Space>
                {v}
                <Tag color={r.kind === 'user' ? 'blue' : 'default'}>{t(`contacts.kind.${r.kind}`)}</Tag>
              </Space>
            ),
          },
          { title: t('contacts.titleCol'), dataIndex: 'title' },
          { title: t('contacts.unit'), dataIndex: 'unitName', render: (v: string, r) => v || r.organisation },
          {
            title: t('contacts.phones'),
            dataIndex: 'phones',
            render: (v: string[]) =>
              v.map((p) => (
                <div key={p}>
                  <Typography.Text copyable={!p.includes('*')}>{p}</Typography.Text>
                </div>
              )),
          },
          {
            title: '',
            width: 48,
            render: (_: unknown, r) =>
              manage && r.kind === 'external' ? (
                <Button
                  type="text"
                  danger
                  aria-label={t('contacts.delete')}
                  icon={<DeleteOutlined />}
                  onClick={() =>
                    modal.confirm({
                      title: t('contacts.deleteConfirm', { name: r.name }),
                      onOk: async () => {
                        try {
                          await deleteContact(r.id);
                          refresh();
                        } catch (err) {
                          message.error(errorMessage(err));
                        }
                      },
                    })
                  }
                />
              ) : null,
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('contacts.add')}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            try {
              await createContact({
                ...v,
                phones: String(v.phones)
                  .split(/[、,，;；\s]+/)
                  .filter(Boolean),
              });
              setAdding(false);
              form.resetFields();
              refresh();
            } catch (err) {
              if (!applyServerError(form, err)) message.error(errorMessage(err));
            }
          }}
        >
          <Form.Item name="name" label={t('contacts.name')} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="title" label={t('contacts.titleCol')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="unit" label={t('contacts.department')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(departments.data?.items ?? []).map((d) => ({ value: d.code, label: d.name }))}
            />
          </Form.Item>
          <Form.Item name="organisation" label={t('contacts.organisation')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="phones"
            label={t('contacts.phones')}
            rules={[{ required: true }]}
            extra={t('contacts.phonesHelp')}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="duty/contacts"
        title={t('contacts.title')}
        onImported={refresh}
      />
    </div>
  );
}
