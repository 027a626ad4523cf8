// Imported by path: the repo's tsconfig uses node10 resolution, which ignores vite's `exports`.
import type { UserConfig } from 'vite/dist/node/index.js';
import { precompressPlugin } from '../scripts/precompress'; // scale (issue 11): .br/.gz beside each asset

// The dev server proxies the API and socket.io to a locally running `npm start` (port 3000).
const backend = process.env.FRESHLINK_BACKEND ?? 'http://localhost:3000';

const config: UserConfig = {
  // JSX compiled by Vite's own transformer (Oxc in Vite 8) with Preact's automatic runtime:
  // no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [precompressPlugin()], // scale (issue 11)
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
