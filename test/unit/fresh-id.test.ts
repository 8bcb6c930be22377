import { describe, expect, it } from 'vitest';
import { EventIdTakenError } from '../../shared/domain/coproduction-events';
import { createWithFreshId } from '../../shared/domain/fresh-id';
import { UpdateIdTakenError } from '../../shared/domain/manage-updates';

describe('createWithFreshId', () => {
  it('draws again while the id is taken, and returns what the first free draw stored', async () => {
    const ids = ['taken1', 'taken2', 'free'];
    const tried: string[] = [];
    const stored = await createWithFreshId(async () => {
      const id = ids[tried.length] as string;
      tried.push(id);
      if (id.startsWith('taken')) throw new UpdateIdTakenError(id);
      return { id };
    });
    expect(stored).toEqual({ id: 'free' });
    expect(tried).toEqual(['taken1', 'taken2', 'free']);
  });

  it('gives up after five clashes, passing the last one on', async () => {
    let draws = 0;
    const attempt = createWithFreshId(async () => {
      draws++;
      throw new EventIdTakenError(`id${draws}`);
    });
    await expect(attempt).rejects.toThrow('id5');
    expect(draws).toBe(5);
  });

  it('passes any other failure on at once, without drawing again', async () => {
    let draws = 0;
    const attempt = createWithFreshId(async () => {
      draws++;
      throw new Error('DynamoDB is down');
    });
    await expect(attempt).rejects.toThrow('DynamoDB is down');
    expect(draws).toBe(1);
  });
});
