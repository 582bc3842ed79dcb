// Summarises V8 CPU profiles (node --cpu-prof) by self time: per function and per area (HTTP
// parsing, Fastify, our code, Avro, kafkajs, chDB, GC, idle…), so that "where does the time go"
// can be answered again after a change with the same command.
//
//   node --import tsx scripts/bench/profile-summary.ts <dir or .cpuprofile>… [options]
//     --window S      count only the busiest S seconds of each process (the burst of a bench, not
//                     its start-up and idle time): the window with the most non-idle samples over all
//                     of that process's threads, on the profiles' shared monotonic clock
//     --under F       count only samples with a function named F on the stack (e.g. the bench's
//                     measured loop); GC and (program) samples, which have no stack, are kept
//     --exclude F     count samples with F on the stack as start-up (e.g. openAsnLookup, which
//                     reads the ASN database once) (repeatable)
//     --buffers-to-caller  charge Buffer work (node:buffer, utf8Slice…) to the area that called
//                     it (kafkajs's encoder, avsc), not to "Node streams/buffers"
//     --events N      also print µs per event (the window's CPU time ÷ N)
//     --cpu-us U      or: the CPU µs per event that the bench measured (/proc), shared out by the
//                     profile's proportions (what the profile cannot see, engine threads, stays out)
//     --top N         functions to list (default 15)
//     --pid P         only this process (repeatable; default every process found)
//     --thread T      tally only this thread (0 is the main one), the window still chosen over
//                     the whole process (the redirect's burst, seen from its main thread)
//     --min-ms M      skip processes with less than M ms of busy samples (default 200)
//
// Profiles are named CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, one per thread; worker
// threads (the redirect's HTTP thread) write their own. Native engine threads (chDB) are not in
// V8's profile: only the JS thread's wait on them is, as a native frame.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Sample {
  /** Monotonic µs. */
  t: number;
  /** µs this sample stands for (the delta to the next one). */
  dt: number;
  node: ProfileNode;
  /** The area of the sampled frame (a native frame without a script takes its caller's). */
  area: string;
  /** Whether a frame of the stack is start-up work (module loading, tsx compiling). */
  startup: boolean;
  /** Function names on the stack, for --under. */
  stack: () => Set<string>;
}

export interface Thread {
  file: string;
  pid: string;
  thread: string;
  samples: Sample[];
}

