import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, PASSWORD_CHANGE_REQUIRED } from '../api/client.ts';

/** A server field name like `casualties.deaths` → the antd form name path. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .replace(/^\//, '')
    .split(/[./]/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Put a server error on the form field it names (when the form has that field) and report the rest.
 * Returns true when the error landed on a field.
 */
export function applyServerError(form: FormInstance | null, err: unknown, knownFields?: string[]): boolean {
  if (!(err instanceof ApiError) || !err.field || !form) return false;
  let path = fieldPath(err.field);
  // `location.coordinates` and similar sub-paths go on the nearest known field
  if (knownFields) {
    const joined = path.join('.');
    const hit = knownFields
      .filter((k) => joined === k || joined.startsWith(`${k}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (!hit) return false;
    path = fieldPath(hit);
  }
  form.setFields([{ name: path, errors: [err.message] }]);
  form.scrollToField(path, { block: 'center' });
  return true;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** What "reload" does after a 409: a function, or refetch this query and close the editor. */
export type OnReload = (() => void) | { refetch: QueryKey; close?: () => void };

/** Shows errors the way a duty officer can act on them: 409 offers a reload, others show the server message. */
export function useErrorReporter() {
  const { message, modal } = App.useApp();
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (err: unknown, reload?: OnReload) => {
    // the shell puts the change-password form in front of everything: no toast on top of it
    if (err instanceof ApiError && err.code === PASSWORD_CHANGE_REQUIRED) return;
    const onReload =
      typeof reload === 'function'
        ? reload
        : reload
          ? () => {
              void qc.invalidateQueries({ queryKey: reload.refetch });
              reload.close?.();
            }
          : undefined;
    if (err instanceof ApiError && err.status === 409) {
      modal.confirm({
        title: t('conflict.title'),
        content: err.message || t('conflict.body'),
        okText: t('conflict.reload'),
        cancelText: t('cancel'),
        onOk: () => onReload?.(),
      });
      return;
    }
    void message.error(errorMessage(err));
  };
}
