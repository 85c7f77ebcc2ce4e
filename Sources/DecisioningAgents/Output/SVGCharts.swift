import DecisioningCore
import Foundation
import Plot

/// Hand-written inline SVG for the dashboard: a canvas, nice axis ticks, and the three chart kinds
/// the dashboard needs (a monthly line chart with a forecast band, horizontal bars, a histogram).
///
/// Coordinates are written with one decimal so the output is stable and compact; texts and
/// attributes are escaped by construction (`SVG.element`, `.plain`). The SVGs carry no `xmlns` (inline SVG in HTML does not need it) and no scripts.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var nodes: [BodyNode] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        return RenderFormat.trimmed(v, digits: 1)
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        nodes.append(
            SVG.element(
                "line",
                [
                    ("x1", Self.n(x1)), ("y1", Self.n(y1)), ("x2", Self.n(x2)), ("y2", Self.n(y2)), ("stroke", stroke),
                    ("stroke-width", Self.n(width)), ("stroke-dasharray", dash),
                ]))
    }

    mutating func rect(
        _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, rx: Double = 0, opacity: Double? = nil,
        stroke: String? = nil, title: String? = nil
    ) {
        nodes.append(
            SVG.element(
                "rect",
                [
                    ("x", Self.n(x)), ("y", Self.n(y)), ("width", Self.n(max(0, w))), ("height", Self.n(max(0, h))), ("fill", fill),
                    ("rx", rx > 0 ? Self.n(rx) : nil), ("fill-opacity", opacity.map(Self.n2)), ("stroke", stroke),
                ],
                [SVG.title(title)]))
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(
        _ x: Double, _ y: Double, _ text: String, anchor: Anchor = .start, size: Double = 12, weight: Int = 400,
        fill: String = ChartPalette.axisText, title: String? = nil
    ) {
        nodes.append(
            SVG.element(
                "text",
                [
                    ("x", Self.n(x)), ("y", Self.n(y)), ("font-size", Self.n(size)),
                    ("text-anchor", anchor == .start ? nil : anchor.rawValue),
                    ("font-weight", weight == 400 ? nil : String(weight)), ("fill", fill),
                ],
                [.plain(text), SVG.title(title)]))
    }

    mutating func path(
        _ d: String, stroke: String = "none", width: Double = 1, fill: String = "none", opacity: Double? = nil, dash: String? = nil
    ) {
        nodes.append(
            SVG.element(
                "path",
                [
                    ("d", d), ("fill", fill), ("fill-opacity", opacity.map(Self.n2)), ("stroke", stroke), ("stroke-width", Self.n(width)),
                    ("stroke-dasharray", dash), ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
                ]))
    }

    mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        nodes.append(
            SVG.element(
                "circle",
                [
                    ("cx", Self.n(cx)), ("cy", Self.n(cy)), ("r", Self.n(r)), ("fill", fill), ("stroke", stroke),
                    ("stroke-width", stroke == nil ? nil : "1.5"),
                ],
                [SVG.title(title)]))
    }

    static func n2(_ v: Double) -> String { RenderFormat.trimmed(v, digits: 2) }

    /// A polyline path through the points.
    static func polyline(_ points: [(Double, Double)]) -> String {
        points.enumerated().map { i, p in (i == 0 ? "M" : "L") + n(p.0) + " " + n(p.1) }.joined(separator: " ")
    }

    func svg(label: String) -> BodyNode {
        SVG.element(
            "svg",
            [
                ("class", "chart"), ("viewBox", "0 0 \(Self.n(width)) \(Self.n(height))"), ("width", "100%"), ("role", "img"),
                ("aria-label", label),
                ("font-family", "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"),
            ],
            [SVG.title(label)] + nodes)
    }

    /// A rough width of `text` at `size` px in a sans-serif face, for layout.
    static func textWidth(_ text: String, size: Double) -> Double {
        var units = 0.0
        for ch in text {
            if "il.,:;|!'’ ".contains(ch) {
                units += 0.3
            } else if "mwMW@%".contains(ch) {
                units += 0.85
            } else if ch.isUppercase {
                units += 0.66
            } else if ch.isNumber || ch == "$" {
                units += 0.56
            } else {
                units += 0.53
            }
        }
        return units * size
    }

    /// Cuts `text` to fit `width` px, with an ellipsis.
    static func fit(_ text: String, width: Double, size: Double) -> String {
        guard textWidth(text, size: size) > width else { return text }
        var cut = text
        while !cut.isEmpty && textWidth(cut + "…", size: size) > width { cut.removeLast() }
        return cut.trimmingCharacters(in: .whitespaces) + "…"
    }
}

