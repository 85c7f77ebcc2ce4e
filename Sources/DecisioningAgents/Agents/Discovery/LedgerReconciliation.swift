public import DecisioningCore

/// What the project and customer tables' money fields mean, decided by reconciling them with the
/// monthly ledger (`financial_metrics` rows dated by the as-of date), with the evidence.
///
/// `projects.actual_cost` of a running project is the cost booked to date in some systems and the
/// estimate at completion in others; Discovery scores cost anomalies on what the data supports.
public struct LedgerReconciliation: Sendable, Codable {
    /// How `actual_cost` of running projects reads against the ledger.
    public enum Convention: String, Sendable, Codable, CaseIterable {
        /// It matches the COST rows booked so far: it is the cost to date.
        case toDate = "to_date"
        /// It lies between the two earned-value estimates at completion (booked + remaining budget,
        /// booked ÷ budget share elapsed), above the cost booked so far.
        case atCompletion = "at_completion"
        /// Neither reading fits enough of the projects.
        case inconsistent
        /// No running project has a complete ledger to compare with: read as cost to date, unverified.
        case unverified
    }

    /// How one project's `actual_cost` reads against its own ledger.
    public enum Reading: String, Sendable, Codable, CaseIterable {
        case toDate = "to_date"
        case atCompletion = "at_completion"
        /// Every month is booked (or nearly): both readings give the same figure.
        case both
        case neither
        /// Fewer ledger months than the months elapsed: not compared.
        case partialLedger = "partial_ledger"
        /// No COST row booked by the as-of date: not compared.
        case noLedger = "no_ledger"
    }

    /// One project of the comparison, as shown in the examples.
    public struct Example: Sendable, Codable {
        public var projectId: String
        public var status: String
        public var reading: Reading
        public var budget: Money
        public var actualCost: Money
        /// The COST rows booked by the as-of date.
        public var ledgerCost: Money
        public var ledgerMonths: Int
        public var monthsElapsed: Int
        /// The budget share of the months elapsed (months elapsed ÷ months planned, at most 1).
        public var budgetShare: Double

        public init(
            projectId: String, status: String, reading: Reading, budget: Money, actualCost: Money, ledgerCost: Money, ledgerMonths: Int,
            monthsElapsed: Int, budgetShare: Double
        ) {
            self.projectId = projectId
            self.status = status
            self.reading = reading
            self.budget = budget
            self.actualCost = actualCost
            self.ledgerCost = ledgerCost
            self.ledgerMonths = ledgerMonths
            self.monthsElapsed = monthsElapsed
            self.budgetShare = budgetShare
        }
    }

    /// `projects.actual_cost` of the running projects (ACTIVE, IN_PROGRESS, ON_HOLD) against their COST rows.
    public struct Cost: Sendable, Codable {
        public var convention: Convention
        /// What the cost anomalies were scored on, in words.
        public var scoringBasis: String
        /// Relative tolerance of a match (0.02 = within 2%).
        public var tolerance: Double
        /// Share of the comparable projects a reading needs to be the data's convention.
        public var decisionShare: Double
        /// Running projects with a budget, an end date and a months-elapsed share.
        public var projects: Int
        /// Projects per reading (`to_date`, `at_completion`, `both`, `neither`, `partial_ledger`, `no_ledger`).
        public var readings: [String: Int]
        /// Projects with a complete ledger where the two readings differ: the denominator of the shares.
        public var comparable: Int
        public var shareToDate: Double
        public var shareAtCompletion: Double
        /// Median of actual_cost ÷ ledger cost over the projects with a complete ledger (1 under to-date).
        public var medianActualToLedger: Double?
        /// Median of actual_cost ÷ (ledger cost ÷ budget share) over the same projects (about 1 under at-completion).
        public var medianActualToLinearEstimate: Double?
        /// Running projects that could not be scored on this basis (no usable cost).
        public var unscored: Int
        /// Up to 3 projects per reading.
        public var examples: [Example]
        public var evidence: Evidence

        public init(
            convention: Convention, scoringBasis: String, tolerance: Double, decisionShare: Double, projects: Int, readings: [String: Int],
            comparable: Int, shareToDate: Double, shareAtCompletion: Double, medianActualToLedger: Double?,
            medianActualToLinearEstimate: Double?, unscored: Int, examples: [Example], evidence: Evidence
        ) {
            self.convention = convention
            self.scoringBasis = scoringBasis
            self.tolerance = tolerance
            self.decisionShare = decisionShare
            self.projects = projects
            self.readings = readings
            self.comparable = comparable
            self.shareToDate = shareToDate
            self.shareAtCompletion = shareAtCompletion
            self.medianActualToLedger = medianActualToLedger
            self.medianActualToLinearEstimate = medianActualToLinearEstimate
            self.unscored = unscored
            self.examples = examples
            self.evidence = evidence
        }
    }

    /// `customer_analytics.total_revenue` against the REVENUE rows of the customer's projects, and the
    /// ledger's MARGIN rows against REVENUE − COST (no table holds a margin field of its own).
    public struct Revenue: Sendable, Codable {
        /// `to_date` when total_revenue matches the revenue booked so far, `inconsistent` when it
        /// does not, `unverified` when no customer has ledger revenue.
        public var convention: Convention
        public var field: String
        /// Customers with ledger revenue or a total_revenue above 0.
        public var customers: Int
        public var matching: Int
        public var share: Double
        /// Median of total_revenue ÷ ledger revenue.
        public var medianFieldToLedger: Double?
        /// Projects with ledger rows, and those whose MARGIN rows differ from REVENUE − COST by more than 1.00.
        public var ledgerProjects: Int
        public var marginMismatches: Int
        /// What overlaps and what does not.
        public var note: String
        /// Up to 5 customers that do not match.
        public var mismatchedCustomers: [String]
        public var evidence: Evidence

        public init(
            convention: Convention, field: String, customers: Int, matching: Int, share: Double, medianFieldToLedger: Double?,
            ledgerProjects: Int, marginMismatches: Int, note: String, mismatchedCustomers: [String], evidence: Evidence
        ) {
            self.convention = convention
            self.field = field
            self.customers = customers
            self.matching = matching
            self.share = share
            self.medianFieldToLedger = medianFieldToLedger
            self.ledgerProjects = ledgerProjects
            self.marginMismatches = marginMismatches
            self.note = note
            self.mismatchedCustomers = mismatchedCustomers
            self.evidence = evidence
        }
    }

    public var cost: Cost
    public var revenue: Revenue

    public init(cost: Cost, revenue: Revenue) {
        self.cost = cost
        self.revenue = revenue
    }
}
