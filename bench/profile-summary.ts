// Summarizes a V8 CPU profile (from `npm run bench -- --cpu-prof`): the functions and the files that
// take the most time, self and inclusive. Usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const short = (url: string): string => url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '~/').replace(/^.*\/work\/main\//, '');

/** Self and inclusive milliseconds per function and per file. */
export function summarizeProfile(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fnSelf = new Map<string, number>();
  const fnTotal = new Map<string, number>();
  const fileTotal = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    total += us;
    const node = byId.get(id);
    if (!node) continue;
    const key = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    fnSelf.set(key(node), (fnSelf.get(key(node)) ?? 0) + us);
    // Inclusive: count each function and file once per sample's stack.
    const seenFn = new Set<string>();
    const seenFile = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const k = key(n);
      if (!seenFn.has(k)) fnTotal.set(k, (fnTotal.get(k) ?? 0) + us);
      seenFn.add(k);
      const f = short(n.callFrame.url) || n.callFrame.functionName;
      if (!seenFile.has(f)) fileTotal.set(f, (fileTotal.get(f) ?? 0) + us);
      seenFile.add(f);
    }
  }
  const table = (title: string, m: Map<string, number>): string =>
    `${title}\n` +
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(9)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return [`total ${(total / 1000).toFixed(0)} ms`, table('self time by function', fnSelf), table('inclusive time by function', fnTotal), table('inclusive time by file', fileTotal)].join('\n\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25)) + '\n');
}
