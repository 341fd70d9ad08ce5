namespace Ledger.Contracts.Genesis;

/// <summary>A genesis document that breaks a rule; the message says which.</summary>
public sealed class GenesisException : Exception
{
    public GenesisException(string message) : base("genesis: " + message) { }

    public GenesisException() { }

    public GenesisException(string message, Exception inner) : base("genesis: " + message, inner) { }
}
