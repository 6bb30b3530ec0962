/**
 * One HTTP POST for the webhook channels, its outcome sorted the way retries need: network
 * errors, 5xx and 429 are transient (with `Retry-After`), every other non-2xx is permanent.
 * @module
 */
import { DeliveryError, describeError } from './delivery-error.js';
import { parseRetryAfter } from './retry.js';

/** Per attempt; a receiver slower than this is treated like a network error and retried. */
export const HTTP_TIMEOUT_MS = 10_000;

export async function postJson(
  fetchFn: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string>,
  now: number,
): Promise<void> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'tokenyield-alerts', ...headers },
      body,
      // A redirect would turn the POST into a GET somewhere else; the URL should be fixed instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    throw new DeliveryError(timedOut ? `no answer within ${HTTP_TIMEOUT_MS / 1000} s` : describeError(err), {
      permanent: false,
      cause: err,
    });
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const text = await response.text().catch(() => '');
  const excerpt = text.trim().replace(/\s+/g, ' ').slice(0, 200);
  const message = `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`;
  if (response.status === 429 || response.status >= 500)
    throw new DeliveryError(message, {
      permanent: false,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
    });
  const location = response.headers.get('location');
  throw new DeliveryError(location ? `${message} (redirected to ${location}; fix the URL)` : message, {
    permanent: true,
  });
}
