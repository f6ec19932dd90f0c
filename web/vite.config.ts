import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The built files are embedded into the skillbridge binary (crates/web/src/assets.rs), which
// serves index.html at / and every other file flat under /assets/. So: no public/ folder, and
// nothing may be emitted outside dist/assets/.
//
// `npm run dev` serves the pages with hot reload and passes /api to a running server
// (SKILLBRIDGE_URL, default http://127.0.0.1:8080), with the Origin that its CSRF guard expects.
const target = process.env.SKILLBRIDGE_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  base: '/',
  publicDir: false,
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': {
        target,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', target)
          })
        },
      },
    },
  },
})
