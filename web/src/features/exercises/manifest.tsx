import { AimOutlined } from '@ant-design/icons';
import { type FeatureManifest, route, type StreamHandler } from '../../app/manifest.ts';
import { ExerciseBanner } from './exercise-banner.tsx';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const list = route('exercises', 'exercises.read', () => import('./exercises-page.tsx').then((m) => m.ExercisesPage));
const create = route('exercises/new', 'exercises.run', () =>
  import('./exercise-editor.tsx').then((m) => m.NewExercisePage),
);
const edit = route('exercises/:id/edit', 'exercises.run', () =>
  import('./exercise-editor.tsx').then((m) => m.EditExercisePage),
);
const console_ = route('exercises/:id', 'exercises.read', () =>
  import('./exercise-page.tsx').then((m) => m.ExercisePage),
);

const refresh: StreamHandler = ({ queryClient }) => void queryClient.invalidateQueries({ queryKey: ['exercises'] });
/** an incident's log grew (acknowledged, level, plan, dispatch): a running console's measured times follow */
const measured: StreamHandler = ({ queryClient }) =>
  void queryClient.invalidateQueries({ queryKey: ['exercises', 'detail'] });

/** Drill mode (演练): exercises, their injects and console, measured response times, the evaluation report. */
export const exercises: FeatureManifest = {
  name: 'exercises',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [list, create, edit, console_],
  menu: [{ route: list, icon: <AimOutlined />, label: 'nav.exercises', order: 36 }],
  header: ExerciseBanner,
  stream: {
    'exercise.started': refresh,
    'exercise.ended': refresh,
    'exercise.changed': refresh,
    'exercise.inject_played': refresh,
    'incident.log_added': measured,
  },
};
