import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Where Chromium is: `CHROMIUM_PATH`, or Debian's package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches the real Chromium the widget tests run in, or fails saying how to get it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with \`apt-get update && apt-get install -y chromium\`, or set CHROMIUM_PATH to a Chromium or Chrome binary.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

/** A fresh context (its own storage, so its own visitor) whose page errors fail the test that reads `errors`. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  // The server's CSP forbids inline scripts; tests inject axe and probes, so they bypass it.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 800 }, ...options });
  const page = await context.newPage();
  // A wait that is never satisfied fails with what it waited for, well before the test's own timeout (20 s), instead
  // of leaving the test to fail only by hanging.
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // The demo page has no favicon; Chromium asks for one anyway.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(message.text());
  });
  return { context, page, errors };
}

/** Runs axe-core in the page and returns the serious and critical violations (none is the goal). */
export async function findSeriousA11yViolations(page: Page): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.evaluate(await readFile(axePath, 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  });
}

/** Waits for the page's finite CSS animations (shadow roots included) to end; endless ones (a typing indicator) are skipped. */
export async function waitForAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    // The element animates inside its shadow root, which document.getAnimations() does not look into.
    const roots: Array<Document | ShadowRoot> = [document];
    for (let index = 0; index < roots.length; index += 1) {
      for (const element of roots[index]!.querySelectorAll('*')) if (element.shadowRoot) roots.push(element.shadowRoot);
    }
    const running = roots.flatMap((root) => root.getAnimations());
    const finite = running.filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
  });
}
