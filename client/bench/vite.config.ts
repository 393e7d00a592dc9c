/**
 * Build of the benchmark's bare-tldraw page (`bare.ts`) into `BARE_OUT_DIR`: production React and
 * tldraw from the client's own dependencies, nothing of the app.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: process.env.BARE_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
  },
})
