import DecisioningCore
import Foundation

struct Customer {
    var id: String
    var name: String
    var industry: Int
    var annualRevenue: Int64
    var rating: Int
    var paymentTerms: Int
    /// Tenths of a day (`DECIMAL(5,1)`).
    var averagePaymentDays: Int64
    /// Hundredths (`DECIMAL(3,2)`).
    var risk: Int64
    var weight: Double
    var totalProjects = 0
    var totalRevenue: Int64 = 0
}

struct Project {
    var index: Int
    var id: String
    var name: String
    var type: Int
    var customer: Int
    var customerId: String
    var start: Day
    var plannedEnd: Day
    var end: Day?
    var budget: Int64
    var actual: Int64 = 0
    var status: String
    /// Months of cost and revenue booked so far (complete months before as-of).
    var bookedMonths: Int
    var plannedMonths: Int
    /// Ratio of cost to the budget share for the booked months.
    var costRatio: Double = 1
    /// Revenue the contract brings over its planned life.
    var contractRevenue: Double = 0
    var overrunProbability: Double = 0
}

/// The whole synthetic company in memory except its monthly ledger and events, which are streamed.
///
/// Built in one deterministic pass from `GeneratorSpec`; every random draw comes from a
/// `SeededRandom` stream keyed by the seed and the entity, so adding a table never shifts another.
struct SyntheticCompany {
    let spec: GeneratorSpec
    var customers: [Customer] = []
    var projects: [Project] = []
    var truth: GroundTruth
    let marginDropIndustry: Int
    /// The first month (index) of the quarter in which the margin drop is planted, and its length.
    let dropFirstMonth: Int
    let lastBookedMonth: Int
    let idWidth: Int

    static let dropRevenueFactor = 0.72
    static let dropCostFactor = 1.18

    init(spec: GeneratorSpec) {
        self.spec = spec
        var rng = SeededRandom(seed: spec.seed, stream: 1)
        marginDropIndustry = rng.int(0...(Industry.all.count - 1))
        lastBookedMonth = spec.asOf.monthIndex() - 1
        dropFirstMonth = lastBookedMonth - 2
        idWidth = max(6, String(spec.projectCount * 10).count)
        truth = GroundTruth(spec: spec)
        buildCustomers()
        buildProjects()
        plantDataQualityFaults()
        computeTotals()
        truth.marginDrop = .init(
            industry: Industry.all[marginDropIndustry].name,
            firstMonth: month(dropFirstMonth).iso, lastMonth: month(lastBookedMonth).iso,
            revenueFactor: SyntheticCompany.dropRevenueFactor, costFactor: SyntheticCompany.dropCostFactor)
    }

    func id(_ prefix: String, _ n: Int, width: Int? = nil) -> String {
        let digits = String(n)
        let w = width ?? idWidth
        return prefix + String(repeating: "0", count: max(0, w - digits.count)) + digits
    }

    func month(_ index: Int) -> Day { Day(year: index / 12, month: index % 12 + 1, day: 1)! }

    /// The last day of the month with this index: the date monthly metrics are booked on.
    func monthEnd(_ index: Int) -> Day { month(index + 1).adding(days: -1) }

    mutating func buildCustomers() {
        var rng = SeededRandom(seed: spec.seed, stream: 2)
        let industryWeights = Industry.all.map(\.weight)
        let ratingWeights = creditRatings.map(\.weight)
        var usedNames = Set<String>()
        let regions = ["North", "South", "East", "West", "Central", "Pacific", "Atlantic", "Metro", "Coastal", "Inland"]
        for i in 0..<spec.customerCount {
            let industry = rng.weighted(industryWeights)
            let rating = rng.weighted(ratingWeights)
            let size = exp(rng.normal(sd: 0.9))
            let revenue = 40_000_000 * size * exp(rng.normal(sd: 0.3))
            let riskValue = min(0.99, max(0.01, creditRatings[rating].risk + Industry.all[industry].riskShift + rng.normal(sd: 0.05)))
            let terms = rng.pick(paymentTermChoices)
            let delay = max(-5, riskValue * 40 - 6 + rng.normal(sd: 4))
            var name = "\(rng.pick(namePrefixes)) \(rng.pick(nameCores)) \(rng.pick(nameSuffixes))"
            // Names are unique (ignoring case and punctuation): the only duplicate-looking customers
            // are the ones planted as data-quality faults.
            var key = name.lowercased().filter { $0.isLetter || $0.isNumber }
            var extra = 0
            while usedNames.contains(key) {
                extra += 1
                name =
                    "\(name.split(separator: " ").dropLast().joined(separator: " ")) \(regions[extra % regions.count]) \(name.split(separator: " ").last!)"
                key = name.lowercased().filter { $0.isLetter || $0.isNumber }
            }
            usedNames.insert(key)
            customers.append(
                Customer(
                    id: id("C", i + 1), name: name, industry: industry,
                    annualRevenue: FixedPoint.units(revenue, scale: 2), rating: rating, paymentTerms: terms,
                    averagePaymentDays: FixedPoint.units(max(1, Double(terms) + delay), scale: 1),
                    risk: FixedPoint.units(riskValue, scale: 2), weight: size))
        }
    }

