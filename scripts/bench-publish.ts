// npm run bench:publish — the redirect's publish path per click, before and after, side by side in one run:
//   objects:  ClickEvent → codec.encode (own Buffer) + key Buffer → {key, value} per click → postMessage of the
//             array (structured clone of every object) → Buffers revived on the bus's side (the former path);
//   frames:   ClickEvent → encoded in place into one frames buffer per batch → postMessage of that one buffer
//             → views into it on the bus's side (the redirect's path).
// Both run over a real MessageChannel to a real worker thread (the bus's side, as in the embedded default);
// CPU is this thread's (the redirect's HTTP thread) and the worker's, per click. Event building is the same in
// both and measured on its own. Options: BENCH_CLICKS (200000), BENCH_BATCH (500), BENCH_ROUNDS (3).
import { Worker } from 'node:worker_threads';
import { FrameWriter } from '@linktrack/bus';
import { ipPrefix } from '@linktrack/ip';
import { buildClickEvent } from '@linktrack/redirect';
import { type ClickEvent, createCodecs } from '@linktrack/streams';
import { threadCpuSeconds } from '@linktrack/telemetry';
import { linkEvent } from '@linktrack/test-support';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const codec = createCodecs().clickEvent;
const link = linkEvent('bench', 'https://shop.example.com/p/1?utm_source=newsletter&utm_medium=email');
const request = {
  method: 'GET',
  ip: '81.2.69.160',
  url: '/bench?gclid=abc',
  headers: {
    'user-agent':
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'accept-language': 'en-GB,en;q=0.9',
    'sec-fetch-mode': 'navigate',
    'sec-fetch-site': 'cross-site',
    'sec-ch-ua-mobile': '?0',
  },
} as never;

// The bus's side: revives what arrives, as servePortBus does, and reports its own CPU.
const worker = new Worker(
  `const { parentPort } = require('node:worker_threads');
   const { readFileSync } = require('node:fs');
   const cpu = () => { const f = readFileSync('/proc/thread-self/stat', 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) / 100; };
   const asBuffer = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
   let n = 0;
   parentPort.on('message', (m) => {
     if (m.kind === 'cpu') return parentPort.postMessage({ cpu: cpu(), n });
     if (m.kind === 'objects') { for (const x of m.messages) { n += asBuffer(x.value).length > 0 ? 1 : 0; asBuffer(x.key); } return; }
     const buf = asBuffer(m.frames);
     for (let at = 0; at < buf.length; ) { const k = buf.readUInt32LE(at); const kEnd = at + 4 + k; const v = buf.readUInt32LE(kEnd); buf.subarray(at + 4, kEnd); buf.subarray(kEnd + 4, kEnd + 4 + v); at = kEnd + 4 + v; n++; }
   });`,
  { eval: true },
);
const workerCpu = () =>
  new Promise<{ cpu: number; n: number }>((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ kind: 'cpu' });
  });

const events: ClickEvent[] = Array.from({ length: BATCH }, () =>
  buildClickEvent(request, 'bench', 'redirect', link),
);
const paths: Record<string, () => void> = {
  objects: () => {
    const messages = events.map((e) => ({ key: Buffer.from(ipPrefix(e.ip)), value: codec.encode(e) }));
    worker.postMessage({ kind: 'objects', messages });
  },
  frames: () => {
    const writer = new FrameWriter();
    for (const e of events) writer.add(ipPrefix(e.ip), (buf, at) => codec.encodeInto(e, buf, at));
    worker.postMessage({ kind: 'frames', frames: writer.take() });
  },
};

const own = () => threadCpuSeconds() ?? process.cpuUsage().user / 1e6;
const results = new Map<string, { here: number; there: number }[]>();
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, publish] of Object.entries(paths)) {
    const w0 = await workerCpu();
    const t0 = own();
    for (let sent = 0; sent < CLICKS; sent += BATCH) {
      publish();
      // Let the port drain as the redirect's event loop would between batches.
      if (sent % (BATCH * 20) === 0) await new Promise((r) => setImmediate(r));
    }
    const here = ((own() - t0) * 1e6) / CLICKS;
    let w1 = await workerCpu();
    while (w1.n - w0.n < CLICKS) w1 = await workerCpu();
    const there = ((w1.cpu - w0.cpu) * 1e6) / CLICKS;
    if (round > 0) results.set(name, [...(results.get(name) ?? []), { here, there }]); // round 0 warms up
  }
}
const building = (() => {
  const t0 = own();
  for (let i = 0; i < CLICKS; i++) buildClickEvent(request, 'bench', 'redirect', link);
  return ((own() - t0) * 1e6) / CLICKS;
})();
await worker.terminate();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `${CLICKS} clicks in batches of ${BATCH}, ${ROUNDS} rounds (CPU µs per click; /proc/thread-self)`,
);
console.log(`building the ClickEvent (both paths): ${building.toFixed(2)} µs`);
console.log('| path | redirect thread | bus thread | total |\n|---|---:|---:|---:|');
for (const [name, runs] of results) {
  const here = mean(runs.map((r) => r.here));
  const there = mean(runs.map((r) => r.there));
  console.log(`| ${name} | ${here.toFixed(2)} | ${there.toFixed(2)} | ${(here + there).toFixed(2)} |`);
}
