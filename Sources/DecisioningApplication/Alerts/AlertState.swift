/// Where an alert is in its life: raised and not yet seen to (`open`), seen to by someone
/// (`acknowledged`), or over (`resolved`: a later run no longer raised it, or someone resolved it).
public enum AlertState: String, Sendable, Hashable, CaseIterable, Codable {
    case open, acknowledged, resolved

    /// Whether runs still track it: an open or acknowledged alert that a run no longer raises is resolved.
    public var isActive: Bool { self != .resolved }
}
