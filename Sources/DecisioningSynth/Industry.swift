/// The synthetic company's market: industries with their economics, and project types with theirs.
///
/// Every effect the generator plants is a named parameter here, so the ground truth can state it.
struct Industry: Sendable {
    var name: String
    /// Share of customers in this industry.
    var weight: Double
    /// Typical markup of revenue over cost for its projects.
    var markup: Double
    /// Amplitude of yearly revenue seasonality (0.15 = ±15%).
    var seasonality: Double
    /// Month (1-12) of the seasonal revenue peak.
    var peakMonth: Int
    /// Yearly revenue growth.
    var growth: Double
    /// Shift of the customers' risk scores.
    var riskShift: Double

    static let all: [Industry] = [
        Industry(name: "Technology", weight: 1.6, markup: 0.32, seasonality: 0.10, peakMonth: 12, growth: 0.12, riskShift: -0.03),
        Industry(name: "Healthcare", weight: 1.2, markup: 0.26, seasonality: 0.05, peakMonth: 3, growth: 0.07, riskShift: -0.05),
        Industry(name: "Financial Services", weight: 1.3, markup: 0.30, seasonality: 0.08, peakMonth: 12, growth: 0.06, riskShift: -0.04),
        Industry(name: "Manufacturing", weight: 1.1, markup: 0.18, seasonality: 0.12, peakMonth: 10, growth: 0.03, riskShift: 0.02),
        Industry(name: "Retail", weight: 1.0, markup: 0.20, seasonality: 0.25, peakMonth: 11, growth: 0.04, riskShift: 0.04),
        Industry(name: "Energy", weight: 0.7, markup: 0.24, seasonality: 0.18, peakMonth: 1, growth: 0.05, riskShift: 0.01),
        Industry(name: "Telecommunications", weight: 0.6, markup: 0.22, seasonality: 0.06, peakMonth: 9, growth: 0.02, riskShift: 0.00),
        Industry(name: "Logistics", weight: 0.8, markup: 0.16, seasonality: 0.20, peakMonth: 11, growth: 0.05, riskShift: 0.05),
        Industry(name: "Construction", weight: 0.7, markup: 0.15, seasonality: 0.22, peakMonth: 7, growth: 0.03, riskShift: 0.08),
        Industry(name: "Education", weight: 0.5, markup: 0.19, seasonality: 0.28, peakMonth: 8, growth: 0.02, riskShift: -0.02),
        Industry(name: "Media", weight: 0.5, markup: 0.27, seasonality: 0.15, peakMonth: 12, growth: 0.01, riskShift: 0.06),
        Industry(name: "Hospitality", weight: 0.5, markup: 0.17, seasonality: 0.30, peakMonth: 7, growth: 0.04, riskShift: 0.07),
    ]
}

struct ProjectType: Sendable {
    var name: String
    var weight: Double
    /// Planned duration range in months.
    var months: ClosedRange<Int>
    /// Median budget in dollars.
    var medianBudget: Double
    /// Added to the overrun log-odds: some kinds of work overrun more often.
    var overrunEffect: Double

    static let all: [ProjectType] = [
        ProjectType(name: "IMPLEMENTATION", weight: 1.4, months: 11...52, medianBudget: 420_000, overrunEffect: 0.45),
        ProjectType(name: "CONSULTING", weight: 1.2, months: 5...24, medianBudget: 140_000, overrunEffect: -0.55),
        ProjectType(name: "INTEGRATION", weight: 1.0, months: 9...40, medianBudget: 310_000, overrunEffect: 0.30),
        ProjectType(name: "MIGRATION", weight: 0.8, months: 10...44, medianBudget: 380_000, overrunEffect: 0.70),
        ProjectType(name: "MAINTENANCE", weight: 1.0, months: 22...60, medianBudget: 180_000, overrunEffect: -0.80),
        ProjectType(name: "RESEARCH", weight: 0.5, months: 7...30, medianBudget: 220_000, overrunEffect: 0.20),
    ]
}

/// Credit ratings from best to worst with the centre of their risk-score band.
let creditRatings: [(rating: String, weight: Double, risk: Double)] = [
    ("AAA", 0.6, 0.08), ("AA", 1.2, 0.15), ("A", 2.0, 0.24), ("BBB", 2.4, 0.35), ("BB", 1.6, 0.48), ("B", 0.9, 0.62), ("CCC", 0.3, 0.80),
]

let paymentTermChoices = [15, 30, 30, 30, 45, 60, 60, 90]

let namePrefixes = [
    "Acme", "Apex", "Blue", "Bright", "Cedar", "Crest", "Delta", "Eagle", "Ever", "First", "Global", "Granite", "Harbor", "Iron",
    "Key", "Lumen", "Maple", "Meridian", "North", "Nova", "Oak", "Orbit", "Pacific", "Peak", "Pine", "Prime", "Quantum", "River",
    "Silver", "Sky", "Solar", "Star", "Stone", "Summit", "Terra", "True", "Union", "Vertex", "Vista", "West",
]
let nameCores = [
    "Analytics", "Bridge", "Capital", "Dynamics", "Edge", "Field", "Foods", "Forge", "Gate", "Health", "Labs", "Line", "Logic",
    "Works", "Motion", "Networks", "Partners", "Point", "Power", "Retail", "Signal", "Source", "Systems", "Tech", "Trade", "Ventures",
]
let nameSuffixes = ["Inc", "LLC", "Group", "Holdings", "Corp", "Ltd", "Co"]