enum ChartPalette {
    static let revenue = "#2563eb"
    static let cost = "#ea580c"
    static let band = "#2563eb"
    static let grid = "#e5e7eb"
    static let axis = "#9ca3af"
    static let axisText = "#4b5563"
    static let ink = "#1f2933"
    static let forecastZone = "#f3f4f6"
    static let good = "#16a34a"
    static let warn = "#d97706"
    static let bad = "#dc2626"
    static let info = "#2563eb"
    static let neutral = "#94a3b8"
    static let bar = "#3b82f6"
    static let histogram = "#7c3aed"

    static func tone(_ tone: ReportDocument.Tone) -> String {
        switch tone {
        case .good: return good
        case .warn: return warn
        case .bad: return bad
        case .info: return info
        case .neutral: return neutral
        }
    }
}

/// Nice axis ticks (steps of 1, 2, 2.5 or 5 × 10^k) and their labels.
enum AxisTicks {
    static func nice(_ low: Double, _ high: Double, target: Int = 5, integer: Bool = false) -> [Double] {
        var lo = low
        var hi = high
        guard lo.isFinite, hi.isFinite else { return [0, 1] }
        if hi < lo { swap(&lo, &hi) }
        if hi == lo {
            if hi == 0 {
                hi = 1
            } else {
                let pad = abs(hi) * 0.1
                lo -= pad
                hi += pad
            }
        }
        var step = niceStep((hi - lo) / Double(max(1, target)))
        if integer { step = max(1, step.rounded(.up)) }
        let start = (lo / step).rounded(.down) * step
        let end = (hi / step).rounded(.up) * step
        var ticks: [Double] = []
        var i = 0
        while i <= 200 {
            // Rounded to 12 significant digits so 3 × 0.2 reads 0.6, not 0.6000000000000001.
            let v = Double(String(format: "%.12g", start + Double(i) * step)) ?? start + Double(i) * step
            if v > end + step * 1e-9 { break }
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            i += 1
        }
        return ticks.count >= 2 ? ticks : [start, start + step]
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let exponent = log10(raw).rounded(.down)
        let magnitude = pow(10, exponent)
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Money labels for a whole axis, in one unit with just enough digits: `$0`, `$0.25M`, `$0.5M`, `$1.25M`.
    static func moneyLabels(_ ticks: [Double]) -> [String] {
        let (unit, suffix, digits) = scale(ticks)
        return ticks.map { v in
            if v == 0 { return "$0" }
            return (v < 0 ? "-$" : "$") + RenderFormat.trimmed(abs(v) / unit, digits: digits) + suffix
        }
    }

    /// Plain number labels for an axis: `0`, `0.5`, `1`, `1.5K`.
    static func numberLabels(_ ticks: [Double]) -> [String] {
        let (unit, suffix, digits) = scale(ticks)
        return ticks.map { v in v == 0 ? "0" : (v < 0 ? "-" : "") + RenderFormat.trimmed(abs(v) / unit, digits: digits) + suffix }
    }

    private static func scale(_ ticks: [Double]) -> (Double, String, Int) {
        let biggest = ticks.map(abs).max() ?? 0
        var unit = 1.0
        var suffix = ""
        for (size, s) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] where biggest >= size {
            unit = size
            suffix = s
            break
        }
        let step = ticks.count >= 2 ? abs(ticks[1] - ticks[0]) / unit : 1
        var digits = 0
        while digits < 4 {
            let scaled = step * pow(10, Double(digits))
            if abs(scaled - scaled.rounded()) < 1e-6 { break }
            digits += 1
        }
        return (unit, suffix, digits)
    }
}

// MARK: - Trend chart

/// Monthly revenue and cost, continued by the revenue forecast with its interval as a band.
struct SVGTrendChart {
    struct Month {
        var day: Day
        var revenue: Double
        var cost: Double
    }

    struct Projection {
        var day: Day
        var predicted: Double
        var lower: Double
        var upper: Double
    }