const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/** The area a frame belongs to, from its script URL (or, for native frames, its name). */
export function areaOf(frame: CallFrame): string {
  const { url, functionName: fn } = frame;
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'V8/native (unattributed)';
  const u = url.replace(/^file:\/\//, '');
  if (u === '') return nativeArea(fn);
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1];
  if (mod) {
    if (
      mod === 'fastify' ||
      mod.startsWith('@fastify/') ||
      /^(find-my-way|light-my-request|avvio|fast-json-stringify|fast-querystring|fast-decode-uri-component|safe-regex2|ret|toad-cache|abstract-logging|process-warning|rfdc|json-schema-ref-resolver|@fastify)$/.test(
        mod,
      )
    )
      return 'Fastify';
    if (mod === 'avsc') return 'Avro (avsc)';
    if (mod === 'kafkajs') return 'kafkajs';
    if (mod === 'chdb' || mod.startsWith('@clickhouse/')) return 'chDB / ClickHouse client';
    if (mod === 'pino' || mod === 'pino-std-serializers' || mod === 'sonic-boom' || mod === 'thread-stream')
      return 'pino';
    if (mod === 'prom-client' || mod === 'tdigest' || mod === 'bintrees') return 'prom-client';
    if (mod === 'autocannon' || mod === 'hdr-histogram-js' || mod === 'reinterval' || mod === 'retimer')
      return 'autocannon (load generator)';
    if (mod === 'tsx' || mod === 'esbuild' || mod === 'get-tsconfig') return 'start-up (tsx, module loading)';
    if (mod === 'ua-parser-js' || mod === 'isbot') return 'user-agent parsing (ua-parser-js, isbot)';
    if (mod === 'maxmind' || mod === 'mmdb-lib') return 'GeoIP (maxmind)';
    return `other npm: ${mod}`;
  }
  const ours = /\/(packages|services)\/([^/]+)\//.exec(u);
  if (ours) return `ours: ${ours[1]}/${ours[2]}`;
  if (/\/scripts\//.test(u)) return 'bench script';
  if (u.startsWith('node:internal/modules') || u.startsWith('node:internal/process/esm_loader'))
    return 'start-up (tsx, module loading)';
  if (/^node:(_http|http|internal\/http)/.test(u)) return 'Node HTTP (parser, server, response)';
  if (/^node:(net|internal\/(stream_base_commons|net|tcp))/.test(u)) return 'Node sockets';
  if (/^node:(internal\/)?(streams?|buffer|internal\/buffer)/.test(u)) return 'Node streams/buffers';
  if (u.startsWith('node:internal/worker') || u.startsWith('node:worker_threads'))
    return 'Node worker messaging';
  if (u.startsWith('node:')) return `Node core (${u.replace(/^node:(internal\/)?/, '').split('/')[0]})`;
  return `other: ${u}`;
}

/** Native frames have no URL; their names say what they are. */
function nativeArea(fn: string): string {
  if (/^(execute|llhttp|onHeadersComplete|parserOnHeadersComplete)$/i.test(fn))
    return 'Node HTTP (parser, server, response)';
  if (
    /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString|shutdown|readStart|readStop|onStreamRead)$/.test(
      fn,
    )
  )
    return 'Node sockets';
  if (
    /^(utf8Slice|latin1Slice|asciiSlice|hexSlice|base64Slice|utf8Write|latin1Write|asciiWrite|copy|compare|byteLengthUtf8|fill|allocUnsafe|ucs2Slice)$/.test(
      fn,
    )
  )
    return 'Node streams/buffers';
  if (
    /^(digest|update|Hash|hash|createHash|randomFillSync|randomUUID|getRandomValues|secureBuffer)$/.test(fn)
  )
    return 'crypto (native)';
  if (/^(postMessage|drainMessagePort|receiveMessageOnPort|moveMessagePortToContext)$/.test(fn))
    return 'Node worker messaging';
  if (
    /^(compileFunction|compileSourceTextModule|evaluate|link|instantiate|readFileUtf8|internalModuleStat|realpath|readFileSync|compileForInternalLoader|wrapSafe|compileForPublicLoader|esbuild|transformSync)$/.test(
      fn,
    )
  )
    return 'start-up (tsx, module loading)';
  if (/^(query|queryBind|insert|Session|connect|chdb)/i.test(fn)) return 'chDB / ClickHouse client';
  // avsc compiles each record type's reader and writer with new Function: no URL, named after the type.
  if (/^(read|write|skip)[A-Z]\w*$/.test(fn)) return 'Avro (avsc)';
  return `native: ${fn || '(anonymous)'}`;
}

function isStartupFrame(frame: CallFrame): boolean {
  return areaOf(frame) === 'start-up (tsx, module loading)';
}

export function load(file: string, buffersToCaller = false): Thread {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // A sample is start-up work when any frame of its stack is: tsx compiling a module that
  // then runs top-level code counts as start-up, not as that module's steady cost.
  const startupMemo = new Map<number, boolean>();
  const startup = (id: number): boolean => {
    const known = startupMemo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id) as ProfileNode;
    const p = parent.get(id);
    const value = isStartupFrame(node.callFrame) || (p !== undefined && startup(p));
    startupMemo.set(id, value);
    return value;
  };
  // Native frames (no script URL: Buffer and crypto bindings, avsc's generated readers and
  // writers) are charged to the area of the nearest caller that has one.
  const areaMemo = new Map<number, string>();
  const area = (id: number): string => {
    const known = areaMemo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id) as ProfileNode;
    let value = areaOf(node.callFrame);
    if (value.startsWith('native: ') || (buffersToCaller && value === 'Node streams/buffers')) {
      for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
        const frame = (byId.get(p) as ProfileNode).callFrame;
        const callerArea = frame.url ? areaOf(frame) : '';
        if (callerArea && !(buffersToCaller && callerArea === 'Node streams/buffers')) {
          value = callerArea;
          break;
        }
      }
    }
    areaMemo.set(id, value);
    return value;
  };
  const stackMemo = new Map<number, Set<string>>();
  const stackOf = (id: number): Set<string> => {
    let names = stackMemo.get(id);
    if (!names) {
      names = new Set<string>();
      for (let p: number | undefined = id; p !== undefined; p = parent.get(p))
        names.add((byId.get(p) as ProfileNode).callFrame.functionName);
      stackMemo.set(id, names);
    }
    return names;
  };
  const samples: Sample[] = [];
  let t = profile.startTime;
  const { samples: ids, timeDeltas } = profile;
  for (let i = 0; i < ids.length; i++) {
    t += timeDeltas[i] ?? 0;
    // Each sample stands for the time until the next one (the last one for the mean interval).
    const next = timeDeltas[i + 1];
    const node = byId.get(ids[i] as number) as ProfileNode;
    const id = node.id;
    samples.push({
      t,
      dt: next ?? 1000,
      node,
      area: area(id),
      startup: startup(id),
      stack: () => stackOf(id),
    });
  }
  const parts = basename(file).split('.');
  return { file, pid: parts[3] ?? '?', thread: parts[4] ?? '?', samples };
}

