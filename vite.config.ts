// Builds the Lit client into dist/client; in dev, proxies the API and the socket to the server.
import { defineConfig } from 'vite';

const serverPort = Number(process.env.PORT ?? 3000);
const server = `http://127.0.0.1:${serverPort}`;

export default defineConfig({
  root: 'client',
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: true },
  server: {
    port: Number(process.env.VITE_PORT ?? 5173),
    strictPort: true,
    // Keys starting with ^ are regular expressions; plain keys are prefixes, and '/api' would also
    // send the module /api.ts to the server (which answers it with the page: a blank screen).
    proxy: {
      '^/api/': server,
      '^/healthz$': server,
      '^/socket.io/': { target: server, ws: true },
    },
  },
});
