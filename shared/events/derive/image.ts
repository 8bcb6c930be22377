import { type ItemChange, UnreadableItemError } from '../item-change';

/**
 * Reading named fields of an item image, one at a time. An event takes only the fields a deriver
 * names through these (never a spread of the image), so nothing reaches an event unless someone
 * chose it.
 */
export class ImageReader {
  constructor(
    private readonly pk: string,
    private readonly image: Record<string, unknown>,
  ) {}

  text(field: string): string {
    const value = this.image[field];
    if (typeof value !== 'string' || value === '') throw new UnreadableItemError(this.pk, field);
    return value;
  }

  optionalText(field: string): string | undefined {
    const value = this.image[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new UnreadableItemError(this.pk, field);
    return value;
  }

  count(field: string): number {
    const value = this.image[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw new UnreadableItemError(this.pk, field);
    return value;
  }

  flag(field: string): boolean {
    return this.image[field] === true;
  }

  texts(field: string): string[] {
    const value = this.image[field] ?? [];
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string'))
      throw new UnreadableItemError(this.pk, field);
    return [...value] as string[];
  }

  /** A map of counts, with exactly the keys asked for. */
  counts<K extends string>(field: string, keys: readonly K[]): Record<K, number> {
    const value = this.image[field];
    if (!value || typeof value !== 'object') throw new UnreadableItemError(this.pk, field);
    const inner = new ImageReader(`${this.pk}.${field}`, value as Record<string, unknown>);
    return Object.fromEntries(keys.map((key) => [key, inner.count(key)])) as Record<K, number>;
  }

  /** One of a fixed set of values. */
  oneOf<const V extends string>(field: string, values: readonly V[]): V {
    const value = this.text(field);
    if (!(values as readonly string[]).includes(value)) throw new UnreadableItemError(this.pk, field);
    return value as V;
  }
}

/** The field's value before and after, for "did it change" rules. */
export function changed(change: ItemChange, field: string): boolean {
  const before = change.oldImage?.[field];
  const after = change.newImage?.[field];
  return after !== undefined && after !== null && after !== before;
}

/** `K7QM92PD` → `K7QM-92PD`: feedback and event ids are references without the hyphen. */
export const referenceOfId = (id: string) => `${id.slice(0, 4)}-${id.slice(4)}`;
