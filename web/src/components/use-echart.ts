/**
 * An ECharts chart on a div: made when the div mounts, resized with it, given each new option whole (not merged),
 * disposed when it unmounts. The chart modules a caller needs are registered by the caller (`echarts.use`), in the
 * lazily loaded file that draws the chart, so ECharts stays out of the first bundle.
 */
import * as echarts from 'echarts/core';
import { useEffect, useRef } from 'react';

export function useEChart(option: Record<string, unknown>) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return box;
}
