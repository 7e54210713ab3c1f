import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '@ai-chat/testkit';
import type { Browser, BrowserContextOptions, BrowserContext, Page } from 'playwright-core';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Launches the system's Chromium, or fails saying how to install it (no test here may download a browser). */
export const launchChromium = launchBrowser;

/** A browser context (its own cookies and storage: a visitor of its own) and a page that records its errors. */
export interface BrowserVisitor {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors of the page, so a test can assert the page stayed healthy. */
  errors: string[];
}

/** Opens a context and a page in it. Unlike unit tests, the page keeps the server's real CSP. */
export async function openVisitor(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserVisitor> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...options });
  const page = await context.newPage();
  // A failing step should fail in seconds, not after Playwright's default 30 s.
  context.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads are reported below with their URL instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    // Chromium asks every site for a favicon on its own; the page did not.
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') {
      errors.push(`http ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // Leaving a page cancels its requests in flight; that is the browser's doing, not a failure of the page.
    const reason = request.failure()?.errorText;
    if (reason !== 'net::ERR_ABORTED') errors.push(`failed: ${request.method()} ${request.url()} (${reason})`);
  });
  return { context, page, errors };
}

/** Saves a screenshot of the page as `e2e/artifacts/<suite>/<name>.png` (git-ignored) and returns its path. */
export async function saveScreenshot(page: Page, suite: string, name: string): Promise<string> {
  const folder = `${ARTIFACTS}${suite}/`;
  await mkdir(folder, { recursive: true });
  const path = `${folder}${name}.png`;
  await page.screenshot({ path });
  return path;
}
