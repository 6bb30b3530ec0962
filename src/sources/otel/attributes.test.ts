import { describe, expect, it } from 'vitest';
import { AttributeView } from './attributes.js';
import type { AttrMap } from './model.js';

const attrs = (values: Record<string, string | number>): AttrMap => ({ ...values });

describe('AttributeView.rawIdentity', () => {
  it('hands out one frozen object while the identity stays the same, a new one when it changes', () => {
    const resource = attrs({ 'service.name': 'claude-code', 'user.email': 'dev@acme.example' });
    const view = new AttributeView(attrs({ 'user.id': 'install-1', model: 'a' }), resource);
    const first = view.rawIdentity();
    expect(first).toEqual({ 'user.email': 'dev@acme.example', 'user.id': 'install-1' });
    expect(Object.isFrozen(first)).toBe(true);

    // Another record of the same person, other attributes differing: the very same object.
    expect(view.reset(attrs({ 'user.id': 'install-1', model: 'b' }), resource).rawIdentity()).toBe(first);

    // One value fewer (no user.id): equal in every value it has, but not the same identity.
    const fewer = view.reset(attrs({ model: 'c' }), resource).rawIdentity();
    expect(fewer).toEqual({ 'user.email': 'dev@acme.example' });
    expect(fewer).not.toBe(first);

    // A different value, then back to the first person: equal to the first, never mixed up.
    const other = view.reset(attrs({ 'user.id': 'install-2' }), resource).rawIdentity();
    expect(other).toEqual({ 'user.email': 'dev@acme.example', 'user.id': 'install-2' });
    expect(view.reset(attrs({ 'user.id': 'install-1' }), resource).rawIdentity()).toEqual(first);
    // Numbers are identities as text, as before.
    expect(view.reset(attrs({ 'user.id': 7 }), attrs({})).rawIdentity()).toEqual({ 'user.id': '7' });
  });
});
