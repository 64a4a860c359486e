/**
 * An item's size as DynamoDB bills it, for a plain (document client) item: each attribute's
 * name in UTF-8 bytes plus its value: a string's UTF-8 bytes, a number about one byte per two
 * significant digits plus one, a boolean or null one byte, a binary its length, a list or map
 * three bytes plus its elements (a map's names counted too), a set its members.
 * Source: DynamoDB developer guide, "Item sizes and formats". Approximate for numbers.
 */
export function itemSize(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += utf8(name) + valueSize(value);
  return bytes;
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint')
    return (
      Math.ceil(
        String(value)
          .replace(/^-|\.|e.*$/g, '')
          .replace(/^0+/, '').length / 2,
      ) + 1
    );
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce<number>((sum, member) => sum + valueSize(member), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [name, inner]) => sum + 1 + utf8(name) + valueSize(inner), 0);
  return utf8(String(value));
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
