import DecisioningCore
import Foundation

/// One project's monthly revenue and cost, booked deterministically from the project's own random stream.
///
/// Costs are distributed in whole cents so that the COST metrics of a project add up exactly to its
/// `actual_cost`; MARGIN is REVENUE minus COST for the same month.
struct MonthlyLedger {
    var firstMonth = 0
    var revenue: [Int64] = []
    var cost: [Int64] = []
    var totalCost: Int64 = 0
    var totalRevenue: Int64 = 0

    mutating func book(_ project: Project, company: SyntheticCompany) {
        revenue.removeAll(keepingCapacity: true)
        cost.removeAll(keepingCapacity: true)
        totalCost = 0
        totalRevenue = 0
        firstMonth = project.start.monthIndex()
        let n = project.bookedMonths
        guard n > 0 else { return }
        var rng = SeededRandom(seed: company.spec.seed, stream: 10_000_000 + UInt64(project.index))
        let industryIndex = company.customers[project.customer].industry
        let industry = Industry.all[industryIndex]
        let dropped = industryIndex == company.marginDropIndustry
        let historyMonth = company.spec.historyStart.monthIndex()
        let budget = Double(project.budget.magnitude) / 100  // dollars
        let targetCost = (budget * Double(n) / Double(project.plannedMonths) * project.costRatio).rounded()
        let monthlyRevenue = project.contractRevenue / Double(project.plannedMonths)

        var weights: [Double] = []
        weights.reserveCapacity(n)
        for k in 0..<n {
            let m = firstMonth + k
            let inDrop = dropped && m >= company.dropFirstMonth
            let calendarMonth = m % 12 + 1
            let season = 1 + industry.seasonality * cos(2 * Double.pi * Double(calendarMonth - industry.peakMonth) / 12)
            // Delivery cost follows the season's activity, so margins stay steady where nothing is planted.
            var w = max(0.3, season * (1 + rng.normal(sd: 0.12)))
            if inDrop { w *= SyntheticCompany.dropCostFactor }
            weights.append(w)
            let trend = pow(1 + industry.growth, Double(m - historyMonth) / 12)
            var r = monthlyRevenue * season * trend * max(0.5, 1 + rng.normal(sd: 0.05))
            if inDrop { r *= SyntheticCompany.dropRevenueFactor }
            let cents = (r * 100).rounded()
            revenue.append(Int64(cents))
            totalRevenue += Int64(cents)
        }
        let weightSum = weights.reduce(0, +)
        var assigned: Int64 = 0
        for k in 0..<n {
            let share = k == n - 1 ? Int64(targetCost) * 100 - assigned : Int64((targetCost * weights[k] / weightSum).rounded()) * 100
            cost.append(share)
            assigned += share
        }
        // Whole dollars per month keep the numbers readable; the total stays exact.
        totalCost = assigned
    }
}
