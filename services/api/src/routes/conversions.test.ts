import type { Subscription } from '@linktrack/bus';
import { type ConversionEvent, createCodecs, TOPICS } from '@linktrack/streams';
import { type ApiUnderTest, apiUnderTest, TEST_API_KEY } from '@linktrack/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const NOW = Date.UTC(2026, 10, 25, 12);
const A = '01936f6e-8c1a-7b2e-9f00-00000000000a';
const B = '01936f6e-8c1a-7b2e-9f00-00000000000b';
const C = '01936f6e-8c1a-7b2e-9f00-00000000000c';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let api: ApiUnderTest;
let reader: Subscription;
const published: ConversionEvent[] = [];
const keys: string[] = [];

beforeAll(async () => {
  api = await apiUnderTest({ now: () => NOW });
  const codec = createCodecs().conversionEvent;
  reader = await api.bus.subscribe(TOPICS.conversions, 'conversions-test', async (batch) => {
    for (const m of batch.messages) {
      published.push(codec.decode(m.value));
      keys.push(String(m.key));
    }
  });
});
afterAll(async () => {
  await reader?.close();
  await api?.close();
});
beforeEach(() => {
  published.length = 0;
  keys.length = 0;
});

const post = (payload: unknown, headers: Record<string, string> = auth) =>
  api.app.inject({ method: 'POST', url: '/v1/conversions', headers, payload: payload as object });

