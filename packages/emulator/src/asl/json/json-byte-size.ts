import { isRawNumber } from './java-json';

/** Sizes of objects and arrays already measured: values are never modified once built, so a size stays true. */
const sizes = new WeakMap<object, number>();
const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

function stringSize(text: string): number {
  return PLAIN.test(text) ? text.length + 2 : Buffer.byteLength(JSON.stringify(text));
}

/**
 * The size in bytes of a JSON value's compact UTF-8 text, as Step Functions measures payloads against its 256 KiB
 * quota. Objects and arrays remember their size, so a state whose output shares most of its input is measured in the
 * time its new parts take.
 * @example
 * jsonByteSize({ a: 'é' }); // 10, the size of {"a":"é"}
 */
export function jsonByteSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringSize(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (isRawNumber(value)) return value.rawJSON.length;
      const cached = sizes.get(value);
      if (cached !== undefined) return cached;
      let size = 2;
      if (Array.isArray(value)) {
        for (const item of value) size += item === undefined ? 4 : jsonByteSize(item);
        size += Math.max(0, value.length - 1);
      } else {
        let count = 0;
        for (const [key, item] of Object.entries(value)) {
          if (item === undefined) continue;
          size += stringSize(key) + 1 + jsonByteSize(item);
          count++;
        }
        size += Math.max(0, count - 1);
      }
      sizes.set(value, size);
      return size;
    }
    default:
      return 0;
  }
}
