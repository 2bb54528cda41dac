/** Groups batched rows by their `userId`, keeping order; every asked-for user gets an entry only if it has rows. */
export function groupByUser<Row extends { userId: string }>(
  rows: readonly Row[],
): Map<string, Omit<Row, 'userId'>[]> {
  const byUser = new Map<string, Omit<Row, 'userId'>[]>();
  for (const { userId, ...rest } of rows) {
    const list = byUser.get(userId) ?? [];
    list.push(rest);
    byUser.set(userId, list);
  }
  return byUser;
}
