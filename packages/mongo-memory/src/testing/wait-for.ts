/**
 * Runs `check` until it passes (a condition, checked every 25 ms), or rethrows its last failure after `timeoutMs`:
 * a bound generous enough for a machine with both cores busy, never a measurement.
 */
export async function waitFor(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
