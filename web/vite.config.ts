// Builds the browser client (web/src) into web/dist, which the server serves at /.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import b24ui from '@bitrix24/b24ui-nuxt/vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [
    vue(),
    // No router (one screen), no dark mode, components auto-imported as <B24Xxx> without generated .d.ts files.
    b24ui({ router: false, colorMode: false, dts: false }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev:web` proxies the REST API to a local b24im server.
    proxy: { '/rest': process.env.B24IM_URL ?? 'http://localhost:8080' },
  },
});
