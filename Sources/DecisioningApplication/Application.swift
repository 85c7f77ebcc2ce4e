/// The application layer: the use cases the command line, the HTTP service and the MCP server share.
/// Front ends parse and print; everything they do with a store, a flow or an analysis is here.
public enum Application {}
