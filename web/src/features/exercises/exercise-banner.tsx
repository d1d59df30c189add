import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useRunningExercises } from './exercises-api.ts';

/** In the header of every page while an exercise runs: 演练进行中 and its title, linking to its console. */
export function ExerciseBanner() {
  const { t } = useTranslation('exercises');
  const user = useCurrentUser();
  const running = useRunningExercises(can(user, 'exercises.read'));
  const list = running.data ?? [];
  if (list.length === 0) return null;
  return (
    <span className="exercise-banner" role="status">
      {list.map((e) => (
        <Link key={e.id} to={`/exercises/${e.id}`}>
          <Tag color="magenta" style={{ fontWeight: 600, marginInlineEnd: 4 }}>
            {t('banner', { title: e.title })}
          </Tag>
        </Link>
      ))}
    </span>
  );
}

/** The 演练 tag beside a drill record's title (incidents, warnings: their features draw their own from the mark). */
export function DrillTag() {
  const { t } = useTranslation('exercises');
  return <Tag color="magenta">{t('tag')}</Tag>;
}
