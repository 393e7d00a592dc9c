/**
 * Build of the Drawbridge client: React, the PWA (manifest + a service worker that precaches the
 * app shell and tldraw's self-hosted fonts, icons and translations), and a dev proxy to the server.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { tiptapSchemaOnce } from './build/tiptapSchemaOnce'

const SERVER = process.env.DRAWBRIDGE_SERVER ?? 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [
    react(),
    tiptapSchemaOnce(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false, // registered from src/offline/serviceWorker.ts (no inline script: CSP)
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Drawbridge',
        short_name: 'Drawbridge',
        description: 'A collaborative whiteboard that works offline.',
        theme_color: '#1d4ed8',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: '/pwa-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/pwa-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/pwa-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,json,woff2,woff,webmanifest}'],
        // tldraw's main chunk is ~2 MB; precache it whole so the board opens offline.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/yjs\//, /^\/socket\.io\//, /^\/healthz/, /^\/metrics/],
        // A board's files are immutable (content-addressed): once seen, they show offline too. Only
        // whole-file GETs are cached; uploads (POST) and every other /api request go to the network.
        runtimeCaching: [
          {
            urlPattern: ({ url, request }) =>
              request.method === 'GET' &&
              url.origin === self.location.origin &&
              url.pathname.startsWith('/api/assets/') &&
              !request.headers.has('range'),
            method: 'GET',
            handler: 'CacheFirst',
            options: {
              cacheName: 'drawbridge-assets',
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 500, maxAgeSeconds: 30 * 24 * 3600 },
            },
          },
        ],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  server: {
    proxy: {
      '/api': SERVER,
      '/yjs': { target: SERVER.replace(/^http/, 'ws'), ws: true },
      // Co-pilot job events (socket.io: long-polling first, then a WebSocket upgrade).
      '/socket.io': { target: SERVER, ws: true },
    },
  },
  // Maps are written for error reports but not referenced from the bundles, and the server never
  // serves `.map` files (server/src/http/staticFiles.ts).
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden', chunkSizeWarningLimit: 4096 },
})
