/**
 * The one-map's ECharts canvas (loaded lazily with the page): cells of each risk class by district, stacked.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../components/use-echart.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export default function DistrictChart({ option, height }: { option: Record<string, unknown>; height: number }) {
  const box = useEChart(option);
  return <div ref={box} style={{ width: '100%', height }} data-testid="risk-district-chart" />;
}
