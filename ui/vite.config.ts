/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The Tauri shell loads ui/dist (tauri.conf.json: frontendDist = "../ui/dist").
// Relative base so the built files work from any origin the webview uses.
export default defineConfig({
  base: "./",
  plugins: [svelte()],
  // Component tests (happy-dom) mount Svelte's client runtime, not its server build.
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    sourcemap: false,
    // One small bundle; nothing loaded from elsewhere.
    assetsInlineLimit: 0,
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    env: { TZ: "UTC" },
  },
});
