export { emptyGlyphs, GLYPHS_DIR, glyphRange } from './glyphs.ts';
export {
  BASEMAP_COLORS,
  BASEMAP_COLORS_DARK,
  buildStyle,
  MAP_THEMES,
  type MapTheme,
  SYNTHETIC_ATTRIBUTION,
} from './map-style.ts';
export { tileRoutes } from './tiles.routes.ts';
export { createTileService, type TileDeps, type TileNetwork, type TileService } from './tiles.service.ts';
