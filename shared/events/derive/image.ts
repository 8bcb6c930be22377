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

  optionalCount(field: string): number | undefined {
    return this.image[field] === undefined || this.image[field] === null ? undefined : this.count(field);
  }

  /** A list of maps (a complaint's stage records), each read the same way; none when absent. */
  maps(field: string): ImageReader[] {
    const value = this.image[field] ?? [];
    if (!Array.isArray(value) || value.some((entry) => !entry || typeof entry !== 'object'))
      throw new UnreadableItemError(this.pk, field);
    return value.map(
      (entry, i) => new ImageReader(`${this.pk}.${field}[${i}]`, entry as Record<string, unknown>),
    );
  }

  /** A map, read the same way; undefined when absent. */
  map(field: string): ImageReader | undefined {
    const value = this.image[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new UnreadableItemError(this.pk, field);
    return new ImageReader(`${this.pk}.${field}`, value as Record<string, unknown>);
  }

  /** A map that must be there. */
  requiredMap(field: string): ImageReader {
    const found = this.map(field);
    if (!found) throw new UnreadableItemError(this.pk, field);
    return found;
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
