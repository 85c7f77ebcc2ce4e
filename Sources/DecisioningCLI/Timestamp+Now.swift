import DecisioningCore
import Foundation

extension Timestamp {
    /// The current time, to the second.
    static var now: Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }
}
