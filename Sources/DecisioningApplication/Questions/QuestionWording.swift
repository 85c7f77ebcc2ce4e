import DecisioningCore
import Foundation

/// How answers read: numbers in the model's units, periods and filters in words. Wording only; the figures
/// are computed elsewhere.
enum QuestionWording {
    /// A cell's value for a sentence.
    static func figure(_ value: JSONValue, unit: SemanticModel.Unit) -> String {
        switch value {
        case .null: return "no value"
        case .string(let s):
            guard unit == .money, let d = Double(s) else { return s }
            return money(d)
        case .number(let n):
            switch unit {
            case .money: return money(n)
            case .ratio: return String(format: "%.2f%%", n * 100)
            case .count: return grouped(String(format: "%.0f", n))
            case .days: return String(format: "%.1f days", n)
            case .score: return String(format: "%.3f", n)
            }
        case .bool(let b): return b ? "yes" : "no"
        default: return "\(value)"
        }
    }

    static func money(_ n: Double) -> String {
        let text = String(format: "%.2f", abs(n))
        let parts = text.split(separator: ".")
        return (n < 0 ? "-" : "") + grouped(String(parts[0])) + "." + (parts.count > 1 ? String(parts[1]) : "00")
    }

    static func grouped(_ digits: String) -> String {
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// A change: points for ratios, signed amounts otherwise.
    static func change(_ value: JSONValue, unit: SemanticModel.Unit) -> String {
        guard let n = number(value) else { return "no change figure" }
        if unit == .ratio { return String(format: "%+.2f points", n * 100) }
        return (n >= 0 ? "+" : "") + figure(value, unit: unit)
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return n
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    static func period(_ p: QuestionPeriod?) -> String {
        guard let p else { return "all dates" }
        let phrase = p.phrase.hasPrefix("default: ") ? String(p.phrase.dropFirst(9)) : p.phrase
        return phrase.isEmpty ? p.description : "\(phrase) (\(p.description))"
    }

    static func filters(_ request: QuestionRequest, _ model: SemanticModel) -> String {
        guard !request.filters.isEmpty else { return "" }
        let parts = request.filters.map { f -> String in
            switch f.op {
            case .is: return model.filters[f.field]?.label ?? f.field
            case .equal: return "\(model.dimensions[f.field]?.label ?? f.field) \(f.value ?? "")"
            default: return "\(model.thresholds[f.field]?.label ?? f.field) \(f.op.rawValue) \(f.value ?? "")"
            }
        }
        return " for " + parts.joined(separator: ", ")
    }

    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    /// `s` ending a sentence: a full stop added unless it already ends with one, a question or an exclamation mark.
    static func sentenceEnd(_ s: String) -> String { s.hasSuffix(".") || s.hasSuffix("?") || s.hasSuffix("!") ? s : s + "." }

    /// A question that reads back as `request` (ambiguous answers offer these).
    static func question(_ request: QuestionRequest, _ model: SemanticModel) -> String {
        let metric = request.metric.flatMap { model.metrics[$0]?.label } ?? "revenue"
        let dimension = request.dimension.flatMap { model.dimensions[$0]?.label }
        var words: [String] = []
        switch request.intent {
        case .ranking:
            words = ["\(request.order == .ascending ? "bottom" : "top") \(request.limit ?? 10) \(dimension ?? "customer") by \(metric)"]
        case .breakdown: words = ["\(metric) by \(dimension ?? "industry")"]
        case .trend: words = ["\(request.grain?.rawValue ?? "month")ly \(metric)"]
        case .comparison: words = ["how did \(metric) change"] + (dimension.map { ["by \($0)"] } ?? [])
        case .drivers: words = ["why did \(metric) change by \(dimension ?? "industry")"]
        case .forecast: words = ["forecast \(metric)"]
        case .risk: words = ["which running projects will overrun"]
        case .decisions: words = ["what should we do first"]
        case .similar: words = ["projects similar to \(request.filters.first { $0.field == "project" }?.value ?? "P000012")"]
        case .figure: words = [metric]
        }
        for f in request.filters where request.intent != .similar {
            switch f.op {
            case .is: words.append(model.filters[f.field]?.phrases.first ?? f.field)
            case .equal: words.append("for \((f.value ?? "").lowercased().replacingOccurrences(of: "_", with: " "))")
            default:
                let phrase = model.thresholds[f.field]?.phrases.first ?? f.field
                let op =
                    [
                        QuestionRequest.Filter.Operator.greater: "above", .less: "below", .greaterOrEqual: "at least",
                        .lessOrEqual: "at most",
                    ][f.op] ?? ""
                words.append("with \(phrase) \(op) \(f.value ?? "")")
            }
        }
        if let p = request.period, request.intent != .forecast {
            words.append("between \(p.from.iso) and \(p.to.iso)")
        }
        return words.joined(separator: " ")
    }
}
