/**
 * The ECharts canvas of the device page. Only what it uses is imported (the core, the line chart, four components,
 * the canvas renderer), and the page loads this file lazily, so ECharts never weighs on the first page load.
 */
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEChart } from '../../components/use-echart.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, MarkLineComponent, DataZoomComponent, CanvasRenderer]);

export default function ReadingsChart({ option, height = 340 }: { option: Record<string, unknown>; height?: number }) {
  const box = useEChart(option);
  return <div ref={box} style={{ width: '100%', height }} data-testid="readings-chart" />;
}
