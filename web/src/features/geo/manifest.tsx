import { AimOutlined, EnvironmentOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onClosureChanged, onNetworkSwapped } from './stream.ts';

// the command map opens on the incidents: whoever may read them may open it (road tools need geo.read as well)
const commandMap = route('map', 'incidents.read', () => import('./command-map-page.tsx').then((m) => m.CommandMapPage));
const roadNetworks = route('admin/road-networks', 'roads.import', () =>
  import('./road-networks-page.tsx').then((m) => m.RoadNetworksPage),
);
const places = route('admin/places', 'places.manage', () =>
  import('./place-list-page.tsx').then((m) => m.PlaceListPage),
);

/** The one map and its tools, road closures, the road networks routing runs on, and the place list. */
export const geo: FeatureManifest = {
  name: 'geo',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [commandMap, roadNetworks, places],
  menu: [
    { route: commandMap, icon: <AimOutlined />, label: 'nav.map', order: 10 },
    { route: roadNetworks, icon: <NodeIndexOutlined />, label: 'nav.roadNetworks', group: 'admin', order: 70 },
    { route: places, icon: <EnvironmentOutlined />, label: 'nav.places', group: 'admin', order: 75 },
  ],
  stream: {
    'closure.created': onClosureChanged,
    'closure.cleared': onClosureChanged,
    'network.swapped': onNetworkSwapped,
  },
  map: () => import('./closures-on-map.tsx').then((m) => m.closuresOnMap),
};
