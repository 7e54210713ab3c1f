import type { Page } from 'playwright-core';

/**
 * Opens the demo page of `server` and replaces its body with the given markup and its styles with `css` (the element
 * is already defined by the page's script): a host page of the test's own making.
 */
export async function showOnly(page: Page, server: string, markup: string, css = ''): Promise<void> {
  await page.goto(server);
  await page.evaluate(({ markup, css }) => {
    document.head.querySelectorAll('style').forEach((style) => style.remove());
    document.head.insertAdjacentHTML('beforeend', `<style>${css}</style>`);
    document.body.innerHTML = markup;
  }, { markup, css });
}
