// Imported by path: the repo's tsconfig uses node10 resolution, which ignores vite's `exports`.
import type { UserConfig } from 'vite/dist/node/index.js';
import { precompressPlugin } from '../scripts/precompress'; // scale (issue 11): .br/.gz beside each asset
import { VitePWA } from 'vite-plugin-pwa';

// The dev server proxies the API and socket.io to a locally running `npm start` (port 3000).
const backend = process.env.FRESHLINK_BACKEND ?? 'http://localhost:3000';

const config: UserConfig = {
  // JSX compiled by Vite's own transformer (Oxc in Vite 8) with Preact's automatic runtime:
  // no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [
    precompressPlugin(), // scale (issue 11)
    // Installable and offline (docs/offline.md): the shell is precached; the last board, lots, offers and
    // orders read are answered from the cache when the network is gone. The new version waits for "reload".
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: '鲜链 FreshLink',
        short_name: '鲜链',
        description: '生鲜直供市场 · Fresh produce market',
        lang: 'zh-CN',
        start_url: '/#/',
        scope: '/',
        display: 'standalone',
        theme_color: '#1f6f3d',
        background_color: '#ffffff',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//],
        cleanupOutdatedCaches: true,
        // The first visit's page is controlled at once, so what it reads is kept for offline.
        clientsClaim: true,
        runtimeCaching: [
          {
            // What a person reads: network first (fresh when online), the last answer when offline.
            urlPattern: ({ url, request }) =>
              request.method === 'GET' &&
              /^\/api\/(me|catalogue|lots|offers|orders|demand|standing-orders|capacity)(\/|\?|$)/.test(
                url.pathname + url.search,
              ),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'freshlink-last-read',
              networkTimeoutSeconds: 4,
              expiration: { maxEntries: 60, maxAgeSeconds: 3 * 24 * 3600 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
};

export default config;
