/** One page of a list; `cursor` asks for the next and is absent on the last. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}
