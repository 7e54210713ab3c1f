// @ts-check
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const port = process.env.PORT ? Number(process.env.PORT) : undefined;

/**
 * Vite's React setup; `VITE_AI_CHAT_SERVER` (read in src/app.jsx) says where the chat server is, and `PORT` where the
 * dev server (5173) or the preview (4173) listens.
 */
export default defineConfig({
  plugins: [react()],
  server: { port: port ?? 5173, strictPort: port !== undefined, host: '127.0.0.1' },
  preview: { port: port ?? 4173, strictPort: port !== undefined, host: '127.0.0.1' },
});
