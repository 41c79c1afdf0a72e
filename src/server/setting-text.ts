/** A SET / SETTINGS value as the text settings are kept in (`true` → `1`, as ClickHouse stores Bool settings). */
export function valueToSettingText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}
