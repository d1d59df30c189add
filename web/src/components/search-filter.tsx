/**
 * The search box of a register's filter bar: typed freely, applied on Enter or when it loses focus, removed at
 * once when emptied; it shows the applied term again whenever the filters change from elsewhere (reset, a link).
 */
import { SearchOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { useEffect, useState } from 'react';

export function SearchFilter({
  value,
  onSearch,
  placeholder,
  width,
  testId,
}: {
  /** the applied term (from the address) */
  value: string | undefined;
  /** a new term to apply, undefined to remove it */
  onSearch: (q: string | undefined) => void;
  placeholder: string;
  width: number;
  testId: string;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const apply = () => {
    const q = text.trim() || undefined;
    if (q !== value) onSearch(q);
  };
  return (
    <Input
      allowClear
      prefix={<SearchOutlined />}
      placeholder={placeholder}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        if (!e.target.value) onSearch(undefined);
      }}
      onPressEnter={apply}
      onBlur={apply}
      style={{ width }}
      data-testid={testId}
    />
  );
}
