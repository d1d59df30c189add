import { AimOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onClosureChanged, onNetworkSwapped } from './stream.ts';

// the command map opens on the incidents: whoever may read them may open it (road tools need geo.read as well)
const commandMap = route('map', 'incidents.read', () => import('./command-map-page.tsx').then((m) => m.CommandMapPage));
const roadNetworks = route('admin/road-networks', 'roads.import', () =>
  import('./road-networks-page.tsx').then((m) => m.RoadNetworksPage),
);

/** The one map and its tools, road closures, and the road networks routing runs on. */
export const geo: FeatureManifest = {
  name: 'geo',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [commandMap, roadNetworks],
  menu: [
    { route: commandMap, icon: <AimOutlined />, label: 'nav.map', order: 10 },
    { route: roadNetworks, icon: <NodeIndexOutlined />, label: 'nav.roadNetworks', group: 'admin', order: 70 },
  ],
  stream: {
    'closure.created': onClosureChanged,
    'closure.cleared': onClosureChanged,
    'network.swapped': onNetworkSwapped,
  },
  map: () => import('./closures-on-map.tsx').then((m) => m.closuresOnMap),
};
