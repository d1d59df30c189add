import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ExerciseStatus } from '../../../../contracts/exercises.ts';

const STATUS_COLOR: Record<ExerciseStatus, string> = {
  draft: 'default',
  running: 'magenta',
  ended: 'green',
  cancelled: 'default',
};

export function ExerciseStatusTag({ status }: { status: ExerciseStatus }) {
  const { t } = useTranslation('exercises');
  return <Tag color={STATUS_COLOR[status]}>{t(`status.${status}`)}</Tag>;
}
