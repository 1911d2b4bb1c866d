/**
 * `fn` over `items` with at most `limit` calls in flight, results in input order. Object stores
 * reward a few parallel requests (S3 latency is per request, bandwidth is per connection) but
 * not hundreds at once, which exhaust sockets and memory.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
