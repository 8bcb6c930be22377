import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasGroup, officerOf } from '../../shared/auth/officer';
import { changesBetween } from '../../shared/domain/history';
import { apiEvent } from '../support/events';

const withClaims = (claims: Record<string, string>) => apiEvent({ path: '/officer/feedback', claims });

describe('officers from verified claims', () => {
  it('reads groups in API Gateway’s "[a b]" form, as JSON, or space separated (property)', () => {
    const groups = fc.subarray(['officer', 'admin', 'viewer', 'other-app']);
    fc.assert(
      fc.property(groups, fc.constantFrom('gateway', 'json', 'plain'), (list, form) => {
        const claim =
          form === 'gateway'
            ? `[${list.join(' ')}]`
            : form === 'json'
              ? JSON.stringify(list)
              : list.join(' ');
        const officer = officerOf(withClaims({ sub: 'abc', 'cognito:groups': claim }));
        expect(officer?.groups.sort()).toEqual(list.filter((g) => g === 'officer' || g === 'admin').sort());
      }),
    );
  });

  it('is nobody without a subject, whatever headers say', () => {
    const event = apiEvent({
      path: '/officer/feedback',
      headers: { 'x-user': 'admin', authorization: 'Bearer forged' },
    });
    expect(officerOf(event)).toBeUndefined();
  });

  it('treats admins as officers too, but not the other way round', () => {
    const admin = { sub: 'a', name: 'A', groups: ['admin' as const] };
    const officer = { sub: 'o', name: 'O', groups: ['officer' as const] };
    expect(hasGroup(admin, 'officer')).toBe(true);
    expect(hasGroup(officer, 'admin')).toBe(false);
  });
});

describe('history changes', () => {
  it('lists exactly the fields that differ, whatever order map keys come back in (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), (record) => {
        const reordered = Object.fromEntries(Object.entries(record).reverse());
        expect(changesBetween(record, reordered)).toEqual({});
      }),
    );
    expect(changesBetween({ a: { x: 1, y: 2 }, b: 1 }, { b: 2, a: { y: 2, x: 1 } })).toEqual({
      b: { from: 1, to: 2 },
    });
  });
});

describe('group claims: never split on commas (issue 7)', () => {
  const groupsFrom = (claim: unknown) =>
    officerOf(withClaims({ sub: 'abc', 'cognito:groups': claim as string }))?.groups ?? [];

  it.each([
    ['API Gateway form', '[officer,admin]'],
    ['JSON array string', '["officer,admin"]'],
    ['actual array', ['officer,admin']],
    ['bare string', 'officer,admin'],
    ['API Gateway form with another group', '[viewer officer,admin]'],
  ])('a group named "officer,admin" is neither officer nor admin (%s)', (_form, claim) => {
    expect(groupsFrom(claim)).toEqual([]);
  });

  it.each([
    ['API Gateway form', '[officer admin]', ['officer', 'admin']],
    ['JSON array string', '["admin"]', ['admin']],
    ['JSON array string with spaces', '[ "officer" , "viewer" ]', ['officer']],
    ['actual array', ['officer', 'viewer'], ['officer']],
    ['empty API Gateway form', '[]', []],
    ['malformed JSON', '["admin"', []],
    ['JSON with non-string members', '["admin", 1]', ['admin']],
  ])('reads the %s', (_form, claim, expected) => {
    expect(groupsFrom(claim).sort()).toEqual([...expected].sort());
  });

  it('reads any group list in every claim form the same way (property)', () => {
    const name = fc.stringMatching(/^[a-z,.:;!]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 5 }),
        fc.constantFrom('gateway', 'json', 'array'),
        (list, form) => {
          const claim =
            form === 'gateway' ? `[${list.join(' ')}]` : form === 'json' ? JSON.stringify(list) : list;
          expect(groupsFrom(claim).sort()).toEqual(
            list.filter((g) => g === 'officer' || g === 'admin').sort(),
          );
        },
      ),
    );
  });
});
