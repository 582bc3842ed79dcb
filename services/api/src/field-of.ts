/** A validation error's place as a field name: "/utm/source" → "utm.source"; a missing or extra property names itself. */
export function fieldOf(instancePath: string, params: Record<string, unknown> | undefined): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = params?.missingProperty ?? (params?.requiredProperties as string[] | undefined)?.[0];
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing;
  const extra = (params?.additionalProperties as string[] | undefined)?.[0] ?? params?.additionalProperty;
  if (typeof extra === 'string') return path ? `${path}.${extra}` : extra;
  return path;
}
