import DecisioningCore

/// What a project is for, as its sponsor wrote it in `projects.description`, with planted themes:
/// what `decisioning search --entity projects` must find. Most migrations move a legacy system; other
/// projects draw any theme. Wording varies (several scopes and details per theme, the industry, a
/// neutral remark), so a search has to match meaning, not a fixed sentence.
public enum ProjectDescriptions {
    public enum Theme: String, Sendable, CaseIterable {
        case legacyMigration = "legacy_migration"
        case compliance
        case customerPortal = "customer_portal"
        case dataPlatform = "data_platform"
        case automation
        case network
    }

    /// Share of MIGRATION projects that move a legacy system; the rest, like every other type, draw any theme.
    static let migrationShare = 0.7

    static let parts: [Theme: (scopes: [String], details: [String])] = [
        .legacyMigration: (
            [
                "Move the core ledger off the ageing mainframe", "Replace the on-premise ERP with a cloud suite",
                "Retire the legacy billing system and migrate its data", "Lift and shift the old order-management servers to the cloud",
                "Decommission the 20-year-old COBOL applications",
            ],
            [
                "data conversion and reconciliation of historical records", "parallel run of old and new systems before cutover",
                "rewriting interfaces that depend on the legacy database", "archiving records the new platform does not need",
            ]
        ),
        .compliance: (
            [
                "Meet the new regulatory reporting requirements", "Prepare for the external audit of financial controls",
                "Bring customer data handling in line with GDPR", "Implement anti-money-laundering checks",
                "Close the findings of the last compliance review",
            ],
            [
                "evidence collection and audit trails for every approval", "retention rules and the right to be forgotten",
                "quarterly submissions to the regulator", "segregation of duties in the finance workflows",
            ]
        ),
        .customerPortal: (
            [
                "Build a self-service portal for customers", "Launch a mobile app for account holders",
                "Redesign the online store checkout", "Give clients a web portal to track their orders",
                "Replace the customer help desk with online self-service",
            ],
            [
                "single sign-on and user profiles", "notifications by email and push message",
                "accessibility and support for several languages", "payments and invoices online",
            ]
        ),
        .dataPlatform: (
            [
                "Set up a data warehouse for management reporting", "Build dashboards for the sales and finance teams",
                "Consolidate scattered spreadsheets into one analytics platform", "Create a data lake for the operational data",
                "Introduce forecasting and business intelligence",
            ],
            [
                "nightly loads from the operational databases", "a shared definition of revenue and margin",
                "self-service reports for the regional managers", "data quality checks on every feed",
            ]
        ),
        .automation: (
            [
                "Automate the warehouse picking and packing", "Introduce robots on the assembly line",
                "Automate invoice processing with document scanning", "Deploy sensors and predictive maintenance on the plant",
                "Replace manual scheduling with an optimisation engine",
            ],
            [
                "fewer manual steps and fewer errors", "integration with the shop-floor control systems",
                "training the operators on the new equipment", "measuring throughput before and after",
            ]
        ),
        .network: (
            [
                "Upgrade the office network and Wi-Fi", "Refresh the data centre servers and storage",
                "Roll out new laptops and a managed desktop service", "Connect the branch offices over a new WAN",
                "Harden the firewall and remote access",
            ],
            [
                "out-of-hours cutovers site by site", "replacing end-of-life hardware", "monitoring and a support contract",
                "security patches and backup of every device",
            ]
        ),
    ]

    /// What people add that says nothing about the scope (theme-neutral).
    static let remarks = [
        "", "", " Fixed price, phased delivery.", " Time and materials.", " Sponsor: the operations director.",
        " Kick-off with the steering committee.", " Budget approved by the board.",
    ]

    /// The theme of a project of `type` (one of `ProjectType.all`'s names), drawn with `rng`.
    static func theme(type: String, _ rng: inout SeededRandom) -> Theme {
        if type == "MIGRATION", rng.chance(migrationShare) { return .legacyMigration }
        return Theme.allCases[rng.int(0...(Theme.allCases.count - 1))]
    }

    /// A description of `theme` for a customer in `industry`: a scope, the industry, a detail, a remark.
    static func description(_ theme: Theme, industry: String, _ rng: inout SeededRandom) -> String {
        guard let p = parts[theme] else { return "" }
        let client = industry.lowercased()
        let article = client.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        return rng.pick(p.scopes) + " for \(article) \(client) client, including " + rng.pick(p.details) + "."
            + rng.pick(remarks)
    }

    /// The phrases of every description of `theme`: what a test counts as a hit for it.
    public static func vocabulary(_ theme: Theme) -> [String] {
        guard let p = parts[theme] else { return [] }
        return p.scopes + p.details
    }
}
