import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

// Loaded only in the browser, on demand: recharts is most of this page's
// JavaScript, and the same numbers are in the table next to it.

export type ChartPoint = { label: string; trained: number; target: number; headcount: number };
/** A rule version took over on `date`; `label` is the chart point that first counts with it. */
export type RuleChange = { label: string; date: string };

export default function TrainedChart({
  points,
  names,
  changes = [],
  changeLabel = "",
}: {
  points: ChartPoint[];
  names: { trained: string; target: string; headcount: string };
  changes?: RuleChange[];
  changeLabel?: string;
}) {
  return (
    <ResponsiveContainer width="100%" height={320}>
      <LineChart accessibilityLayer={false} data={points} margin={{ top: 10, right: 24, bottom: 10, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#d9dee5" />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={16} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
        <Tooltip />
        <Legend />
        <Line
          type="monotone"
          dataKey="headcount"
          name={names.headcount}
          stroke="#8a94a3"
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="linear"
          dataKey="target"
          name={names.target}
          stroke="#b3261e"
          strokeDasharray="6 4"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        {changes.map((c) => (
          <ReferenceLine
            key={c.label}
            x={c.label}
            stroke="#6b4fa0"
            strokeDasharray="2 3"
            label={{ value: `${changeLabel} ${c.date}`, position: "insideTopLeft", fontSize: 11, fill: "#6b4fa0" }}
          />
        ))}
        <Line
          type="monotone"
          dataKey="trained"
          name={names.trained}
          stroke="#0b4f8a"
          strokeWidth={3}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
