// The page's side of issue 15 without a browser: step-up retries, the step-up state, the notice/activity feed, the sentences.
import { describe, expect, it, vi } from 'vitest';
import { AccountFeed } from '../../client/account-feed.js';
import { activitySentence } from '../../client/activity-text.js';
import { createApi, type ApiResult } from '../../client/api.js';
import { StepUp } from '../../client/step-up.js';
import type { ActivityPage, Reauthenticated } from '../../shared/account.js';

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const error = (status: number, code: string): Response => json(status, { error: { code, message: code } });

function apiWith(responses: Response[], stepUp?: () => Promise<boolean>) {
  const urls: string[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL) => {
    urls.push(String(url));
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next;
  });
  return { api: createApi({ fetch, token: async () => 'tok', refreshToken: async () => 'tok', ...(stepUp ? { stepUp } : {}) }), urls };
}

describe('when an act answers 403 reauthentication_required', () => {
  it('asks for step-up once and retries the act once it is confirmed', async () => {
    const stepUp = vi.fn(async () => true);
    const { api, urls } = apiWith([error(403, 'reauthentication_required'), new Response(null, { status: 204 })], stepUp);
    expect(await api.revoke('h1')).toEqual({ ok: true, status: 204, data: undefined });
    expect(stepUp).toHaveBeenCalledTimes(1);
    expect(urls).toEqual(['/api/sessions/h1', '/api/sessions/h1']);
  });

  it('does not retry when the user gives up, and answers the refusal', async () => {
    const { api, urls } = apiWith([error(403, 'reauthentication_required')], async () => false);
    expect(await api.revoke('h1')).toMatchObject({ ok: false, status: 403, code: 'reauthentication_required' });
    expect(urls).toHaveLength(1);
  });

  it('POST /api/reauthenticate is never itself sent through step-up', async () => {
    const stepUp = vi.fn(async () => true);
    const { api } = apiWith([error(403, 'reauthentication_required')], stepUp);
    expect(await api.reauthenticate('pw')).toMatchObject({ ok: false, code: 'reauthentication_required' });
    expect(stepUp).not.toHaveBeenCalled();
  });
});

describe('the step-up dialog state', () => {
  const ok: ApiResult<Reauthenticated> = { ok: true, status: 200, data: { csrfToken: 't', freshUntil: 1 } };
  const wrong: ApiResult<Reauthenticated> = { ok: false, status: 401, code: 'invalid_credentials', message: 'x', retryAfterSeconds: null };

  it('stays open with an error after a wrong password, and resolves every waiting act once confirmed', async () => {
    const answers = [wrong, ok];
    const stepUp = new StepUp(async () => answers.shift()!);
    const first = stepUp.request();
    const second = stepUp.request();
    expect(stepUp.open).toBe(true);
    await stepUp.confirm('nope');
    expect(stepUp).toMatchObject({ open: true, error: 'That password is wrong.' });
    await stepUp.confirm('right');
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(stepUp).toMatchObject({ open: false, error: null });
  });

  it('cancel resolves false', async () => {
    const stepUp = new StepUp(async () => ok);
    const waiting = stepUp.request();
    stepUp.cancel();
    expect(await waiting).toBe(false);
    expect(stepUp.open).toBe(false);
  });
});

describe('the account feed', () => {
  const page = (ids: string[], next: string | null = null): ApiResult<ActivityPage> => ({
    ok: true,
    status: 200,
    data: { items: ids.map((id) => ({ id, kind: 'signed_in', at: 1, ip: '', userAgent: '', detail: {} })), next },
  });

  it('keeps valid sign-in notices, newest first and at most three, and drops malformed ones', () => {
    const feed = new AccountFeed(async () => page([]));
    feed.signedIn({ id: 'a', userAgent: 'ua', ip: '1.2.3.4', at: 1 });
    feed.signedIn({ id: 'b', userAgent: 'ua', ip: '1.2.3.4' });
    feed.signedIn('nonsense');
    for (const id of ['c', 'd', 'e']) feed.signedIn({ id, userAgent: '', ip: '', at: 2 });
    expect(feed.notices.map((n) => n.id)).toEqual(['e', 'd', 'c']);
  });

  it('pages with more(), and an answer that arrives after clear() is dropped', async () => {
    let resolve!: (r: ApiResult<ActivityPage>) => void;
    const fetches: Array<string | undefined> = [];
    const feed = new AccountFeed((before) => {
      fetches.push(before);
      return before ? Promise.resolve(page(['old'])) : new Promise((r) => (resolve = r));
    });
    const refreshing = feed.refresh();
    resolve(page(['new'], 'cursor'));
    await refreshing;
    await feed.more();
    expect(feed.activity?.map((i) => i.id)).toEqual(['new', 'old']);
    expect(fetches).toEqual([undefined, 'cursor']);
    const late = feed.refresh();
    feed.clear();
    resolve(page(['stale']));
    await late;
    expect(feed.activity).toBeNull();
  });
});

describe('activity sentences', () => {
  it('say what happened, with counts and deadlines', () => {
    expect(activitySentence({ kind: 'sign_in_failed', detail: { count: 3 } })).toBe('3 failed sign-ins');
    expect(activitySentence({ kind: 'sign_in_failed', detail: { count: 1 } })).toBe('1 failed sign-in');
    expect(activitySentence({ kind: 'expired', detail: { deadline: 'absolute' } })).toBe('A session reached its time limit');
    expect(activitySentence({ kind: 'expired', detail: { deadline: 'idle' } })).toBe('A session expired after inactivity');
    expect(activitySentence({ kind: 'ended_by_operator', detail: { sessions: 2 } })).toBe('An operator ended 2 sessions');
  });
});