    mutating func buildProjects() {
        var rng = SeededRandom(seed: spec.seed, stream: 3)
        // Cumulative customer weights: a few large customers take many projects (revenue concentration).
        var cumulative: [Double] = []
        var running = 0.0
        for c in customers {
            running += c.weight
            cumulative.append(running)
        }
        let typeWeights = ProjectType.all.map(\.weight)
        let span = Double(spec.historyStart.days(until: spec.asOf))
        let asOfMonth = spec.asOf.monthIndex()
        let firstOfAsOfMonth = spec.asOf.firstOfMonth
        for i in 0..<spec.projectCount {
            let pick = rng.unit() * running
            var lo = 0
            var hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < pick { lo = mid + 1 } else { hi = mid }
            }
            let customer = customers[lo]
            let typeIndex = rng.weighted(typeWeights)
            let type = ProjectType.all[typeIndex]
            // Business grows: later start dates are more likely.
            let start = spec.historyStart.adding(days: Int(span * pow(rng.unit(), 0.9)))
            let planned = rng.int(type.months)
            let plannedEnd = start.adding(months: planned).adding(days: -1)
            let budgetDollars = type.medianBudget * exp(rng.normal(sd: 0.55)) * (0.7 + 0.3 * min(3, customer.weight))
            let budget = FixedPoint.units(budgetDollars.rounded(), scale: 2)
            let industry = Industry.all[customer.industry]

            // What was known at the start decides how likely an overrun is (planted, noisy).
            let risk = FixedPoint.double(customer.risk, scale: 2)
            let delay = FixedPoint.double(customer.averagePaymentDays, scale: 1) - Double(customer.paymentTerms)
            let logit =
                -1.35 + 4.2 * (risk - 0.33) + 0.045 * (delay - 7) + type.overrunEffect + 0.55 * log(budgetDollars / type.medianBudget)
            let probability = 1 / (1 + exp(-logit))

            var project = Project(
                index: i, id: id("P", i + 1),
                name: "\(customer.name.split(separator: " ").prefix(2).joined(separator: " ")) \(type.name.capitalized) \(i + 1)",
                type: typeIndex, customer: lo, customerId: customer.id, start: start, plannedEnd: plannedEnd, end: plannedEnd,
                budget: budget, status: "ACTIVE", bookedMonths: 0, plannedMonths: planned)
            project.overrunProbability = probability
            project.contractRevenue = budgetDollars * (1 + industry.markup + rng.normal(sd: 0.04))

            let recentStart = start.days(until: spec.asOf) < 21
            if plannedEnd < firstOfAsOfMonth {
                // Finished before this month: completed (or, rarely, cancelled early).
                project.bookedMonths = planned
                if rng.chance(0.04) {
                    project.status = "CANCELLED"
                    project.bookedMonths = max(1, planned / 2)
                    project.end = start.adding(months: project.bookedMonths).adding(days: -1)
                    project.costRatio = 1 + rng.normal(sd: 0.08)
                } else {
                    project.status = "COMPLETED"
                    let overrun = rng.chance(probability)
                    project.costRatio = overrun ? rng.uniform(1.13, 1.6) : rng.uniform(0.82, 1.07)
                }
            } else if recentStart && rng.chance(0.5) {
                project.status = "PLANNED"
                project.bookedMonths = 0
            } else {
                project.bookedMonths = max(0, min(planned, asOfMonth - start.monthIndex()))
                let roll = rng.unit()
                project.status = roll < 0.06 ? "ON_HOLD" : roll < 0.53 ? "ACTIVE" : "IN_PROGRESS"
                // Running projects spend about their budget share, drifting with the same latent risk.
                project.costRatio = min(1.4, max(0.75, 1 + 0.12 * (probability - 0.3) + rng.normal(sd: 0.07)))
                let running = project.status != "ON_HOLD"
                if running && project.bookedMonths >= 2 && rng.chance(0.062) {
                    project.costRatio = rng.uniform(1.6, 3.0)
                    truth.anomalousProjects.append(project.id)
                }
            }
            projects.append(project)
        }
    }

    /// Plants the faults Discovery's data-quality checks must report, on projects with no other planted role.
    mutating func plantDataQualityFaults() {
        var rng = SeededRandom(seed: spec.seed, stream: 4)
        let anomalous = Set(truth.anomalousProjects)
        var used = Set<Int>()
        func pickProject(_ accept: (Project) -> Bool) -> Int {
            while true {
                let i = rng.int(0...(projects.count - 1))
                if !used.contains(i), !anomalous.contains(projects[i].id), accept(projects[i]) {
                    used.insert(i)
                    return i
                }
            }
        }
        let n = spec.faultCount
        for k in 0..<(n * 2) {
            let i = pickProject { _ in true }
            projects[i].customerId = id("C", spec.customerCount * 5 + k + 1)
            truth.dataQuality.orphanCustomerProjects.append(projects[i].id)
        }
        for _ in 0..<n {
            let i = pickProject { $0.status == "COMPLETED" }
            projects[i].budget = -projects[i].budget
            truth.dataQuality.negativeBudgetProjects.append(projects[i].id)
        }
        for _ in 0..<n {
            let i = pickProject { $0.status == "COMPLETED" }
            projects[i].end = projects[i].start.adding(days: -rng.int(5...60))
            truth.dataQuality.endBeforeStartProjects.append(projects[i].id)
        }
        var usedCustomers = Set<Int>()
        func pickCustomer() -> Int {
            while true {
                let i = rng.int(0...(customers.count - 1))
                if usedCustomers.insert(i).inserted { return i }
            }
        }
        for _ in 0..<max(1, n - 1) {
            let c = pickCustomer()
            customers[c].risk = Int64(rng.int(120...250))
            truth.dataQuality.riskScoreOutOfRangeCustomers.append(customers[c].id)
        }
        for _ in 0..<max(1, n - 1) {
            let c = pickCustomer()
            customers[c].averagePaymentDays = -Int64(rng.int(50...200))
            truth.dataQuality.negativePaymentDaysCustomers.append(customers[c].id)
        }
        // Duplicate-looking customers: the same company entered twice with its name typed differently.
        let originals = customers.count
        for _ in 0..<n {
            let c = pickCustomer()
            var twin = customers[c]
            twin.id = id("C", originals + truth.dataQuality.duplicateCustomers.count + 1)
            var words = twin.name.uppercased().split(separator: " ").map(String.init)
            if words.count > 1 { words[words.count - 2] += "," }
            twin.name = words.joined(separator: " ") + "."
            twin.weight = 0
            customers.append(twin)
            truth.dataQuality.duplicateCustomers.append([customers[c].id, twin.id])
        }
        let faulty = Set(truth.dataQuality.negativeBudgetProjects + truth.dataQuality.endBeforeStartProjects)
        truth.overrun.completedProjects = projects.filter { $0.status == "COMPLETED" && !faulty.contains($0.id) }.count
        truth.overrun.overrunProjects =
            projects
            .filter { $0.status == "COMPLETED" && !faulty.contains($0.id) && $0.costRatio > 1.1 }.map(\.id)
        truth.anomalousProjects.sort()
    }

    /// A credible estimate at completion of a running project: the cost booked so far plus the
    /// remaining budget share, scaled by part (30-100%) of the project's own overrun trajectory, with
    /// a little estimator noise. It lies between the two usual earned-value estimates, booked + remaining
    /// budget and booked ÷ share elapsed. Drawn from its own stream, so the to-date data never moves.
    func estimateAtCompletion(_ project: Project, booked: Int64) -> Int64 {
        var rng = SeededRandom(seed: spec.seed, stream: 20_000_000 + UInt64(project.index))
        let budget = Double(project.budget)
        let elapsed = min(1, Double(project.bookedMonths) / Double(max(1, project.plannedMonths)))
        let trajectory = 1 + rng.uniform(0.3, 1.0) * (project.costRatio - 1)
        let remaining = budget * (1 - elapsed) * trajectory * exp(rng.normal(sd: 0.02))
        // Whole dollars, like the ledger's months.
        return booked + Int64((remaining / 100).rounded()) * 100
    }

    /// Books every project's ledger once to fill actual costs and the customers' totals.
    mutating func computeTotals() {
        var ledger = MonthlyLedger()
        for i in projects.indices {
            ledger.book(projects[i], company: self)
            projects[i].actual = ledger.totalCost
            if spec.actualCost == .atCompletion, ["ACTIVE", "IN_PROGRESS", "ON_HOLD"].contains(projects[i].status) {
                projects[i].actual = estimateAtCompletion(projects[i], booked: ledger.totalCost)
            }
            let c = projects[i].customer
            if projects[i].customerId == customers[c].id {
                customers[c].totalProjects += 1
                customers[c].totalRevenue += ledger.totalRevenue
            }
        }
    }
}
