import DecisioningCore
import Plot

/// The run history as one chart: a bar per run for the total expected impact of its decisions
/// (right axis, money) and a line through each run's health score (left axis, 0–100), oldest run
/// on the left. A run without a health score leaves a gap in the line.
struct SVGHistoryChart {
    var points: [RunHistoryPoint]
    var width: Double = 1280
    var height: Double = 340

    static let impactColor = "#93c5fd"
    static let impactText = "#1d4ed8"
    static let healthColor = "#0f766e"

    func svg() -> BodyNode {
        var c = SVGCanvas(width: width, height: height)
        let points = self.points.sorted { a, b in a.startedAt != b.startedAt ? a.startedAt < b.startedAt : a.runId < b.runId }
        guard !points.isEmpty else { return c.svg(label: "No finished runs yet") }
        let left = 56.0
        let right = 78.0
        let top = 46.0
        let bottom = 52.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        let slot = plotW / Double(points.count)
        func x(_ i: Int) -> Double { left + slot * (Double(i) + 0.5) }

        let scoreTicks = [0.0, 25, 50, 75, 100]
        let topScore = max(100, points.compactMap(\.healthScore).max() ?? 0)
        func yScore(_ v: Double) -> Double { top + plotH - max(0, v) / topScore * plotH }
        let impacts = points.map(\.totalImpact.doubleValue).filter(\.isFinite)
        let moneyTicks = AxisTicks.nice(0, max(0, impacts.max() ?? 0), target: 4)
        let moneyHigh = moneyTicks.last ?? 1
        func yMoney(_ v: Double) -> Double { top + plotH - max(0, v) / (moneyHigh > 0 ? moneyHigh : 1) * plotH }

        // Grid on the score axis; money labels at their own heights on the right.
        for tick in scoreTicks {
            c.line(left, yScore(tick), left + plotW, yScore(tick), stroke: tick == 0 ? ChartPalette.axis : ChartPalette.grid)
            c.text(left - 10, yScore(tick) + 4, RenderFormat.trimmed(tick, digits: 0), anchor: .end, size: 12, fill: Self.healthColor)
        }
        for (tick, label) in zip(moneyTicks, AxisTicks.moneyLabels(moneyTicks)) {
            c.line(left + plotW, yMoney(tick), left + plotW + 5, yMoney(tick), stroke: ChartPalette.axis)
            c.text(left + plotW + 10, yMoney(tick) + 4, label, size: 12, fill: Self.impactText)
        }

        // Bars: total expected impact.
        let barW = min(56, slot * 0.62)
        for (i, p) in points.enumerated() {
            let value = p.totalImpact.doubleValue
            let y = yMoney(value)
            c.rect(
                x(i) - barW / 2, y, barW, top + plotH - y, fill: Self.impactColor, rx: 2,
                title:
                    "Run \(p.runId) as of \(p.asOf.iso): \(p.decisions) decision\(p.decisions == 1 ? "" : "s"), total expected impact \(RenderFormat.money(p.totalImpact))"
            )
            if points.count <= 16, value > 0 {
                c.text(x(i), y - 5, RenderFormat.moneyShort(p.totalImpact), anchor: .middle, size: 11, fill: Self.impactText)
            }
        }

        // The health line, in segments between runs without a score.
        var segment: [(Double, Double)] = []
        func flush() {
            if segment.count > 1 { c.path(SVGCanvas.polyline(segment), stroke: Self.healthColor, width: 2.5) }
            segment = []
        }
        for (i, p) in points.enumerated() {
            guard let score = p.healthScore else {
                flush()
                continue
            }
            segment.append((x(i), yScore(score)))
        }
        flush()
        for (i, p) in points.enumerated() {
            guard let score = p.healthScore else { continue }
            c.circle(
                x(i), yScore(score), r: 4, fill: Self.healthColor, stroke: "#ffffff",
                title: "Run \(p.runId) as of \(p.asOf.iso): health score \(RenderFormat.score(score))")
            if points.count <= 16 {
                c.text(x(i), yScore(score) - 9, RenderFormat.score(score), anchor: .middle, size: 11.5, weight: 700, fill: Self.healthColor)
            }
        }

        // Run labels: the as-of date and the start time, thinned to fit (the newest run always labelled).
        let stride = max(1, Int((Double(points.count) / max(1, plotW / 74)).rounded(.up)))
        for (i, p) in points.enumerated() where (points.count - 1 - i) % stride == 0 {
            c.line(x(i), top + plotH, x(i), top + plotH + 5, stroke: ChartPalette.axis)
            c.text(x(i), top + plotH + 19, "as of " + RenderFormat.monthName(p.asOf) + " \(p.asOf.civil.day)", anchor: .middle, size: 11.5)
            let time = String(p.startedAt.iso.dropFirst(11).prefix(5))
            c.text(x(i), top + plotH + 35, String(p.startedAt.iso.prefix(10)) + " " + time, anchor: .middle, size: 10.5, fill: "#6b7280")
        }

        // Legend.
        let ly = 18.0
        c.rect(left, ly - 7, 22, 14, fill: Self.impactColor, rx: 2)
        let impactLabel = "Total expected impact of the decisions (right axis)"
        c.text(left + 30, ly + 4, impactLabel, size: 12.5, fill: ChartPalette.ink)
        let lx = left + 30 + SVGCanvas.textWidth(impactLabel, size: 12.5) + 28
        c.line(lx, ly, lx + 26, ly, stroke: Self.healthColor, width: 2.5)
        c.circle(lx + 13, ly, r: 4, fill: Self.healthColor)
        c.text(lx + 34, ly + 4, "Health score, 0–100 (left axis)", size: 12.5, fill: ChartPalette.ink)
        return c.svg(label: "Health score and total expected impact of the last \(points.count) finished runs")
    }
}
