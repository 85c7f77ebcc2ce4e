import DecisioningCore

/// Draws business events: what happened to which project or customer, when, with a JSON payload.
struct EventFactory {
    struct Event {
        var type: String
        var entityType: String
        var entityId: String
        var payload: String
        var timestamp: Timestamp
        var processed: Bool
    }

    let company: SyntheticCompany
    static let projectEventTypes = [
        "MILESTONE_REACHED", "INVOICE_ISSUED", "PAYMENT_RECEIVED", "COST_RECORDED", "STATUS_CHANGED", "RISK_FLAGGED",
    ]
    static let projectEventWeights = [0.2, 0.22, 0.2, 0.2, 0.1, 0.08]
    static let channels = ["email", "phone", "meeting", "portal"]
    static let milestones = ["kickoff", "design", "build", "test", "rollout", "handover"]

    func event(_ i: Int) -> Event {
        var rng = SeededRandom(seed: company.spec.seed, stream: 1_000_000_000 + UInt64(i))
        let asOfSeconds = Timestamp(day: company.spec.asOf).seconds
        if rng.chance(0.12) {
            let c = company.customers[rng.int(0...(company.customers.count - 1))]
            let start = Timestamp(day: company.spec.historyStart).seconds
            let t = Timestamp(seconds: start + Int64(rng.unit() * Double(asOfSeconds - start)))
            let review = rng.chance(0.3)
            let payload =
                review
                ? "{\"credit_rating\":\"\(creditRatings[c.rating].rating)\",\"risk_score\":\(FixedPoint.format(c.risk, scale: 2)),\"reviewer\":\"finance\"}"
                : "{\"channel\":\"\(rng.pick(EventFactory.channels))\",\"sentiment\":\(FixedPoint.format(FixedPoint.units(rng.uniform(-1, 1), scale: 2), scale: 2))}"
            return Event(
                type: review ? "CREDIT_REVIEW" : "CUSTOMER_CONTACT", entityType: "CUSTOMER", entityId: c.id, payload: payload,
                timestamp: t, processed: processed(t, asOfSeconds, &rng))
        }
        let p = company.projects[rng.int(0...(company.projects.count - 1))]
        let from = Timestamp(day: p.start).seconds
        let until = min(asOfSeconds, Timestamp(day: max(p.start, p.end ?? p.start).adding(days: 1)).seconds)
        let t = Timestamp(seconds: from + Int64(rng.unit() * Double(max(1, until - from))))
        var weights = EventFactory.projectEventWeights
        // Troubled projects get flagged more often: a weak signal, as in real event streams.
        if p.costRatio > 1.5 { weights[5] *= 3 }
        let type = EventFactory.projectEventTypes[rng.weighted(weights)]
        let amount = FixedPoint.format(FixedPoint.units(Double(p.budget.magnitude) / 100 * rng.uniform(0.02, 0.12), scale: 2), scale: 2)
        let payload: String
        switch type {
        case "MILESTONE_REACHED":
            payload = "{\"milestone\":\"\(rng.pick(EventFactory.milestones))\",\"percent_complete\":\(rng.int(5...100))}"
        case "INVOICE_ISSUED":
            payload =
                "{\"invoice_id\":\"INV-\(p.index + 1)-\(rng.int(1...99))\",\"amount\":\(amount),\"currency\":\"USD\",\"due_days\":\(company.customers[p.customer].paymentTerms)}"
        case "PAYMENT_RECEIVED":
            let late =
                FixedPoint.double(company.customers[p.customer].averagePaymentDays, scale: 1)
                - Double(company.customers[p.customer].paymentTerms)
            payload =
                "{\"invoice_id\":\"INV-\(p.index + 1)-\(rng.int(1...99))\",\"amount\":\(amount),\"days_late\":\(max(0, Int(late + rng.normal(sd: 5))))}"
        case "COST_RECORDED":
            payload = "{\"amount\":\(amount),\"category\":\"\(rng.pick(["labour", "licences", "travel", "hardware", "subcontract"]))\"}"
        case "STATUS_CHANGED":
            payload = "{\"from\":\"PLANNED\",\"to\":\"\(p.status)\"}"
        default:
            let reason = p.costRatio > 1.5 ? "cost_overrun" : rng.pick(["schedule", "scope", "staffing"])
            payload = "{\"reason\":\"\(reason)\",\"severity\":\"\(rng.pick(["LOW", "MEDIUM", "HIGH"]))\"}"
        }
        let processed = processed(t, asOfSeconds, &rng)
        return Event(
            type: type, entityType: "PROJECT", entityId: p.id, payload: withNote(payload, type: type, event: i), timestamp: t,
            processed: processed)
    }

    /// `payload` with a free-text `note` for risk flags (themed by the flag's reason) and some milestones
    /// (praise), drawn from a stream of its own so that every other field stays as it was.
    func withNote(_ payload: String, type: String, event i: Int) -> String {
        var rng = SeededRandom(seed: company.spec.seed, stream: 3_000_000_000 + UInt64(i))
        let theme: EventNotes.Theme
        switch type {
        case "RISK_FLAGGED":
            guard let range = payload.range(of: "\"reason\":\""),
                let end = payload[range.upperBound...].firstIndex(of: "\"")
            else { return payload }
            theme = EventNotes.theme(reason: String(payload[range.upperBound..<end]))
        case "MILESTONE_REACHED" where rng.chance(EventNotes.praiseShare):
            theme = .praise
        default:
            return payload
        }
        return String(payload.dropLast()) + ",\"note\":\"\(EventNotes.note(theme, &rng))\"}"
    }

    func processed(_ t: Timestamp, _ asOf: Int64, _ rng: inout SeededRandom) -> Bool {
        t.seconds < asOf - 2 * 86_400 ? !rng.chance(0.02) : false
    }
}
