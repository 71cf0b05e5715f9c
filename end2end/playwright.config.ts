import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The server under test: the binary cargo-leptos built, on its own port, over a fresh
// SQLite database that it fills with the Bury North demo at first start.
const port = Number(process.env.E2E_PORT ?? 3199);
const bin = process.env.GROUNDWORK_BIN ?? resolve(__dirname, '../target/debug/groundwork');
const siteRoot = resolve(__dirname, '../target/site');
const workdir = mkdtempSync(join(tmpdir(), 'groundwork-e2e-'));
export const DEMO_PASSWORD = 'e2e-demo-password';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: `"${bin}" serve`,
    cwd: workdir,
    url: `http://127.0.0.1:${port}/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      GROUNDWORK_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      GROUNDWORK_DEMO: 'true',
      GROUNDWORK_DEMO_PASSWORD: DEMO_PASSWORD,
      DATABASE_URL: `sqlite:${join(workdir, 'e2e.db')}`,
    },
  },
});
