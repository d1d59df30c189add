import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const target = process.env.ANLAN_API_URL ?? 'http://127.0.0.1:3000';

/**
 * Lists every built file in `sw-precache.json` with a version (a hash of the names, which carry the contents' hashes):
 * the service worker (web/public/sw.js) keeps them all, so the field app opens offline, and drops the previous
 * version's files when a new build is served.
 */
function precacheManifest(): Plugin {
  return {
    name: 'anlan-precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map') && f !== 'index.html')
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      this.emitFile({ type: 'asset', fileName: 'sw-precache.json', source: JSON.stringify({ version, files }) });
    },
  };
}

// The web app must work on government intranets without internet: everything it needs is bundled
// from node_modules (no CDN, no web fonts, no online map tiles or glyphs).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react(), precacheManifest()],
  build: {
    outDir: fileURLToPath(new URL('./web/dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component)/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target, changeOrigin: false },
      '/healthz': { target, changeOrigin: false },
      // the SPA has a /map page: proxy only the style and glyphs under it
      '/map/style.json': { target, changeOrigin: false },
      '/map/glyphs': { target, changeOrigin: false },
      '/tiles': { target, changeOrigin: false },
    },
  },
});
