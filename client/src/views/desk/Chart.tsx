import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A uPlot line/bar chart over category columns (periods). x is the column index; `xLabels` names
 * them. Resizes with its box so it fits a phone as well as a desktop.
 */
export function Chart({
  xLabels,
  xTitle,
  series,
  yFormat,
  yMax,
  bars,
  title,
}: {
  xLabels: string[];
  xTitle: string;
  series: ChartSeries[];
  yFormat: (v: number) => string;
  yMax?: number;
  bars?: boolean;
  title: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(280, el.clientWidth);
    const data: uPlot.AlignedData = [xLabels.map((_, i) => i), ...series.map((s) => s.values)];
    const plot = new uPlot(
      {
        width: width(),
        height: 240,
        scales: { x: { time: false }, y: yMax === undefined ? {} : { range: [0, yMax] } },
        axes: [
          { values: (_u, ticks) => ticks.map((i) => (Number.isInteger(i) ? (xLabels[i] ?? '') : '')), space: 70 },
          { values: (_u, ticks) => ticks.map(yFormat), size: 70 },
        ],
        series: [
          { label: xTitle, value: (_u, i) => (i === null ? '—' : (xLabels[i] ?? '')) },
          ...series.map<uPlot.Series>((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            fill: bars ? `${s.color}55` : undefined,
            paths: bars ? uPlot.paths.bars?.({ size: [0.6, 60] }) : undefined,
            points: { show: true },
            value: (_u, v) => (v === null ? '—' : yFormat(v)),
            spanGaps: false,
          })),
        ],
        legend: { show: true },
      },
      data,
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(xLabels), JSON.stringify(series), bars, xTitle, yMax]);
  return <div class="chart" ref={box} role="img" aria-label={title} />;
}
