// A small SVG bar chart (no library): one bar per block, the latest on the right, with an accessible summary.
const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 120;

function svg(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Renders `points` ([{ label, value }]) into `container`, replacing what was there. */
export function barChart(container, rawPoints, { unit, title }) {
  // A block stamped before its parent (clock skew between proposers) draws as zero, not below the axis.
  const points = rawPoints.map((p) => ({ ...p, value: Math.max(0, p.value) }));
  const max = Math.max(1, ...points.map((p) => p.value));
  const last = points.length ? points[points.length - 1].value : 0;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT + 16}`, role: 'img', class: 'chart', preserveAspectRatio: 'none' });
  const label = svg('title', {});
  const avg = points.length ? points.reduce((s, p) => s + p.value, 0) / points.length : 0;
  label.textContent = `${title}: latest ${fmt(last)} ${unit}, mean ${fmt(avg)} ${unit}, max ${fmt(max)} ${unit} over ${points.length} blocks`;
  root.append(label);
  root.append(svg('line', { x1: 0, y1: HEIGHT, x2: WIDTH, y2: HEIGHT, class: 'axis' }));
  const step = WIDTH / Math.max(points.length, 1);
  points.forEach((p, i) => {
    const h = (p.value / max) * (HEIGHT - 18);
    const bar = svg('rect', { x: i * step + 1, y: HEIGHT - h, width: Math.max(step - 2, 1), height: Math.max(h, 0.5), class: 'bar' });
    const tip = svg('title', {});
    tip.textContent = `${p.label}: ${fmt(p.value)} ${unit}`;
    bar.append(tip);
    root.append(bar);
  });
  const maxText = svg('text', { x: 4, y: 12, class: 'chart-label' });
  maxText.textContent = `max ${fmt(max)} ${unit}`;
  root.append(maxText);
  container.replaceChildren(root);
  return { latest: last, mean: avg };
}

const fmt = (v) => (v >= 100 ? Math.round(v).toString() : v.toFixed(v >= 10 ? 1 : 2));
