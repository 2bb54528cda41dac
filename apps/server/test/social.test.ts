import { describe, expect, it } from 'vitest';
import { expectError, SECOND_MS, type SignedUpUser, useTestServer } from './harness.js';
import { expectFull, idsOf } from './helpers.js';

/** The clock is moved by hand so follow and bookmark times differ (or, on purpose, tie). */
const server = useTestServer({ clock: true });
const { clock } = server;

const NO_RELATIONSHIP = { isFollowing: false, isFollowedBy: false, isBlocked: false, isBlockedBy: false };

async function relationship(viewer: SignedUpUser, target: SignedUpUser) {
  return (await viewer.client.profile.byId.query({ userId: target.id })).relationship;
}

async function followerCount(user: SignedUpUser) {
  return (await user.client.profile.me.query()).stats.followers;
}

async function followingCount(user: SignedUpUser) {
  return (await user.client.profile.me.query()).stats.following;
}

/** Walks a cursor-paged list to its end, returning each page's ids. */
async function walk(
  fetchPage: (cursor: string | undefined) => Promise<{ items: { id: string }[]; nextCursor: string | null }>,
) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 50; guard += 1) {
    const page = await fetchPage(cursor);
    pages.push(idsOf(page.items));
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('the cursor never ended');
}

describe('social.follow / social.unfollow', () => {
  it('follows, counts on both sides, and is idempotent', async () => {
    const follower = await server.users.signUp();
    const target = await server.users.signUp();
    await follower.client.social.follow.mutate({ userId: target.id });
    await follower.client.social.follow.mutate({ userId: target.id });
    await Promise.all(
      Array.from({ length: 5 }, () => follower.client.social.follow.mutate({ userId: target.id })),
    );
    expect(await followerCount(target)).toBe(1);
    expect(await followingCount(follower)).toBe(1);
    expect(await followingCount(target)).toBe(0);
    const view = expectFull(await server.client().profile.byId.query({ userId: target.id }));
    expect(view.stats.followers).toBe(1);
    const followers = await server.client().social.followers.query({ userId: target.id });
    expect(idsOf(followers.items)).toEqual([follower.id]);
  });

  it('unfollows, and unfollowing someone not followed is a no-op', async () => {
    const follower = await server.users.signUp();
    const target = await server.users.signUp();
    await follower.client.social.follow.mutate({ userId: target.id });
    await follower.client.social.unfollow.mutate({ userId: target.id });
    expect(await followerCount(target)).toBe(0);
    expect(await relationship(follower, target)).toEqual(NO_RELATIONSHIP);
    await expect(follower.client.social.unfollow.mutate({ userId: target.id })).resolves.toEqual({
      success: true,
    });
    expect(await followingCount(follower)).toBe(0);
  });

  it('refuses to follow oneself with BAD_REQUEST on userId', async () => {
    const user = await server.users.signUp();
    const error = await expectError(user.client.social.follow.mutate({ userId: user.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors.userId).toBeDefined();
    expect(await followerCount(user)).toBe(0);
  });

  it('refuses an unknown or deactivated user with NOT_FOUND', async () => {
    const user = await server.users.signUp();
    const gone = await server.users.signUp();
    await server.users.deactivate(gone);
    for (const userId of ['00000000-0000-4000-8000-000000000000', gone.id]) {
      const error = await expectError(user.client.social.follow.mutate({ userId }));
      expect(error.code).toBe('NOT_FOUND');
    }
  });

  it('allows following a private profile (the limited card is enough to recognise and follow)', async () => {
    const follower = await server.users.signUp();
    const target = await server.users.signUp();
    await target.client.profile.update.mutate({ isPrivate: true });
    await follower.client.social.follow.mutate({ userId: target.id });
    expect(await followerCount(target)).toBe(1);
    const card = await follower.client.profile.byId.query({ userId: target.id });
    expect(card.visibility).toBe('limited');
    expect(card.relationship?.isFollowing).toBe(true);
  });

  it('requires a session', async () => {
    const target = await server.users.signUp();
    const error = await expectError(server.client().social.follow.mutate({ userId: target.id }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(await followerCount(target)).toBe(0);
  });
});

describe('the relationship matrix', () => {
  it('reports the four booleans from each side through every state', async () => {
    const alice = await server.users.signUp();
    const bob = await server.users.signUp();
    const expectPair = async (aliceSees: object, bobSees: object) => {
      expect(await relationship(alice, bob)).toEqual({ ...NO_RELATIONSHIP, ...aliceSees });
      expect(await relationship(bob, alice)).toEqual({ ...NO_RELATIONSHIP, ...bobSees });
    };

    await expectPair({}, {});

    await alice.client.social.follow.mutate({ userId: bob.id });
    await expectPair({ isFollowing: true }, { isFollowedBy: true });

    await bob.client.social.follow.mutate({ userId: alice.id });
    await expectPair({ isFollowing: true, isFollowedBy: true }, { isFollowing: true, isFollowedBy: true });

    await alice.client.social.unfollow.mutate({ userId: bob.id });
    await expectPair({ isFollowedBy: true }, { isFollowing: true });

    await alice.client.social.block.mutate({ userId: bob.id });
    await expectPair({ isBlocked: true }, { isBlockedBy: true });

    await bob.client.social.block.mutate({ userId: alice.id });
    await expectPair({ isBlocked: true, isBlockedBy: true }, { isBlocked: true, isBlockedBy: true });

    await alice.client.social.unblock.mutate({ userId: bob.id });
    await expectPair({ isBlockedBy: true }, { isBlocked: true });

    await bob.client.social.unblock.mutate({ userId: alice.id });
    await expectPair({}, {});
  });

  it('is null on one’s own profile and for an anonymous viewer', async () => {
    const alice = await server.users.signUp();
    const bob = await server.users.signUp();
    await bob.client.social.follow.mutate({ userId: alice.id });
    expect(await relationship(alice, alice)).toBeNull();
    expect(
      (await alice.client.profile.byUsername.query({ username: alice.userName })).relationship,
    ).toBeNull();
    expect((await server.client().profile.byId.query({ userId: alice.id })).relationship).toBeNull();
  });
});

describe('social.block / social.unblock', () => {
  it('removes follows in both directions', async () => {
    const alice = await server.users.signUp();
    const bob = await server.users.signUp();
    await alice.client.social.follow.mutate({ userId: bob.id });
    await bob.client.social.follow.mutate({ userId: alice.id });
    expect(await followerCount(alice)).toBe(1);

    await alice.client.social.block.mutate({ userId: bob.id });
    for (const user of [alice, bob]) {
      const { stats } = await user.client.profile.me.query();
      expect(stats.followers).toBe(0);
      expect(stats.following).toBe(0);
    }
    expect((await alice.client.social.followers.query({ userId: alice.id })).items).toEqual([]);
    expect((await alice.client.social.following.query({ userId: alice.id })).items).toEqual([]);
  });

  it('forbids following across a block, in either direction, and records no follow', async () => {
    const blocker = await server.users.signUp();
    const blocked = await server.users.signUp();
    await blocker.client.social.block.mutate({ userId: blocked.id });

    const theirs = await expectError(blocked.client.social.follow.mutate({ userId: blocker.id }));
    expect(theirs.code).toBe('FORBIDDEN');
    expect(theirs.reason).toBe('FORBIDDEN');
    const mine = await expectError(blocker.client.social.follow.mutate({ userId: blocked.id }));
    expect(mine.code).toBe('FORBIDDEN');
    expect(await followerCount(blocker)).toBe(0);
    expect(await followerCount(blocked)).toBe(0);
  });

  it('shows the blocked viewer only the limited card, while the blocker still sees the full profile', async () => {
    const blocker = await server.users.signUp({ firstName: 'Blocky', lastName: 'McBlock' });
    const blocked = await server.users.signUp();
    await blocker.client.profile.update.mutate({
      headline: 'Hidden from blocked users',
      profilePictureUrls: ['https://cdn.example.com/blocker.png'],
    });
    await blocked.client.profile.update.mutate({ headline: 'Visible to the blocker' });
    await blocker.client.social.block.mutate({ userId: blocked.id });

    for (const view of [
      await blocked.client.profile.byId.query({ userId: blocker.id }),
      await blocked.client.profile.byUsername.query({ username: `@${blocker.userName}` }),
    ]) {
      expect(view).toEqual({
        visibility: 'limited',
        id: blocker.id,
        userName: blocker.userName,
        firstName: 'Blocky',
        lastName: 'McBlock',
        profilePictureUrl: 'https://cdn.example.com/blocker.png',
        isOwnProfile: false,
        relationship: { ...NO_RELATIONSHIP, isBlockedBy: true },
        bookmarkId: null,
      });
    }
    // Other viewers are unaffected.
    expect(expectFull(await server.client().profile.byId.query({ userId: blocker.id })).headline).toBe(
      'Hidden from blocked users',
    );
    const blockersView = expectFull(await blocker.client.profile.byId.query({ userId: blocked.id }));
    expect(blockersView.headline).toBe('Visible to the blocker');
    expect(blockersView.relationship).toEqual({ ...NO_RELATIONSHIP, isBlocked: true });
  });

  it('is idempotent; blocking oneself is BAD_REQUEST and an unknown user NOT_FOUND', async () => {
    const alice = await server.users.signUp();
    const bob = await server.users.signUp();
    await alice.client.social.block.mutate({ userId: bob.id });
    await alice.client.social.block.mutate({ userId: bob.id });
    expect(await relationship(alice, bob)).toEqual({ ...NO_RELATIONSHIP, isBlocked: true });

    const self = await expectError(alice.client.social.block.mutate({ userId: alice.id }));
    expect(self.code).toBe('BAD_REQUEST');
    expect(self.fieldErrors.userId).toBeDefined();
    const unknown = await expectError(
      alice.client.social.block.mutate({ userId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it('unblocking restores the full view and allows following again, without restoring old follows', async () => {
    const alice = await server.users.signUp();
    const bob = await server.users.signUp();
    await bob.client.social.follow.mutate({ userId: alice.id });
    await alice.client.social.block.mutate({ userId: bob.id });
    await alice.client.social.unblock.mutate({ userId: bob.id });
    await alice.client.social.unblock.mutate({ userId: bob.id });

    expect((await bob.client.profile.byId.query({ userId: alice.id })).visibility).toBe('full');
    expect(await relationship(bob, alice)).toEqual(NO_RELATIONSHIP);
    expect(await followerCount(alice)).toBe(0);

    await bob.client.social.follow.mutate({ userId: alice.id });
    expect(await followerCount(alice)).toBe(1);
  });

  it('requires a session', async () => {
    const target = await server.users.signUp();
    const error = await expectError(server.client().social.block.mutate({ userId: target.id }));
    expect(error.code).toBe('UNAUTHORIZED');
  });
});

describe('social.followers / social.following', () => {
  it('page newest first with cursors, ending with a null cursor', async () => {
    const target = await server.users.signUp();
    const followers: SignedUpUser[] = [];
    for (let i = 0; i < 5; i += 1) followers.push(await server.users.signUp());
    for (const follower of followers) {
      clock.advance(SECOND_MS);
      await follower.client.social.follow.mutate({ userId: target.id });
    }
    const newestFirst = idsOf(followers).reverse();

    const first = await server.client().social.followers.query({ userId: target.id, limit: 2 });
    expect(idsOf(first.items)).toEqual(newestFirst.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const pages = await walk((cursor) =>
      server.client().social.followers.query({ userId: target.id, limit: 2, ...(cursor ? { cursor } : {}) }),
    );
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);

    // The default page holds them all.
    const all = await server.client().social.followers.query({ userId: target.id });
    expect(idsOf(all.items)).toEqual(newestFirst);
    expect(all.nextCursor).toBeNull();
  });

  it('never skip or repeat users followed at the same instant', async () => {
    const follower = await server.users.signUp();
    const targets: SignedUpUser[] = [];
    for (let i = 0; i < 4; i += 1) targets.push(await server.users.signUp());
    // No clock move: all four follows share one timestamp, so only the id breaks ties.
    for (const target of targets) await follower.client.social.follow.mutate({ userId: target.id });

    const pages = await walk((cursor) =>
      server
        .client()
        .social.following.query({ userId: follower.id, limit: 1, ...(cursor ? { cursor } : {}) }),
    );
    expect(pages).toHaveLength(4);
    expect(pages.flat().sort()).toEqual(idsOf(targets).sort());
  });

  it('list whom a user follows, as public views carrying the viewer’s relationship', async () => {
    const subject = await server.users.signUp();
    const viewer = await server.users.signUp();
    const [a, b] = [await server.users.signUp(), await server.users.signUp()];
    clock.advance(SECOND_MS);
    await subject.client.social.follow.mutate({ userId: a.id });
    clock.advance(SECOND_MS);
    await subject.client.social.follow.mutate({ userId: b.id });
    await viewer.client.social.follow.mutate({ userId: a.id });

    const following = await viewer.client.social.following.query({ userId: subject.id });
    expect(idsOf(following.items)).toEqual([b.id, a.id]);
    const byId = new Map(following.items.map((item) => [item.id, item]));
    expect(byId.get(a.id)?.relationship?.isFollowing).toBe(true);
    expect(byId.get(b.id)?.relationship?.isFollowing).toBe(false);
    const text = JSON.stringify(following);
    expect(text).not.toContain(a.email);
    expect(text).not.toContain(b.email);
    expect(await followingCount(subject)).toBe(2);
  });

  it('leave out private and deactivated users', async () => {
    const target = await server.users.signUp();
    const [visible, hidden, gone] = [
      await server.users.signUp(),
      await server.users.signUp(),
      await server.users.signUp(),
    ];
    for (const user of [visible, hidden, gone]) await user.client.social.follow.mutate({ userId: target.id });
    await hidden.client.profile.update.mutate({ isPrivate: true });
    await server.users.deactivate(gone);
    const followers = await target.client.social.followers.query({ userId: target.id });
    expect(idsOf(followers.items)).toEqual([visible.id]);
  });

  it('hide a private user’s or a blocker’s connections from others, not from the owner', async () => {
    const owner = await server.users.signUp();
    const fan = await server.users.signUp();
    await fan.client.social.follow.mutate({ userId: owner.id });
    await owner.client.profile.update.mutate({ isPrivate: true });

    const stranger = await server.users.signUp();
    for (const client of [server.client(), stranger.client]) {
      const error = await expectError(client.social.followers.query({ userId: owner.id }));
      expect(error.code).toBe('FORBIDDEN');
    }
    expect(idsOf((await owner.client.social.followers.query({ userId: owner.id })).items)).toEqual([fan.id]);

    const blocker = await server.users.signUp();
    await blocker.client.social.block.mutate({ userId: stranger.id });
    const blocked = await expectError(stranger.client.social.following.query({ userId: blocker.id }));
    expect(blocked.code).toBe('FORBIDDEN');
  });

  it('refuse an unknown user, a forged cursor and an out-of-range limit', async () => {
    const user = await server.users.signUp();
    const unknown = await expectError(
      server.client().social.followers.query({ userId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    const forged = await expectError(
      server.client().social.followers.query({ userId: user.id, cursor: 'bm90LWEtY3Vyc29y' }),
    );
    expect(forged.code).toBe('BAD_REQUEST');
    expect(forged.fieldErrors.cursor).toBeDefined();
    const limit = await expectError(server.client().social.following.query({ userId: user.id, limit: 101 }));
    expect(limit.code).toBe('BAD_REQUEST');
    expect(limit.fieldErrors.limit).toBeDefined();
  });
});

describe('bookmarks', () => {
  it('adds (idempotently, same bookmarkId), shows it on the target’s view and lists it', async () => {
    const owner = await server.users.signUp();
    const target = await server.users.signUp();
    const { bookmarkId } = await owner.client.bookmarks.add.mutate({ userId: target.id });
    expect(bookmarkId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await owner.client.bookmarks.add.mutate({ userId: target.id })).toEqual({ bookmarkId });

    expect((await owner.client.profile.byId.query({ userId: target.id })).bookmarkId).toBe(bookmarkId);
    // A bookmark is private to its owner.
    expect((await target.client.profile.byId.query({ userId: target.id })).bookmarkId).toBeNull();
    expect((await server.client().profile.byId.query({ userId: target.id })).bookmarkId).toBeNull();

    const list = await owner.client.bookmarks.list.query({});
    expect(list.items.map((item) => [item.id, item.bookmarkId])).toEqual([[target.id, bookmarkId]]);
    expect(list.nextCursor).toBeNull();
  });

  it('removes (idempotently)', async () => {
    const owner = await server.users.signUp();
    const target = await server.users.signUp();
    await owner.client.bookmarks.add.mutate({ userId: target.id });
    await owner.client.bookmarks.remove.mutate({ userId: target.id });
    await owner.client.bookmarks.remove.mutate({ userId: target.id });
    expect((await owner.client.bookmarks.list.query({})).items).toEqual([]);
    expect((await owner.client.profile.byId.query({ userId: target.id })).bookmarkId).toBeNull();
  });

  it('lists newest first with cursors and leaves out deactivated users', async () => {
    const owner = await server.users.signUp();
    const targets: SignedUpUser[] = [];
    for (let i = 0; i < 4; i += 1) targets.push(await server.users.signUp());
    for (const target of targets) {
      clock.advance(SECOND_MS);
      await owner.client.bookmarks.add.mutate({ userId: target.id });
    }
    await server.users.deactivate(targets[1]!);
    const expected = idsOf(targets)
      .reverse()
      .filter((id) => id !== targets[1]!.id);

    const pages = await walk((cursor) =>
      owner.client.bookmarks.list.query({ limit: 2, ...(cursor ? { cursor } : {}) }),
    );
    expect(pages).toEqual([expected.slice(0, 2), expected.slice(2)]);
  });

  it('refuses oneself (BAD_REQUEST), an unknown user (NOT_FOUND) and a caller without a session', async () => {
    const user = await server.users.signUp();
    const self = await expectError(user.client.bookmarks.add.mutate({ userId: user.id }));
    expect(self.code).toBe('BAD_REQUEST');
    const unknown = await expectError(
      user.client.bookmarks.add.mutate({ userId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    // Each call starts only when awaited, so no rejection waits unobserved.
    for (const call of [
      () => server.client().bookmarks.add.mutate({ userId: user.id }),
      () => server.client().bookmarks.remove.mutate({ userId: user.id }),
      () => server.client().bookmarks.list.query({}),
    ]) {
      expect((await expectError(call())).code).toBe('UNAUTHORIZED');
    }
    expect((await user.client.bookmarks.list.query({})).items).toEqual([]);
  });
});