function profilesIn(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory())
      for (const f of readdirSync(p).sort()) {
        if (f.endsWith('.cpuprofile')) out.push(join(p, f));
      }
    else out.push(p);
  }
  return out;
}

const busy = (s: Sample) => s.node.callFrame.functionName !== '(idle)';

/** [from, to) of the `seconds`-long window with the most busy time (start-up aside) over all threads. */
export function busiestWindow(threads: Thread[], seconds: number): [number, number] {
  const all = threads
    .flatMap((th) => th.samples)
    .filter((s) => busy(s) && !s.startup)
    .sort((a, b) => a.t - b.t);
  const width = seconds * 1e6;
  let best: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  let bestSum = -1;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < all.length; hi++) {
    const h = all[hi] as Sample;
    sum += h.dt;
    while ((all[lo] as Sample).t <= h.t - width) sum -= (all[lo++] as Sample).dt;
    if (sum > bestSum) {
      bestSum = sum;
      // The samples summed: those after h.t − width, up to and with h.t.
      best = [h.t - width + 1, h.t + 1];
    }
  }
  return best;
}

export interface Totals {
  wall: number;
  idle: number;
  startup: number;
  byArea: Map<string, number>;
  byFunction: Map<string, { us: number; area: string }>;
}

export function tally(samples: Sample[]): Totals {
  const totals: Totals = { wall: 0, idle: 0, startup: 0, byArea: new Map(), byFunction: new Map() };
  for (const s of samples) {
    totals.wall += s.dt;
    const frame = s.node.callFrame;
    if (frame.functionName === '(idle)') {
      totals.idle += s.dt;
      continue;
    }
    if (s.startup) {
      totals.startup += s.dt;
      continue;
    }
    const area = s.area;
    totals.byArea.set(area, (totals.byArea.get(area) ?? 0) + s.dt);
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : 'native';
    const key = SPECIAL.has(frame.functionName)
      ? frame.functionName
      : `${frame.functionName || '(anonymous)'} ${where}`;
    const f = totals.byFunction.get(key) ?? { us: 0, area };
    f.us += s.dt;
    totals.byFunction.set(key, f);
  }
  return totals;
}

function shortUrl(url: string): string {
  const u = url.replace(/^file:\/\//, '');
  const mod = /node_modules\/(.*)$/.exec(u);
  if (mod) return mod[1] as string;
  const ours = /\/((?:packages|services|scripts)\/.*)$/.exec(u);
  return ours ? (ours[1] as string) : u;
}

function arg(name: string): string[] {
  const out: string[] = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) if (argv[i] === name && argv[i + 1]) out.push(argv[++i] as string);
  return out;
}