/** The in-process bus delivers asynchronously: wait (bounded) for `n` records. */
async function publishedCount(n: number): Promise<ConversionEvent[]> {
  const deadline = Date.now() + 5_000;
  while (published.length < n && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  return [...published];
}

describe('POST /v1/conversions', () => {
  it('takes one conversion, normalizes it, and publishes it as a server conversion', async () => {
    const res = await post({
      click_id: A.toUpperCase(),
      event: 'Purchase',
      value: '019.90',
      currency: 'EUR',
      occurred_at: '2026-11-25T11:00:00Z',
      id: 'order-42',
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, ids: ['order-42'] });
    expect(await publishedCount(1)).toEqual([
      {
        conversion_id: 'order-42',
        click_id: A,
        touches: [A],
        event: 'purchase',
        value: '19.9',
        currency: 'EUR',
        source: 'server',
        ts: NOW - 3_600_000,
        received_at: NOW,
      },
    ]);
    expect(keys).toEqual(['order-42']);
  });

  it('gives defaults: a generated id, no value, now, touches of the click alone', async () => {
    const res = await post({ click_id: A, event: 'signup', occurred_at: NOW - 5 });
    expect(res.statusCode).toBe(202);
    const { ids } = res.json();
    expect(ids[0]).toMatch(UUID);
    expect(await publishedCount(1)).toEqual([
      expect.objectContaining({
        conversion_id: ids[0],
        touches: [A],
        value: '0',
        currency: '',
        ts: NOW - 5,
      }),
    ]);
  });

  it('ends given touches with the click id, oldest first', async () => {
    expect((await post({ click_id: C, event: 'signup', touches: [A, B] })).statusCode).toBe(202);
    expect((await post({ click_id: B, event: 'signup', touches: [A, B] })).statusCode).toBe(202);
    const [first, second] = await publishedCount(2);
    expect(first?.touches).toEqual([A, B, C]);
    expect(second?.touches).toEqual([A, B]);
  });

  it('takes a batch of up to 1,000, answering the ids in order', async () => {
    const res = await post({
      conversions: [
        { click_id: A, event: 'signup', id: 'u-1' },
        { click_id: B, event: 'purchase', value: 5, currency: 'USD' },
      ],
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(2);
    expect(body.ids[0]).toBe('u-1');
    expect(body.ids[1]).toMatch(UUID);
    const rows = await publishedCount(2);
    expect(rows.map((r) => [r.click_id, r.event, r.value, r.currency])).toEqual([
      [A, 'signup', '0', ''],
      [B, 'purchase', '5', 'USD'],
    ]);
  });

  it('refuses a bad field with 400 naming it, and a bad batch item by its index, publishing nothing', async () => {
    const cases: [unknown, string][] = [
      [{ event: 'signup' }, 'click_id'],
      [{ click_id: 'nope', event: 'signup' }, 'click_id'],
      [{ click_id: A }, 'event'],
      [{ click_id: A, event: 'café' }, 'event'],
      [{ click_id: A, event: 'x', value: '-1', currency: 'EUR' }, 'value'],
      [{ click_id: A, event: 'x', value: '1.23456', currency: 'EUR' }, 'value'],
      [{ click_id: A, event: 'x', value: '123456789012345', currency: 'EUR' }, 'value'],
      [{ click_id: A, event: 'x', value: true }, 'value'],
      [{ click_id: A, event: 'x', value: '10' }, 'currency'],
      [{ click_id: A, event: 'x', value: '10', currency: 'EUD' }, 'currency'],
      [{ click_id: A, event: 'x', value: '10', currency: 'eur' }, 'currency'],
      [{ click_id: A, event: 'x', occurred_at: NOW + 600_000 }, 'occurred_at'],
      [{ click_id: A, event: 'x', occurred_at: 'yesterday' }, 'occurred_at'],
      [{ click_id: A, event: 'x', id: 'has space' }, 'id'],
      [{ click_id: A, event: 'x', id: 'x'.repeat(129) }, 'id'],
      [{ click_id: A, event: 'x', touches: ['nope'] }, 'touches[0]'],
      [{ click_id: A, event: 'x', touches: Array(21).fill(B) }, 'touches'],
      [{ click_id: A, event: 'x', extra: 1 }, 'extra'],
      [{ conversions: [] }, 'conversions'],
      [{ conversions: Array(1_001).fill({ click_id: A, event: 'x' }) }, 'conversions'],
      [{ conversions: [{ click_id: A, event: 'x' }], click_id: A }, 'click_id'],
      [
        {
          conversions: [
            { click_id: A, event: 'ok' },
            { click_id: A, event: 'ok' },
            { click_id: A, event: 'ok' },
            { click_id: A, event: 'ok', value: '3', currency: 'EUD' },
          ],
        },
        'conversions[3].currency',
      ],
      [
        {
          conversions: [
            { click_id: A, event: 'ok' },
            { click_id: A, event: 'ok', value: '1' },
          ],
        },
        'conversions[1].currency',
      ],
      [
        {
          conversions: [
            { click_id: A, event: 'ok' },
            { click_id: 'x', event: 'ok' },
          ],
        },
        'conversions[1].click_id',
      ],
      [{ conversions: [{ click_id: A }] }, 'conversions[0].event'],
      // One id twice in a batch: only one would be stored.
      [
        {
          conversions: [
            { click_id: A, event: 'ok', id: 'order-7' },
            { click_id: A, event: 'ok' },
            { click_id: A, event: 'ok', id: 'order-7' },
          ],
        },
        'conversions[2].id',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 200)).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('LT_API_VALIDATION');
      expect(error.field, JSON.stringify(body).slice(0, 200)).toBe(field);
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    }
    expect(await publishedCount(1)).toEqual([]);
  });

  it('needs the api key', async () => {
    const res = await post({ click_id: A, event: 'signup' }, {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('LT_API_UNAUTHORIZED');
  });
});

describe('a publishable key', () => {
  it('authorizes no /v1 route of the api', async () => {
    const publishable = { authorization: 'Bearer pk_shop_0123456789abcdef' };
    const requests = [
      { method: 'POST', url: '/v1/conversions', payload: { click_id: A, event: 'signup' } },
      { method: 'POST', url: '/v1/links', payload: { url: 'https://a.example/' } },
      { method: 'GET', url: '/v1/links' },
      { method: 'POST', url: '/v1/sql', payload: { query: 'SELECT 1' } },
    ] as const;
    for (const r of requests) {
      const res = await api.app.inject({ ...r, headers: publishable } as never);
      expect(res.statusCode, r.url).toBe(401);
      expect(res.json().error.code).toBe('LT_API_UNAUTHORIZED');
    }
    expect(published).toEqual([]);
  });
});
