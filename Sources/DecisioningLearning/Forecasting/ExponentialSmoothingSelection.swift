import Foundation

extension ExponentialSmoothing {
    /// One candidate of a selection: its AICc, or why it was not fitted.
    public struct Candidate: Sendable, Codable, Equatable {
        public let kind: Kind
        public let aicc: Double?
        public let skipped: String?
    }

    /// The model with the lowest AICc, every candidate considered, and notes on fallbacks.
    public struct Selection: Sendable, Codable, Equatable {
        public let best: ExponentialSmoothing
        public let candidates: [Candidate]
        /// Why candidates were skipped or how the choice was made when AICc could not decide.
        public let notes: [String]
        /// Every fitted candidate with an AICc, in candidate order.
        public let fitted: [ExponentialSmoothing]

        /// Tempered Akaike weights exp(−τ·ΔAICc/2) with τ = `combinationTemperature`, normalised, of `fitted`, where
        /// ΔAICc is a model's AICc above the lowest; empty when no model has an AICc.
        public var weights: [Double] {
            let values = fitted.compactMap(\.aicc)
            guard let low = values.min() else { return [] }
            let raw = values.map { exp(-0.5 * Self.combinationTemperature * ($0 - low)) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }

        /// Members whose weight is below this are left out of `combinedForecast` (the others renormalised).
        public static let combinationThreshold = 1e-3

        /// τ of the weights: 1 gives Akaike weights (Kolassa 2011), 0 equal weights. Chosen on the M3 monthly series'
        /// training parts with their last 18 months held out (never on the test parts), 18 forms, sMAPE / MASE:
        /// τ = 1 15.31 / 0.968, 0.5 15.06 / 0.960, 0.25 14.85 / 0.953, 0.1 14.71 / 0.943, 0.05 14.73 / 0.940, 0 (equal
        /// weights) 15.08 / 0.960; the AICc-best model alone (R's 15 forms) 16.02 / 0.989. A flatter weighting than
        /// Akaike's hedges against the selection noise of AICc on short series, but too flat a one lends weight to forms
        /// AICc rightly rejects: on planted 40-month multiplicative seasons that ramp up from near zero
        /// (`ForecastModelSetTests`) the mean sMAPE is 0.092 at τ = 0.1, 0.061 at 0.25, 0.056 at 0.5, 0.061 at 1; on
        /// the generated industry revenue 0.140, 0.144, 0.147, 0.156. 0.25 is near the best on all three.
        public static let combinationTemperature = 0.25

        /// The weighted combination of the fitted models' forecasts (Kolassa 2011, "Combining exponential smoothing
        /// forecasts using Akaike weights", with tempered weights, see `weights`): point forecasts and interval bounds
        /// are the weighted means of the members' with a weight of at least `combinationThreshold`; the best model's
        /// forecast when no model has an AICc.
        public func combinedForecast(_ horizon: Int, level: Double = 0.8) -> [ForecastStep] {
            let w = weights
            let members = zip(fitted, w).filter { $0.1 >= Self.combinationThreshold }
            guard members.count > 1, horizon > 0 else { return best.forecast(horizon, level: level) }
            let total = members.reduce(0) { $0 + $1.1 }
            var mean = [Double](repeating: 0, count: horizon)
            var lower = mean
            var upper = mean
            for (model, weight) in members {
                let share = weight / total
                for (h, step) in model.forecast(horizon, level: level).enumerated() {
                    mean[h] += share * step.mean
                    lower[h] += share * step.lower
                    upper[h] += share * step.upper
                }
            }
            return (0..<horizon).map {
                ForecastStep(step: $0 + 1, mean: mean[$0], lower: min(lower[$0], mean[$0]), upper: max(upper[$0], mean[$0]))
            }
        }

        public var tried: [(kind: Kind, aicc: Double)] { candidates.compactMap { c in c.aicc.map { (c.kind, $0) } } }
    }

    /// Fits every applicable kind of `kinds` (by default the five classic forms, `Kind.allCases`; `Kind.restricted` for
    /// R's set of 15, `Kind.automatic` for 18) and keeps the lowest AICc; `Selection.combinedForecast` combines them.
    ///
    /// Seasonal kinds are tried only with period ≥ 2 and at least two full seasons (otherwise the result
    /// falls back to non-seasonal models and says so in `notes`); multiplicative seasons and errors only for strictly
    /// positive series. When no candidate has an AICc (exact fits, very short series) the first fitted kind is chosen
    /// and `notes` says so. Ties keep the earlier kind in `kinds`.
    public static func select(_ y: [Double], period: Int = 12, kinds: [Kind] = Kind.allCases) throws(ForecastError) -> Selection {
        try validate(y, period: period)
        guard y.count >= 2 else { throw .tooShort(kind: .simple, count: y.count, minimum: 2) }
        var candidates: [Candidate] = []
        var notes: [String] = []
        var fitted: [ExponentialSmoothing] = []
        let positive = y.allSatisfy { $0 > 0 }
        let constant = y.allSatisfy { $0 == y[0] }
        if constant { notes.append("constant series: the simple model repeats the value with zero-width intervals") }
        for kind in kinds {
            var reason: String?
            if constant && kind != .simple {
                reason = "constant series"
            } else if kind.isSeasonal && period < 2 {
                reason = "period \(period) has no seasonality"
            } else if y.count < kind.minimumLength(period: period) {
                reason =
                    kind.isSeasonal
                    ? "\(y.count) observations, fewer than two full seasons of \(period)"
                    : "\(y.count) observations, fewer than \(kind.minimumLength(period: period))"
            } else if kind.needsPositive && !positive {
                reason = "the series is not strictly positive"
            }
            if let reason {
                candidates.append(Candidate(kind: kind, aicc: nil, skipped: reason))
                continue
            }
            let model: ExponentialSmoothing
            do throws(ForecastError) {
                let fitter = ETSFitter(y: y, kind: kind, period: period)
                model = try fitter.fit(nested: fitted.first { $0.kind == fitter.counterpart })
            } catch {
                candidates.append(Candidate(kind: kind, aicc: nil, skipped: error.description))
                continue
            }
            fitted.append(model)
            candidates.append(
                Candidate(kind: kind, aicc: model.aicc, skipped: model.aicc == nil ? "AICc undefined (exact fit or n ≤ k + 1)" : nil))
        }
        if period >= 2 && y.count < 2 * period && !constant && kinds.contains(where: \.isSeasonal) {
            notes.append(
                "seasonal models skipped: \(y.count) observations, fewer than two full seasons of \(period); non-seasonal models only")
        }
        var best: ExponentialSmoothing?
        var bestAICc = Double.infinity
        for model in fitted {
            guard let a = model.aicc, a < bestAICc else { continue }
            best = model
            bestAICc = a
        }
        guard let chosen = best ?? fitted.first else { throw .noAdmissibleFit(kind: kinds.first ?? .simple) }
        if best == nil && !constant {
            notes.append("no candidate has an AICc (too few observations for the parameters); chose \(chosen.kind.notation)")
        }
        return Selection(best: chosen, candidates: candidates, notes: notes, fitted: fitted.filter { $0.aicc != nil })
    }
}