function main() {
  const argv = process.argv.slice(2);
  const flags = new Set(['--buffers-to-caller']);
  const paths = argv.filter(
    (a, i) => !a.startsWith('--') && !(argv[i - 1]?.startsWith('--') && !flags.has(argv[i - 1] as string)),
  );
  if (paths.length === 0) {
    console.error(
      'usage: profile-summary.ts <dir or .cpuprofile>… [--window S] [--events N] [--top N] [--pid P]',
    );
    process.exit(2);
  }
  const window = Number(arg('--window')[0] ?? 0);
  const events = Number(arg('--events')[0] ?? 0);
  const cpuUs = Number(arg('--cpu-us')[0] ?? 0);
  const under = arg('--under')[0];
  const thread = arg('--thread')[0];
  const top = Number(arg('--top')[0] ?? 15);
  const minMs = Number(arg('--min-ms')[0] ?? 200);
  const pids = new Set(arg('--pid'));
  const buffersToCaller = process.argv.includes('--buffers-to-caller');
  const threads = profilesIn(paths).map((file) => load(file, buffersToCaller));
  // Start-up work that is not module loading (reading a database at start): counted as start-up.
  const excluded = arg('--exclude');
  if (excluded.length > 0)
    for (const th of threads)
      for (const s of th.samples) if (!s.startup && excluded.some((f) => s.stack().has(f))) s.startup = true;
  if (under)
    for (const th of threads)
      th.samples = th.samples.filter(
        // GC and unattributed samples have no JS stack: they stay, within the window.
        (s) => !busy(s) || SPECIAL.has(s.node.callFrame.functionName) || s.stack().has(under),
      );
  const byPid = new Map<string, Thread[]>();
  for (const th of threads) {
    if (pids.size > 0 && !pids.has(th.pid)) continue;
    byPid.set(th.pid, [...(byPid.get(th.pid) ?? []), th]);
  }
  const ms = (us: number) => (us / 1000).toFixed(0);
  const pct = (us: number, of: number) => `${((100 * us) / of).toFixed(1)} %`;
  const per = events > 0 || cpuUs > 0;
  const evHead = per ? ' | µs/event' : '';
  const evRule = per ? '|---:' : '';
  for (const [pid, group] of byPid) {
    const [from, to] =
      window > 0 ? busiestWindow(group, window) : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    const inWindow = (s: Sample) => s.t >= from && s.t < to;
    const tallied = thread === undefined ? group : group.filter((th) => th.thread === thread);
    const all = tally(tallied.flatMap((th) => th.samples.filter(inWindow)));
    const cpu = all.wall - all.idle - all.startup;
    if ((all.wall - all.idle) / 1000 < minMs) continue;
    const perEvent = (us: number) =>
      events > 0
        ? ` | ${(us / events).toFixed(2)}`
        : cpuUs > 0
          ? ` | ${((cpuUs * us) / cpu).toFixed(2)}`
          : '';
    console.log(`\n## process ${pid}${window > 0 ? ` — busiest ${window} s window` : ''}`);
    console.log(
      '| thread | profile | sampled ms | idle | start-up | busy ms |\n|---|---|---:|---:|---:|---:|',
    );
    for (const th of group) {
      const t = tally(th.samples.filter(inWindow));
      console.log(
        `| ${th.thread} | ${basename(th.file)} | ${ms(t.wall)} | ${pct(t.idle, t.wall || 1)} | ${ms(t.startup)} ms | ${ms(t.wall - t.idle - t.startup)} |`,
      );
    }
    console.log(
      `\nby area${thread === undefined ? '' : ` (thread ${thread})`} (self time, busy samples outside start-up: ${ms(cpu)} ms)`,
    );
    console.log(`| area | ms | share${evHead} |\n|---|---:|---:${evRule}|`);
    for (const [area, us] of [...all.byArea].sort((a, b) => b[1] - a[1]))
      if (us / cpu >= 0.002) console.log(`| ${area} | ${ms(us)} | ${pct(us, cpu)}${perEvent(us)} |`);
    if (per) console.log(`| **all** | ${ms(cpu)} | 100 %${perEvent(cpu)} |`);
    console.log(`\ntop ${top} functions by self time`);
    console.log(`| function | area | ms | share${evHead} |\n|---|---|---:|---:${evRule}|`);
    for (const [name, f] of [...all.byFunction].sort((a, b) => b[1].us - a[1].us).slice(0, top))
      console.log(
        `| ${name.replaceAll('|', '\\|')} | ${f.area} | ${ms(f.us)} | ${pct(f.us, cpu)}${perEvent(f.us)} |`,
      );
  }
}

// Run as a script; imported (by its test), only export.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
