import { readFileSync } from 'node:fs';
type Snap = { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
function agg(path: string): Map<string, { n: number; size: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snap;
  const f = snap.snapshot.meta.node_fields; const w = f.length;
  const ti = f.indexOf('type'), ni = f.indexOf('name'), si = f.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const m = new Map<string, { n: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += w) {
    const type = types[snap.nodes[i + ti]!]!; let name = snap.strings[snap.nodes[i + ni]!]!;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    else if (type === 'code') name = '(code)';
    else if (type === 'closure') name = `closure ${name}`;
    else if (type === 'array') name = `(array) ${name}`.slice(0, 60);
    else if (type === 'hidden') name = `(hidden) ${name}`.slice(0, 60);
    else if (type === 'object shape') name = '(shape)';
    const key = `${type}:${name}`.slice(0, 90);
    const e = m.get(key) ?? { n: 0, size: 0 }; e.n++; e.size += snap.nodes[i + si]!; m.set(key, e);
  }
  return m;
}
const a = agg(process.argv[2]!), b = agg(process.argv[3]!);
const per = Number(process.argv[4] ?? 500);
const rows = [...b].map(([k, v]) => { const o = a.get(k) ?? { n: 0, size: 0 }; return { k, dn: v.n - o.n, ds: v.size - o.size }; }).sort((x, y) => y.ds - x.ds);
let total = 0; for (const r of rows) total += r.ds;
console.log('total per socket bytes', (total / per).toFixed(0));
for (const r of rows.slice(0, 45)) console.log(String((r.ds / per).toFixed(0)).padStart(7), String((r.dn / per).toFixed(2)).padStart(7), r.k);
