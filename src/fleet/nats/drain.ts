/**
 * Reading a KV watch "until caught up", bounded in time (a watch is an ordered push consumer: it
 * never ends by itself). Caught up = an entry with `delta` (the consumer's num_pending, nats.js
 * kv/src/kv.ts jmToWatchEntry) 0, or at once when the stream holds nothing to deliver.
 */
import type { KV, KvWatchEntry, KvWatchOptions } from '@nats-io/kv';
import { WaitTimeoutError } from '../../transport/wait.js';

export async function drainWatch(kv: KV, opts: KvWatchOptions, pending: number, onEntry: (e: KvWatchEntry) => void, what: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  if (pending === 0) return;
  const iter = await kv.watch(opts);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    iter.stop();
  }, timeoutMs);
  const onAbort = () => iter.stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  let done = false;
  try {
    for await (const e of iter) {
      onEntry(e);
      if (e.delta === 0) {
        done = true;
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    iter.stop();
  }
  if (signal?.aborted) throw signal.reason;
  if (!done) throw timedOut ? new WaitTimeoutError(what, timeoutMs) : new Error(`${what}: the watch ended before it caught up (connection closed?)`);
}