    var months: [Month]
    var forecast: [Projection]
    /// E.g. `80% interval`.
    var intervalLabel: String
    var width: Double = 1280
    var height: Double = 380

    var isEmpty: Bool { months.isEmpty && forecast.isEmpty }

    func svg() -> BodyNode {
        var c = SVGCanvas(width: width, height: height)
        let left = 78.0
        let right = 36.0
        let top = 46.0
        let bottom = 52.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        let months = self.months.sorted { $0.day < $1.day }
        let forecast = self.forecast.sorted { $0.day < $1.day }
        let allDays = (months.map(\.day) + forecast.map(\.day))
        guard let first = allDays.min(), let last = allDays.max() else { return c.svg(label: "No monthly figures") }
        let firstIndex = first.monthIndex()
        let span = max(1, last.monthIndex() - firstIndex)
        func x(_ day: Day) -> Double { left + Double(day.monthIndex() - firstIndex) / Double(span) * plotW }

        var values = months.flatMap { [$0.revenue, $0.cost] } + forecast.flatMap { [$0.predicted, $0.lower, $0.upper] }
        values = values.filter(\.isFinite)
        let ticks = AxisTicks.nice(min(0, values.min() ?? 0), max(0, values.max() ?? 1), target: 5)
        let lo = ticks.first!
        let hi = ticks.last!
        func y(_ v: Double) -> Double { top + plotH - (v - lo) / (hi - lo) * plotH }

        // Forecast zone behind everything.
        if let start = forecast.first {
            let zoneStart = months.last.map { x($0.day) } ?? x(start.day)
            c.rect(zoneStart, top, left + plotW - zoneStart, plotH, fill: ChartPalette.forecastZone)
            c.text(zoneStart + 8, top + 16, "Forecast", size: 12, weight: 600, fill: "#6b7280")
        }

        // Grid and y labels.
        for (tick, label) in zip(ticks, AxisTicks.moneyLabels(ticks)) {
            c.line(left, y(tick), left + plotW, y(tick), stroke: tick == 0 ? ChartPalette.axis : ChartPalette.grid)
            c.text(left - 10, y(tick) + 4, label, anchor: .end, size: 12)
        }

        // Month labels: thinned to fit, with the year under the first label and under each January.
        let labelDays = Array(Set(allDays.map { $0.monthIndex() })).sorted()
        let maxLabels = max(2, Int(plotW / 46))
        let stride = max(1, Int((Double(labelDays.count) / Double(maxLabels)).rounded(.up)))
        var lastYear: Int?
        for (i, index) in labelDays.enumerated() where i % stride == 0 {
            let day = Day(year: index / 12, month: index % 12 + 1, day: 1)!
            let px = left + Double(index - firstIndex) / Double(span) * plotW
            c.line(px, top + plotH, px, top + plotH + 5, stroke: ChartPalette.axis)
            c.text(px, top + plotH + 19, RenderFormat.monthName(day), anchor: .middle, size: 12)
            if lastYear != day.year {
                c.text(px, top + plotH + 35, String(day.year), anchor: .middle, size: 11.5, weight: 600, fill: "#6b7280")
                lastYear = day.year
            }
        }

        // Forecast band and line, anchored on the last actual month.
        if !forecast.isEmpty {
            var upper = forecast.map { (x($0.day), y($0.upper)) }
            var lower = forecast.map { (x($0.day), y($0.lower)) }
            var centre = forecast.map { (x($0.day), y($0.predicted)) }
            if let anchor = months.last {
                let point = (x(anchor.day), y(anchor.revenue))
                upper.insert(point, at: 0)
                lower.insert(point, at: 0)
                centre.insert(point, at: 0)
            }
            let band = SVGCanvas.polyline(upper + lower.reversed()) + " Z"
            c.path(band, fill: ChartPalette.band, opacity: 0.16)
            c.path(SVGCanvas.polyline(centre), stroke: ChartPalette.revenue, width: 2.5, dash: "7 5")
            for p in forecast {
                c.circle(
                    x(p.day), y(p.predicted), r: 3.5, fill: "#ffffff", stroke: ChartPalette.revenue,
                    title:
                        "\(RenderFormat.monthYear(p.day)) forecast \(RenderFormat.moneyShort(p.predicted)) (\(RenderFormat.moneyShort(p.lower)) – \(RenderFormat.moneyShort(p.upper)))"
                )
            }
        }

        // Actual lines.
        if !months.isEmpty {
            c.path(SVGCanvas.polyline(months.map { (x($0.day), y($0.cost)) }), stroke: ChartPalette.cost, width: 2.5)
            c.path(SVGCanvas.polyline(months.map { (x($0.day), y($0.revenue)) }), stroke: ChartPalette.revenue, width: 2.5)
            for m in months {
                c.circle(
                    x(m.day), y(m.cost), r: 3, fill: ChartPalette.cost,
                    title: "\(RenderFormat.monthYear(m.day)) cost \(RenderFormat.moneyShort(m.cost))")
                c.circle(
                    x(m.day), y(m.revenue), r: 3, fill: ChartPalette.revenue,
                    title: "\(RenderFormat.monthYear(m.day)) revenue \(RenderFormat.moneyShort(m.revenue))")
            }
            if let lastMonth = months.last {
                // The latest actual revenue, labelled above its point.
                c.text(
                    x(lastMonth.day), y(lastMonth.revenue) - 10, RenderFormat.moneyShort(lastMonth.revenue), anchor: .middle, size: 12,
                    weight: 700, fill: ChartPalette.revenue)
            }
        }
        if let end = forecast.last {
            c.text(
                x(end.day) - 6, y(end.predicted) - 10, RenderFormat.moneyShort(end.predicted), anchor: .end, size: 12, weight: 700,
                fill: ChartPalette.revenue)
        }

        // Legend.
        var lx = left
        let ly = 18.0
        func legendLine(_ label: String, color: String, dash: String?) {
            c.line(lx, ly, lx + 26, ly, stroke: color, width: 2.5, dash: dash)
            c.text(lx + 32, ly + 4, label, size: 12.5, fill: ChartPalette.ink)
            lx += 32 + SVGCanvas.textWidth(label, size: 12.5) + 22
        }
        if !months.isEmpty {
            legendLine("Revenue", color: ChartPalette.revenue, dash: nil)
            legendLine("Cost", color: ChartPalette.cost, dash: nil)
        }
        if !forecast.isEmpty {
            legendLine("Revenue forecast", color: ChartPalette.revenue, dash: "7 5")
            c.rect(lx, ly - 7, 26, 14, fill: ChartPalette.band, opacity: 0.16)
            c.text(lx + 32, ly + 4, intervalLabel, size: 12.5, fill: ChartPalette.ink)
        }
        return c.svg(label: "Monthly revenue and cost" + (forecast.isEmpty ? "" : ", with the revenue forecast and its interval"))
    }
}

