/**
 * The board's ECharts canvas: only the bar chart and the components it uses are imported, and the board loads this
 * file lazily, so ECharts weighs nothing on other pages.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../components/use-echart.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export default function BoardChart({ option, height }: { option: Record<string, unknown>; height: number }) {
  const box = useEChart(option);
  return <div ref={box} style={{ width: '100%', height }} data-testid="board-chart" />;
}
