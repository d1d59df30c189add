import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBook } from './duty-api.ts';

/** A user of Anlan picked from the contact book, by name or pinyin initials. */
export function UserSelect({
  value,
  onChange,
  mode,
  testId,
}: {
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  mode?: 'multiple';
  testId?: string;
}) {
  const { t } = useTranslation('duty');
  const [q, setQ] = useState('');
  const book = useBook({ kind: 'user', q: q || undefined, limit: 50 });
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      mode={mode}
      value={value}
      onChange={onChange}
      loading={book.isLoading}
      placeholder={t('user.pick')}
      data-testid={testId}
      options={(book.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.unitName}` }))}
      notFoundContent={t('user.none')}
    />
  );
}