// MARK: - Horizontal bars

/// Labelled horizontal bars with the value at the bar's end and an optional right-hand column.
struct SVGBarChart {
    struct Row {
        var label: String
        var value: Double
        var valueLabel: String
        var color: String
        var extra: String?
        var extraColor: String?
        var tooltip: String?
    }

    var rows: [Row]
    var money: Bool
    var extraHeader: String?
    var width: Double = 600
    var rowHeight: Double = 26
    var label: String

    func svg() -> BodyNode {
        let top = 30.0
        let bottom = 8.0
        let height = top + Double(rows.count) * rowHeight + bottom
        var c = SVGCanvas(width: width, height: height)
        let labelSize = 12.5
        let labelW = min(190, max(60, (rows.map { SVGCanvas.textWidth($0.label, size: labelSize) }.max() ?? 0) + 12))
        let extraW = extraHeader == nil ? 0.0 : max(64, SVGCanvas.textWidth(extraHeader!, size: 11.5) + 8)
        let valueRoom = 62.0
        let left = labelW
        let plotW = width - left - extraW - valueRoom - 4
        let maxValue = max(rows.map(\.value).filter(\.isFinite).max() ?? 0, 0)
        let ticks = AxisTicks.nice(0, maxValue == 0 ? 1 : maxValue, target: 4, integer: !money)
        let hi = ticks.last!
        func x(_ v: Double) -> Double { left + max(0, v) / hi * plotW }

        let labels = money ? AxisTicks.moneyLabels(ticks) : AxisTicks.numberLabels(ticks)
        for (tick, text) in zip(ticks, labels) {
            c.line(x(tick), top - 4, x(tick), height - bottom, stroke: tick == 0 ? ChartPalette.axis : ChartPalette.grid)
            c.text(x(tick), top - 10, text, anchor: .middle, size: 11.5)
        }
        if let extraHeader {
            c.text(width - extraW / 2, top - 10, extraHeader, anchor: .middle, size: 11.5, weight: 600)
        }
        for (i, row) in rows.enumerated() {
            let rowTop = top + Double(i) * rowHeight
            let barH = rowHeight * 0.62
            let barY = rowTop + (rowHeight - barH) / 2
            let mid = rowTop + rowHeight / 2 + 4.5
            let shown = SVGCanvas.fit(row.label, width: labelW - 12, size: labelSize)
            c.text(left - 8, mid, shown, anchor: .end, size: labelSize, fill: ChartPalette.ink, title: shown == row.label ? nil : row.label)
            c.rect(left, barY, x(row.value) - left, barH, fill: row.color, rx: 2, title: row.tooltip)
            c.text(x(row.value) + 6, mid, row.valueLabel, size: 12, weight: 600, fill: ChartPalette.ink)
            if let extra = row.extra {
                c.text(width - extraW / 2, mid, extra, anchor: .middle, size: 12.5, weight: 700, fill: row.extraColor ?? ChartPalette.ink)
            }
        }
        return c.svg(label: label)
    }
}

