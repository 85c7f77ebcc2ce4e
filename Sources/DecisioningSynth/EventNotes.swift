import DecisioningCore

/// Short free-text notes people write on business events, with planted themes: what the text search
/// (`decisioning search`) must find. A note's theme follows the event: a cost-overrun risk flag gets a
/// cost note, a schedule flag a delay, a scope flag a change request, a staffing flag an escalation,
/// and some milestones praise. Wording varies (several openings, subjects and details per theme), so
/// a search has to match meaning, not a fixed sentence.
public enum EventNotes {
    public enum Theme: String, Sendable, CaseIterable {
        case cost, delay
        case changeRequest = "change_request"
        case escalation, praise
    }

    /// Share of milestones that get a note of praise.
    static let praiseShare = 0.15

    static let parts: [Theme: (openings: [String], details: [String])] = [
        .cost: (
            [
                "Costs are running ahead of plan:", "Budget pressure:", "Spend is above forecast because", "Finance flagged overspend:",
                "Burn rate too high:",
            ],
            [
                "subcontractor rates went up and labour hours exceed the estimate", "licence fees were higher than quoted",
                "rework on the integration layer consumed the contingency", "overtime to recover the plan is eating the margin",
                "hardware prices increased after the purchase order was delayed",
            ]
        ),
        .delay: (
            [
                "Schedule slip:", "Timeline at risk:", "The go-live date moved because", "Delivery is late:",
                "Milestone missed:",
            ],
            [
                "the vendor shipped the equipment three weeks late", "client test environments were not ready on time",
                "data migration is waiting on access from the customer", "key approvals took longer than planned",
                "the cutover window was postponed by the client",
            ]
        ),
        .changeRequest: (
            [
                "Change request received:", "Scope change:", "The client asked to extend the scope:", "New requirement from the customer:",
                "Variation order raised:",
            ],
            [
                "two more integrations with their billing system", "additional reports for the regional offices",
                "support for a second language in the portal", "a mobile version of the dashboard",
                "extra data sources to be loaded before launch",
            ]
        ),
        .escalation: (
            [
                "Escalation:", "The customer escalated to our director:", "Complaint raised at executive level:",
                "Client unhappy and escalated:", "Steering committee escalation:",
            ],
            [
                "the team keeps changing and knowledge is lost", "not enough senior staff assigned to the project",
                "repeated missed calls with the project manager", "consultants rotated off without a handover",
                "the client wants a new lead on the account",
            ]
        ),
        .praise: (
            [
                "Great feedback:", "The client thanked the team:", "Positive review at the steering committee:", "Customer praise:",
                "Kudos from the sponsor:",
            ],
            [
                "delivery was smooth and ahead of schedule", "the team was responsive and proactive",
                "the rollout went without incidents", "users love the new workflow", "excellent quality of the documentation",
            ]
        ),
    ]

    /// The theme of a risk flag's `reason`.
    static func theme(reason: String) -> Theme {
        switch reason {
        case "cost_overrun": return .cost
        case "schedule": return .delay
        case "scope": return .changeRequest
        default: return .escalation
        }
    }

    /// What people add after the point: who saw it, what happens next (theme-neutral).
    static let closings = [
        "", "", "", " Raised in the weekly status call.", " Follow-up meeting booked for next week.", " PM to update the plan.",
        " Noted by the account manager.", " Discussed with the sponsor on site.", " Tracking this in the RAID log.",
        " Will review again at the next checkpoint.",
    ]

    /// A note of `theme`, drawn with `rng`: an opening, a detail, sometimes a day count, and a closing.
    static func note(_ theme: Theme, _ rng: inout SeededRandom) -> String {
        guard let p = parts[theme] else { return "" }
        let days = rng.chance(0.5) ? " (day \(rng.int(2...240)) of the project)" : ""
        return rng.pick(p.openings) + " " + rng.pick(p.details) + days + "." + rng.pick(closings)
    }

    /// The words of every note of `theme`: what a test counts as a hit for it.
    public static func vocabulary(_ theme: Theme) -> [String] {
        guard let p = parts[theme] else { return [] }
        return p.openings + p.details
    }
}
