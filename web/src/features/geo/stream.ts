import { geoKeys } from '../../api/geo.ts';
import type { StreamContext } from '../../app/manifest.ts';
import { bumpStyleEpoch } from '../../map/map-style.ts';

/** A road closure added or cleared: the closures layer and lists are read again. */
export function onClosureChanged({ queryClient }: StreamContext): void {
  void queryClient.invalidateQueries({ queryKey: geoKeys.closures });
}

/** A new road network: new tiles (style reloaded), new catalogue notes, closures re-mapped onto it. */
export function onNetworkSwapped({ queryClient }: StreamContext): void {
  bumpStyleEpoch();
  for (const key of [geoKeys.network, geoKeys.layers, geoKeys.closures, ['map', 'layer-data']])
    void queryClient.invalidateQueries({ queryKey: key });
}