// MARK: - SVGHistogram

/// A histogram of values, with bins on nice boundaries.
struct SVGHistogram {
    var values: [Double]
    var axisLabel: String
    var color: String = ChartPalette.histogram
    var width: Double = 600
    var height: Double = 220
    var label: String

    func svg() -> BodyNode {
        var c = SVGCanvas(width: width, height: height)
        let values = self.values.filter(\.isFinite)
        let left = 44.0
        let right = 16.0
        let top = 14.0
        let bottom = 46.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        guard let lo = values.min(), let hi = values.max() else { return c.svg(label: label) }
        let edges = AxisTicks.nice(lo, hi, target: 8)
        let binCount = max(1, edges.count - 1)
        var counts = Array(repeating: 0, count: binCount)
        let first = edges.first!
        let step = edges.count >= 2 ? edges[1] - edges[0] : 1
        for v in values {
            let bin = min(binCount - 1, max(0, Int(((v - first) / step).rounded(.down))))
            counts[bin] += 1
        }
        let yTicks = AxisTicks.nice(0, Double(counts.max() ?? 1), target: 4, integer: true)
        let yHi = yTicks.last!
        func y(_ v: Double) -> Double { top + plotH - v / yHi * plotH }
        for (tick, text) in zip(yTicks, AxisTicks.numberLabels(yTicks)) {
            c.line(left, y(tick), left + plotW, y(tick), stroke: tick == 0 ? ChartPalette.axis : ChartPalette.grid)
            c.text(left - 8, y(tick) + 4, text, anchor: .end, size: 11.5)
        }
        let binW = plotW / Double(binCount)
        for (i, count) in counts.enumerated() {
            let x0 = left + Double(i) * binW
            let from = RenderFormat.trimmed(edges[i], digits: 2)
            let to = RenderFormat.trimmed(edges[i] + step, digits: 2)
            c.rect(
                x0 + 2, y(Double(count)), binW - 4, y(0) - y(Double(count)), fill: color, rx: 2,
                title: "\(count) project\(count == 1 ? "" : "s") scored \(from)–\(to)")
            if count > 0 {
                c.text(x0 + binW / 2, y(Double(count)) - 5, String(count), anchor: .middle, size: 11.5, weight: 600, fill: ChartPalette.ink)
            }
        }
        let edgeLabels = AxisTicks.numberLabels(edges)
        let every = max(1, Int((Double(edges.count) * 40 / plotW).rounded(.up)))
        for (i, edge) in edges.enumerated() where i % every == 0 {
            let px = left + Double(i) * binW
            c.line(px, y(0), px, y(0) + 4, stroke: ChartPalette.axis)
            c.text(px, y(0) + 17, edgeLabels[i], anchor: .middle, size: 11.5)
            _ = edge
        }
        c.text(left + plotW / 2, height - 6, axisLabel, anchor: .middle, size: 12, fill: "#6b7280")
        return c.svg(label: label)
    }
}
