// @ts-check
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Vite's React setup; `VITE_AI_CHAT_SERVER` (read in src/app.jsx) says where the chat server is. */
export default defineConfig({
  plugins: [react()],
  server: { port: 5173, host: '127.0.0.1' },
  preview: { port: 4173, host: '127.0.0.1' },
});
