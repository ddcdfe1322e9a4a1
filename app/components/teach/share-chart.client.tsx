import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";

// Loaded only in the browser, on demand (ChartFigure): one horizontal bar per
// item, 0–100%. The same numbers are in the table beside it.

export type ShareBar = { label: string; percent: number };

export default function ShareChart({ bars, height }: { bars: ShareBar[]; height: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        data={bars}
        layout="vertical"
        margin={{ top: 4, right: 40, bottom: 4, left: 4 }}
        accessibilityLayer={false}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#d9dee5" horizontal={false} />
        <XAxis type="number" domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={{ fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 12 }} interval={0} />
        <Bar dataKey="percent" fill="#0b4f8a" isAnimationActive={false}>
          <LabelList
            dataKey="percent"
            position="right"
            formatter={(v: unknown) => `${String(v)}%`}
            fontSize={12}
            fill="#1b2430"
          />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
