public import Foundation

/// What `forecast` returns: per series the model chosen and, per step, the point forecast and the interval.
public struct ForecastReport: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        /// 1 for the first period after the data.
        public let step: Int
        /// The time label of the step: the series' last t plus `step` of its steps.
        public let t: String
        public let forecast: Double
        public let lower: Double
        public let upper: Double
    }

    public struct Series: Sendable, Equatable {
        public let id: String
        /// The ETS notation of the AICc-best model, e.g. ETS(A,Ad,N): the heaviest member of the AICc-weighted
        /// combination whose forecast this is (`ExponentialSmoothing.Selection.combinedForecast`).
        public let model: String
        public let observations: Int
        public let steps: [Step]
    }

    public let horizon: Int
    public let period: Int
    /// The interval's level in percent.
    public let level: Double
    public let series: [Series]

    /// `series_id,step,t,forecast,lo,hi,model`: one row per series and step, in the file's series order; numbers
    /// are the shortest decimal that reads back as the same double; fields with commas (the model, "ETS(M,N,M)") are
    /// double-quoted.
    public var csv: String {
        var out = "series_id,step,t,forecast,lo,hi,model\n"
        for s in series {
            let id = Self.csvField(s.id)
            let model = Self.csvField(s.model)
            for step in s.steps {
                out += "\(id),\(step.step),\(step.t),\(step.forecast),\(step.lower),\(step.upper),\(model)\n"
            }
        }
        return out
    }

    /// `{"horizon":…,"period":…,"level":…,"series":[{"series_id":…,"model":…,"observations":…,
    /// "steps":[{"step":…,"t":…,"forecast":…,"lo":…,"hi":…}]}]}`, keys sorted.
    public func json() throws -> Data {
        let object: [String: Any] = [
            "horizon": horizon, "period": period, "level": level,
            "series": series.map { s -> [String: Any] in
                [
                    "series_id": s.id, "model": s.model, "observations": s.observations,
                    "steps": s.steps.map { ["step": $0.step, "t": $0.t, "forecast": $0.forecast, "lo": $0.lower, "hi": $0.upper] },
                ]
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
