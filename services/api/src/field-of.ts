/**
 * A validation error's place as a field name: "/utm/source" → "utm.source",
 * "/conversions/3/currency" → "conversions[3].currency"; a missing or extra
 * property names itself.
 */
export function fieldOf(instancePath: string, params: Record<string, unknown> | undefined): string {
  const path = instancePath
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replaceAll('/', '.');
  const missing = params?.missingProperty ?? (params?.requiredProperties as string[] | undefined)?.[0];
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing;
  const extra = (params?.additionalProperties as string[] | undefined)?.[0] ?? params?.additionalProperty;
  if (typeof extra === 'string') return path ? `${path}.${extra}` : extra;
  return path;
}
