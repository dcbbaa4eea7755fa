/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `make dev-frontend`: the API is the running gateway (make up); the dev server proxies to it so
// the refresh cookie stays same-origin exactly as in production (gateway serves dist at /).
const gateway = process.env.GATEWAY_URL ?? "http://localhost:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/api": { target: gateway, changeOrigin: true },
      "/.well-known": { target: gateway, changeOrigin: true },
    },
  },
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 800 },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    // The machine (and CI) is shared: typing-heavy component tests get room, not a flaky 5 s.
    testTimeout: 30_000,
  },
});
