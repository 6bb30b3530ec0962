/**
 * Builds the dashboard into dist/web, which `tokenyield serve` serves (src/server/http/web.ts).
 * Paths are absolute so `vite build --config web/vite.config.ts` works from any directory.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // ECharts (~190 kB gzipped, tree-shaken) and React change less often than the app: their own
    // chunks stay cached across dashboard releases. ECharts alone is over Vite's 500 kB warning.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
});
