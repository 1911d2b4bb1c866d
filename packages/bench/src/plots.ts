import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to an SVG string (Vega-Lite -> Vega -> headless View, no browser).
 * Every figure carries `caption`, the command that reproduces it, as its subtitle.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Recall@10 against queries/s, one line per system and setting family, faceted by workload. */
export function recallQpsSpec(
  dataset: string,
  points: ReadonlyArray<{ system: string; setting: string; workload: string; recall: number; qps: number }>,
  caption: string,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${dataset}: recall@10 vs queries/s (one thread)`, subtitle: caption },
    data: { values: points.map((p) => ({ ...p })) },
    facet: { field: 'workload', type: 'nominal', title: null, sort: null },
    columns: 3,
    spec: {
      width: 220,
      height: 170,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'recall', type: 'quantitative', title: 'recall@10', scale: { zero: false } },
        y: { field: 'qps', type: 'quantitative', title: 'queries/s', scale: { type: 'log' } },
        color: { field: 'system', type: 'nominal', legend: { labelLimit: 400 } },
        order: { field: 'recall', type: 'quantitative' },
      },
    },
  };
}

/** Sweep rows as recall-vs-qps series: one line per system (its settings), one panel per workload. */
export function recallSeries(
  rows: ReadonlyArray<{
    system: string;
    setting: string;
    workload: string;
    selectivity: string;
    recall: number;
    qps: number;
  }>,
): Array<{ system: string; setting: string; workload: string; recall: number; qps: number }> {
  const names: Record<string, string> = {
    squash: 'squash (fast/default/accurate)',
    'hnswlib-node': 'hnswlib-node (ef 32/64/128)',
  };
  return rows.map((r) => ({
    system: names[r.system] ?? r.system,
    setting: r.setting,
    workload: `${r.workload} ${r.selectivity}`,
    recall: r.recall,
    qps: r.qps,
  }));
}

/** Latency percentiles of the serve benchmark as bars. */
export function latencySpec(
  points: ReadonlyArray<{ measure: string; percentile: string; ms: number }>,
  caption: string,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'squash serve (local runtime): latency percentiles', subtitle: caption },
    data: { values: points.map((p) => ({ ...p })) },
    width: 420,
    height: 220,
    mark: 'bar',
    encoding: {
      x: { field: 'measure', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'percentile', type: 'nominal', sort: ['p50', 'p95', 'p99'] },
      y: { field: 'ms', type: 'quantitative', title: 'ms', scale: { type: 'log' } },
      color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p95', 'p99'] },
    },
  };
}

/** $ per million queries against index size, one line per deployment. */
export function costSpec(
  points: ReadonlyArray<{ deployment: string; vectors: number; dollarsPerMillion: number }>,
  caption: string,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Cost per million queries vs index size (768-d, cost model)', subtitle: caption },
    data: { values: points.map((p) => ({ ...p })) },
    width: 460,
    height: 260,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'vectors', type: 'quantitative', title: 'vectors', scale: { type: 'log' } },
      y: {
        field: 'dollarsPerMillion',
        type: 'quantitative',
        title: '$ per million queries',
        scale: { type: 'log' },
      },
      color: { field: 'deployment', type: 'nominal' },
    },
  };
}
