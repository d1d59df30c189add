/** The risk overview's ECharts canvas (loaded with the page): four colours by district, stacked. */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../components/use-echart.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export default function RiskChart({ option, height }: { option: Record<string, unknown>; height: number }) {
  const box = useEChart(option);
  return <div ref={box} style={{ width: '100%', height }} data-testid="risk-chart" />;
}
