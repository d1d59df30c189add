import { Drawer, Form, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DrawerFooter } from '../../components/form-drawer.tsx';

/** The safety feature's editing drawer: a vertical form, the shared footer, Ctrl+Enter (⌘+Enter) saves. */
export function SafetyFormDrawer<V>(props: {
  open: boolean;
  onClose: () => void;
  width: number;
  title: string;
  note: string;
  busy: boolean;
  form: FormInstance<V>;
  onFinish: (v: V) => void;
  onValuesChange?: (changed: Partial<V>) => void;
  /** the form's data-testid; its submit button's is `<testId>-save` */
  testId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation('safety');
  const { form } = props;
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      width={props.width}
      title={props.title}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={props.note}
          busy={props.busy}
          submitLabel={t('form.save')}
          onCancel={props.onClose}
          onSubmit={() => form.submit()}
          testId={`${props.testId}-save`}
        />
      }
    >
      <Form<V>
        form={form}
        layout="vertical"
        onFinish={props.onFinish}
        {...(props.onValuesChange ? { onValuesChange: props.onValuesChange } : {})}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.submit();
          }
        }}
        scrollToFirstError
        data-testid={`${props.testId}-form`}
      >
        {props.children}
      </Form>
    </Drawer>
  );
}
