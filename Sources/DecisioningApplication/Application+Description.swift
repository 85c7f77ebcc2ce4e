/// What logs and interpolations print of an application: its database, not its whole configuration
/// (the default description would print every setting of every agent and service).
extension Application: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "Application(\(url))" }
    public var debugDescription: String { description }
}
