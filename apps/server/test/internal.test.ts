import type { RouterInputs } from '@userhub/sdk';
import { describe, expect, it } from 'vitest';
import { expectError, useTestServer } from './harness.js';
import { expectFull } from './helpers.js';

const SERVICE_TOKEN = 'test-service-token-0123456789-abcdefghij';

const server = useTestServer({ env: { SERVICE_TOKEN } });
/** The same server without SERVICE_TOKEN: internal.* is switched off there. */
const disabled = useTestServer();

const service = () => server.client(SERVICE_TOKEN);
const UNKNOWN_USER = '00000000-0000-4000-8000-000000000000';

describe('internal.adjustStats', () => {
  it('adds the deltas, answers the new counters, and both own and public views show them', async () => {
    const user = await server.users.signUp();
    const answer = await service().internal.adjustStats.mutate({
      userId: user.id,
      posts: 3,
      shops: 1,
      events: 2,
    });
    expect(answer).toEqual({ posts: 3, shops: 1, events: 2 });
    const second = await service().internal.adjustStats.mutate({ userId: user.id, posts: -1 });
    expect(second).toEqual({ posts: 2, shops: 1, events: 2 });

    const me = await user.client.profile.me.query();
    expect(me.stats).toEqual({ followers: 0, following: 0, posts: 2, shops: 1, events: 2 });
    const view = expectFull(await server.client().profile.byId.query({ userId: user.id }));
    expect(view.stats).toMatchObject({ posts: 2, shops: 1, events: 2 });
  });

  it('never lets a counter drop below zero', async () => {
    const user = await server.users.signUp();
    await service().internal.adjustStats.mutate({ userId: user.id, posts: 2, events: 1 });
    const answer = await service().internal.adjustStats.mutate({ userId: user.id, posts: -5, events: 1 });
    expect(answer).toEqual({ posts: 0, shops: 0, events: 2 });
  });

  it('applies concurrent adjustments atomically', async () => {
    const user = await server.users.signUp();
    await Promise.all(
      Array.from({ length: 10 }, () => service().internal.adjustStats.mutate({ userId: user.id, posts: 1 })),
    );
    expect((await user.client.profile.me.query()).stats.posts).toBe(10);
  });

  it('answers NOT_FOUND for an unknown user', async () => {
    const error = await expectError(
      service().internal.adjustStats.mutate({ userId: UNKNOWN_USER, posts: 1 }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });

  it.each([
    ['a fractional delta', { posts: 1.5 }, 'posts'],
    ['an oversized delta', { shops: 1_000_001 }, 'shops'],
    ['a counter that is not one', { followers: 5 }, 'followers'],
  ])('refuses %s with BAD_REQUEST and changes nothing', async (_what, delta, path) => {
    const user = await server.users.signUp();
    const input = { userId: user.id, events: 1, ...delta } as RouterInputs['internal']['adjustStats'];
    const error = await expectError(service().internal.adjustStats.mutate(input));
    expect(error.code).toBe('BAD_REQUEST');
    expect(Object.keys(error.fieldErrors)).toContain(path);
    expect((await user.client.profile.me.query()).stats).toEqual({
      followers: 0,
      following: 0,
      posts: 0,
      shops: 0,
      events: 0,
    });
  });
});

describe('internal.progressAchievement', () => {
  it('moves an achievement on, capped at its total, and the owner sees it', async () => {
    const user = await server.users.signUp();
    expect(
      await service().internal.progressAchievement.mutate({ userId: user.id, type: 'review', by: 7 }),
    ).toMatchObject({
      type: 'review',
      value: 7,
      total: 60,
    });
    expect(
      await service().internal.progressAchievement.mutate({ userId: user.id, type: 'squad', by: 4 }),
    ).toMatchObject({
      type: 'squad',
      value: 4,
      total: 10,
    });
    const capped = await service().internal.progressAchievement.mutate({
      userId: user.id,
      type: 'squad',
      by: 1000,
    });
    expect(capped).toMatchObject({ type: 'squad', value: 10, total: 10 });

    const me = await user.client.profile.me.query();
    expect(me.achievements.map(({ type, value, total }) => ({ type, value, total }))).toEqual([
      { type: 'five-star', value: 0, total: 20 },
      { type: 'referral', value: 0, total: 10 },
      { type: 'review', value: 7, total: 60 },
      { type: 'squad', value: 10, total: 10 },
    ]);
  });

  it('adds referral progress on top of referred sign-ups', async () => {
    const referrer = await server.users.signUp();
    const { referralCode } = await referrer.client.profile.me.query();
    await server.users.signUp({ referralCode });
    const answer = await service().internal.progressAchievement.mutate({
      userId: referrer.id,
      type: 'referral',
      by: 2,
    });
    expect(answer).toMatchObject({ type: 'referral', value: 3, total: 10 });
  });

  it('answers NOT_FOUND for an unknown user, BAD_REQUEST for an unknown type or a step below 1', async () => {
    const user = await server.users.signUp();
    const unknown = await expectError(
      service().internal.progressAchievement.mutate({ userId: UNKNOWN_USER, type: 'review', by: 1 }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    const badType = await expectError(
      service().internal.progressAchievement.mutate({ userId: user.id, type: 'karma', by: 1 } as never),
    );
    expect(badType.code).toBe('BAD_REQUEST');
    expect(badType.fieldErrors.type).toBeDefined();
    for (const by of [0, -3]) {
      const step = await expectError(
        service().internal.progressAchievement.mutate({ userId: user.id, type: 'review', by }),
      );
      expect(step.code).toBe('BAD_REQUEST');
      expect(step.fieldErrors.by).toBeDefined();
    }
    expect((await user.client.profile.me.query()).achievements.every((a) => a.value === 0)).toBe(true);
  });
});

describe('the service token', () => {
  it('is required: no token, a wrong token and a user session all get UNAUTHORIZED and change nothing', async () => {
    const user = await server.users.signUp();
    const callers = [server.client(), server.client(`${SERVICE_TOKEN}x`), server.client('nope'), user.client];
    for (const caller of callers) {
      const stats = await expectError(caller.internal.adjustStats.mutate({ userId: user.id, posts: 5 }));
      expect(stats.code).toBe('UNAUTHORIZED');
      expect(stats.reason).toBe('UNAUTHENTICATED');
      const achievement = await expectError(
        caller.internal.progressAchievement.mutate({ userId: user.id, type: 'review', by: 5 }),
      );
      expect(achievement.code).toBe('UNAUTHORIZED');
    }
    const me = await user.client.profile.me.query();
    expect(me.stats.posts).toBe(0);
    expect(me.achievements.find((a) => a.type === 'review')?.value).toBe(0);
  });

  it('is not a user session', async () => {
    const error = await expectError(service().profile.me.query());
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('switches internal.* off with FORBIDDEN / SERVICE_DISABLED when SERVICE_TOKEN is not configured', async () => {
    const user = await disabled.users.signUp();
    for (const caller of [disabled.client(SERVICE_TOKEN), disabled.client(), user.client]) {
      const stats = await expectError(caller.internal.adjustStats.mutate({ userId: user.id, posts: 1 }));
      expect(stats.code).toBe('FORBIDDEN');
      expect(stats.reason).toBe('SERVICE_DISABLED');
      const achievement = await expectError(
        caller.internal.progressAchievement.mutate({ userId: user.id, type: 'review', by: 1 }),
      );
      expect(achievement.reason).toBe('SERVICE_DISABLED');
    }
    expect((await user.client.profile.me.query()).stats.posts).toBe(0);
  });

  it('never appears in the server log', async () => {
    const user = await server.users.signUp();
    await service().internal.adjustStats.mutate({ userId: user.id, posts: 1 });
    await expectError(server.client(`${SERVICE_TOKEN}x`).internal.adjustStats.mutate({ userId: user.id }));
    expect(server.logLines.length).toBeGreaterThan(0);
    expect(server.logLines.join('\n')).not.toContain(SERVICE_TOKEN);
  });
});
